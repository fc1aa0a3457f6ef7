// The example service (examples/service: the guide's Express app) as a user runs it: the
// binary started against a real redis-server, driven over HTTP. Rate limiting answers 429 per
// client, profiles come from the cache after the first load, orders posted are processed once
// by the stream workers (bad ones end in the dead-letter stream), a Redis restart degrades
// the service instead of breaking it, and behind Sentinel it follows a failover.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "redwire/test/child_process.hpp"
#include "redwire/test/ports.hpp"
#include "redwire/test/redis_server.hpp"
#include "redwire/test/sentinel_topology.hpp"
#include "redwire/test/temp_dir.hpp"
#include "redwire/test/wait.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using redwire::test::wait_until;

// Starts the service binary and talks HTTP to it.
class ServiceDriver : public ::testing::Test {
 protected:
  void TearDown() override {
    if (service_.running()) service_.terminate(10s);
    if (HasFailure()) std::printf("service log:\n%s\n", log().c_str());
  }

  void start(const std::string& redis_url) {
    port_ = redwire::test::free_port();
    service_ = redwire::test::ChildProcess::spawn({REDWIRE_EXAMPLE_SERVICE,
                                                   "--redis",
                                                   redis_url,
                                                   "--port",
                                                   std::to_string(port_),
                                                   "--rate-limit",
                                                   "5",
                                                   "--rate-window",
                                                   "60",
                                                   "--trust-proxy",
                                                   "--db-latency-ms",
                                                   "5",
                                                   "--command-timeout-ms",
                                                   "1000",
                                                   "--workers",
                                                   "2",
                                                   "--claim-idle-ms",
                                                   "300",
                                                   "--max-deliveries",
                                                   "2"},
                                                  dir_.path(), dir_.path() / "service.log");
    wait_until([&] { return status("/health") == 200; }, 20s, "the service to answer /health");
  }

  std::string log() const {
    std::ifstream in(dir_.path() / "service.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  httplib::Client http() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(2s);
    c.set_read_timeout(15s);
    return c;
  }
  /// The HTTP status of GET `path` from client address `from`; 0 when the request failed.
  int status(const std::string& path, const std::string& from = "10.9.9.9") const {
    auto c = http();
    auto r = c.Get(path, httplib::Headers{{"X-Forwarded-For", from}});
    return r ? r->status : 0;
  }
  json get_json(const std::string& path, const std::string& from = "10.9.9.9") const {
    auto c = http();
    auto r = c.Get(path, httplib::Headers{{"X-Forwarded-For", from}});
    if (!r) throw std::runtime_error("GET " + path + " failed");
    return json::parse(r->body);
  }
  httplib::Result post_order(const json& order, const std::string& from = "10.9.9.9") const {
    auto c = http();
    return c.Post("/orders", httplib::Headers{{"X-Forwarded-For", from}}, order.dump(),
                  "application/json");
  }
  long long processed() const {
    return get_json("/stats", "stats").at("orders").at("processed").get<long long>();
  }

  redwire::test::TempDir dir_{"redwire-example-service"};
  std::uint16_t port_ = 0;
  redwire::test::ChildProcess service_;
};

// The service against one redis-server.
class ExampleService : public ServiceDriver {
 protected:
  void SetUp() override { start(redis_.url()); }

  redwire::test::RedisServer redis_;
};

// The service behind Sentinel (1 master, 1 replica, 3 sentinels), by a redis+sentinel:// URL.
class ExampleServiceSentinel : public ServiceDriver {
 protected:
  void SetUp() override {
    std::string sentinels;
    for (const auto port : topo_.sentinel_ports()) {
      sentinels +=
          (sentinels.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(port);
    }
    start("redis+sentinel://" + sentinels + "/" + topo_.master_name());
  }

  redwire::test::SentinelTopology topo_{{.replicas = 1}};
};

TEST_F(ExampleService, RateLimitAnswers429PerClientOnceOverTheLimit) {
  auto c = http();
  for (int i = 1; i <= 5; ++i) {
    auto r = c.Get("/users/1", httplib::Headers{{"X-Forwarded-For", "10.0.0.1"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << "request " << i;
    EXPECT_EQ(r->get_header_value("RateLimit-Remaining"), std::to_string(5 - i));
  }
  auto over = c.Get("/users/1", httplib::Headers{{"X-Forwarded-For", "10.0.0.1"}});
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 429);
  EXPECT_EQ(over->body, "Too Many Requests");
  const int retry_after = std::stoi(over->get_header_value("Retry-After"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  // Another client has its own window; /health is not limited.
  EXPECT_EQ(status("/users/1", "10.0.0.2"), 200);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(status("/health", "10.0.0.1"), 200);
  // The window lives in Redis under the guide's key shape, with its expiry; the refused request
  // was not counted.
  EXPECT_EQ(redis_.cli("GET", "rl:10.0.0.1"), "5");
  const long long ttl = std::stoll(redis_.cli("TTL", "rl:10.0.0.1"));
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 60);
}

TEST_F(ExampleService, ProfilesAreLoadedOnceThenServedFromTheCache) {
  const long long loads_before = get_json("/stats", "a").at("database").at("loads");
  const json first = get_json("/users/7", "b");
  EXPECT_EQ(first.at("id"), 7);
  EXPECT_EQ(first.at("email"), "user7@example.com");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get_json("/users/7", "c"), first);
  EXPECT_EQ(get_json("/stats", "d").at("database").at("loads"), loads_before + 1);
  // Cached in Redis with the 1 h TTL (plus up to 10% jitter).
  const long long ttl = std::stoll(redis_.cli("TTL", "user:7:profile"));
  EXPECT_GT(ttl, 3500);
  EXPECT_LE(ttl, 3960);
  // An unknown user is a 404, remembered: the database is asked once.
  EXPECT_EQ(status("/users/999999999", "e"), 404);
  EXPECT_EQ(status("/users/999999999", "f"), 404);
  EXPECT_EQ(get_json("/stats", "g").at("database").at("loads"), loads_before + 2);
}

TEST_F(ExampleService, OrdersArePostedToTheStreamAndProcessedOnceEach) {
  long long cents = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string amount = std::to_string(i) + "." + std::to_string(10 + i);
    cents += i * 100 + 10 + i;
    auto r = post_order({{"orderId", "o-" + std::to_string(i)}, {"amount", amount}},
                        "client-" + std::to_string(i % 8));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(json::parse(r->body).at("orderId"), "o-" + std::to_string(i));
  }
  // The same order posted again (a producer's retry) is a second entry, applied once.
  ASSERT_EQ(post_order({{"orderId", "o-3"}, {"amount", "3.13"}}, "client-retry")->status, 202);
  wait_until([&] { return redis_.cli("XLEN", "stream:orders") == "41"; }, 10s, "41 entries");
  wait_until(
      [&] {
        // XPENDING summary: first line is the count of pending entries.
        const std::string pending = redis_.cli("XPENDING", "stream:orders", "order-workers");
        const std::string lag = redis_.cli("XINFO", "GROUPS", "stream:orders");
        return processed() == 40 && pending.rfind("0", 0) == 0 &&
               lag.find("entries-read\n41") != std::string::npos;
      },
      20s, "the workers to process and acknowledge every entry");
  const json stats = get_json("/stats", "stats");
  EXPECT_EQ(stats.at("orders").at("revenue_cents"), cents);
  long long acknowledged = 0;
  for (const auto& [name, w] : stats.at("workers").items())
    acknowledged += w.at("acknowledged").get<long long>();
  EXPECT_EQ(acknowledged, 41);
  const json order = get_json("/orders/o-12", "x");
  EXPECT_EQ(order.at("status"), "processed");
  EXPECT_EQ(order.at("amount_cents"), "1222");
  EXPECT_EQ(status("/orders/o-unknown", "y"), 404);
}

TEST_F(ExampleService, AnUnusableOrderEndsInTheDeadLetterStreamWithItsReason) {
  auto bad_body = http().Post("/orders", httplib::Headers{{"X-Forwarded-For", "z"}},
                              "{\"amount\": 3}", "application/json");
  ASSERT_TRUE(bad_body);
  EXPECT_EQ(bad_body->status, 400);
  ASSERT_EQ(post_order({{"orderId", "o-bad"}, {"amount", "12.345"}})->status, 202);
  ASSERT_EQ(post_order({{"orderId", "o-good"}, {"amount", 5}})->status, 202);
  wait_until([&] { return redis_.cli("XLEN", "stream:orders:dead") == "1"; }, 30s,
             "the bad order to be dead-lettered (2 deliveries, 300 ms apart)");
  const std::string dead = redis_.cli("XRANGE", "stream:orders:dead", "-", "+");
  EXPECT_NE(dead.find("o-bad"), std::string::npos) << dead;
  EXPECT_NE(dead.find("is not a positive amount"), std::string::npos) << dead;
  EXPECT_EQ(status("/orders/o-bad"), 404);
  wait_until([&] { return processed() == 1; }, 10s, "the good order to be processed");
  EXPECT_EQ(get_json("/orders/o-good").at("amount_cents"), "500");
}

TEST_F(ExampleService, RedisDownDegradesTheServiceAndItRecoversWhenRedisIsBack) {
  ASSERT_EQ(post_order({{"orderId", "o-before"}, {"amount", "1.00"}})->status, 202);
  wait_until([&] { return processed() == 1; }, 10s, "the first order");

  redis_.kill9();
  EXPECT_EQ(status("/health"), 503);
  // Profiles come from the database (fail soft); the rate limiter fails open.
  for (int i = 0; i < 7; ++i) EXPECT_EQ(status("/users/3", "10.1.1.1"), 200) << i;
  auto refused = post_order({{"orderId", "o-during"}, {"amount", "2.00"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503) << refused->body;

  redis_.restart();  // no persistence: an empty server, the group is gone too
  wait_until([&] { return status("/health") == 200; }, 20s, "the service to see Redis again");
  ASSERT_EQ(post_order({{"orderId", "o-after"}, {"amount", "3.00"}})->status, 202);
  wait_until([&] { return redis_.cli("HGET", "order:o-after", "status") == "processed"; }, 20s,
             "the workers to recreate their group and process the new order");
  EXPECT_EQ(status("/users/3", "10.1.1.1"), 200);
}

TEST_F(ExampleService, SigtermStopsItCleanly) {
  ASSERT_EQ(post_order({{"orderId", "o-last"}, {"amount", "9.99"}})->status, 202);
  wait_until([&] { return processed() == 1; }, 10s, "the order");
  service_.signal(SIGTERM);
  const auto status_code = service_.wait_for_exit(15s);
  ASSERT_TRUE(status_code.has_value()) << "still running 15 s after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status_code));
  EXPECT_EQ(WEXITSTATUS(*status_code), 0);
  EXPECT_NE(log().find("stopped"), std::string::npos);
}

TEST_F(ExampleServiceSentinel, FindsTheMasterThroughTheSentinelsAndFollowsAFailover) {
  EXPECT_EQ(get_json("/users/5").at("id"), 5);
  ASSERT_EQ(post_order({{"orderId", "o-1"}, {"amount", "1.50"}})->status, 202);
  wait_until([&] { return processed() == 1; }, 10s, "the first order");
  EXPECT_EQ(topo_.master().cli("HGET", "order:o-1", "status"), "processed");

  topo_.master().wait_replicated(1);  // the order's writes are on the replica
  const std::uint16_t new_port = topo_.failover();
  redwire::test::RedisServer& new_master = *topo_.server_by_port(new_port);
  // Orders posted while the service finds the new master may be refused (503) but never lost
  // once accepted (202): post until one is accepted.
  wait_until(
      [&] {
        auto r = post_order({{"orderId", "o-2"}, {"amount", "2.25"}});
        return r && r->status == 202;
      },
      20s, "an order accepted after the failover");
  wait_until([&] { return new_master.cli("HGET", "order:o-2", "status") == "processed"; }, 20s,
             "the workers to process it on the new master");
  EXPECT_EQ(get_json("/stats", "stats").at("orders").at("revenue_cents"), 375);
  EXPECT_EQ(status("/health"), 200);
}

}  // namespace
