// Discovery (FAULTS.md row 18 and the replica role): a stopped sentinel is skipped quickly, no
// sentinel at all gives a clear error after the retry policy, replica reads go to a replica and
// survive its restart, leased links (WATCH) find the master as the client's own link does.
#include <map>

#include "redwire/test/ports.hpp"
#include "redwire/watch.hpp"
#include "sentinel_fixture.hpp"

namespace redwire::testing {
namespace {

using test::SentinelTopology;
using Clock = std::chrono::steady_clock;

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

long long get_calls(test::RedisServer& node) {
  // cmdstat_get:calls=N,usec=...
  const auto line = test::parse_info_field(node.info("commandstats"), "cmdstat_get");
  if (!line) return 0;
  return std::stoll(line->substr(line->find('=') + 1));
}

TEST(SentinelDiscovery, StoppedSentinelIsSkippedQuicklyAndTheOneThatAnsweredGoesFirst) {
  SentinelTopology topo;
  TimedEvents events;
  auto so = sentinel_options_for(topo);  // sentinel 0 is asked first
  so.sentinel_timeout = std::chrono::milliseconds(500);
  so.node.on_event = events.handler();
  const std::string master = endpoint_of(topo.master().port());
  topo.sentinel(0).pause();
  const auto t0 = Clock::now();
  {
    SyncClient redis = sentinel_sync_client(so);
    EXPECT_EQ(redis.ping(), "PONG");
    const long long first = ms_since(t0);
    // The next discovery asks the sentinel that answered first: no timeout to sit through.
    const auto t1 = Clock::now();
    EXPECT_NE(topo.master().cli("CLIENT", "KILL", "TYPE", "normal"), "0");
    test::wait_until([&] { return events.first(EventType::ready, master, t1).has_value(); },
                     std::chrono::seconds(5), "the reconnect");
    const long long second = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 *events.first(EventType::ready, master, t1) - t1)
                                 .count();
    std::printf(
        "[stopped sentinel] first discovery %lld ms (one 500 ms timeout), rediscovery "
        "after CLIENT KILL %lld ms\n",
        first, second);
    EXPECT_GE(first, 450);  // the stopped sentinel was asked first and cost one timeout ...
    EXPECT_LT(first, 2000);
    EXPECT_LT(second, 450);  // ... and was not asked again: no timeout this time
    EXPECT_EQ(redis.incr("k"), 1);
    // Blocking commands run on the blocking pool's links, which discover the master too.
    redis.rpush("jobs", "job-1");
    const auto job = redis.blpop("jobs", std::chrono::seconds(1));
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->second, "job-1");
  }
  topo.sentinel(0).resume();
}

TEST(SentinelDiscovery, NoSentinelAnsweringIsAClearErrorAfterTheRetryPolicyNotAHang) {
  // One port nobody listens on and one process that accepts connections but never answers.
  test::RedisServer mute;
  mute.pause();
  SentinelOptions so;
  so.sentinels = {{"127.0.0.1", test::free_port()}, {"127.0.0.1", mute.port()}};
  so.master_name = "mymaster";
  so.sentinel_timeout = std::chrono::milliseconds(200);
  so.node.retry_strategy = [](std::uint32_t attempt) -> std::optional<std::chrono::milliseconds> {
    if (attempt > 3) return std::nullopt;  // give up after 3 reconnects
    return std::chrono::milliseconds(20);
  };
  TimedEvents events;
  so.node.on_event = events.handler();
  const auto t0 = Clock::now();
  {
    SyncClient redis = sentinel_sync_client(so);
    try {
      redis.ping();
      ADD_FAILURE() << "expected an error";
    } catch (const ConnectionError& e) {
      const long long took = ms_since(t0);
      std::printf("[no sentinel] failed after %lld ms: %s\n", took, e.what());
      EXPECT_EQ(e.code(), sentinel_errc::no_sentinel_reachable);
      EXPECT_LT(took, 3000);  // 4 attempts, each at most one refused connect + one 200 ms timeout
    }
  }
  // Each attempt says which sentinel failed and how, without secrets.
  EXPECT_TRUE(events.any_detail("no answer within 200 ms")) << events.dump();
  EXPECT_TRUE(events.any_detail(endpoint_of(so.sentinels[0].port))) << events.dump();
  mute.resume();
}

TEST(SentinelDiscovery, QueuedCommandsFailWithMaxRetriesWhenSentinelsStayDown) {
  SentinelOptions so;
  so.sentinels = {{"127.0.0.1", test::free_port()}};
  so.master_name = "mymaster";
  so.node.retry_strategy = [](std::uint32_t) {
    return std::optional(std::chrono::milliseconds(20));
  };
  so.node.max_retries_per_request = 3;
  SyncClient redis = sentinel_sync_client(so);
  try {
    redis.get("k");
    ADD_FAILURE() << "expected max_retries_exceeded";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), errc::max_retries_exceeded);
    EXPECT_FALSE(e.is_indeterminate());
  }
}

TEST(SentinelDiscovery, UnknownMasterNameSaysSo) {
  SentinelTopology topo;
  auto so = sentinel_options_for(topo);
  so.master_name = "nosuchmaster";
  so.node.retry_strategy = [](std::uint32_t attempt) -> std::optional<std::chrono::milliseconds> {
    if (attempt > 1) return std::nullopt;
    return std::chrono::milliseconds(20);
  };
  SyncClient redis = sentinel_sync_client(so);
  try {
    redis.ping();
    ADD_FAILURE() << "expected master_unknown";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), sentinel_errc::master_unknown);
  }
}

TEST(SentinelDiscovery, ReplicaRoleReadsFromAReplicaAndSurvivesItsRestart) {
  SentinelTopology topo;
  test::RedisServer& master = topo.master();
  master.cli("SET", "greeting", "hello");
  for (auto* r : topo.replicas()) {
    test::wait_until([&] { return r->cli("GET", "greeting") == "hello"; }, std::chrono::seconds(10),
                     "replication of the key");
  }
  std::map<test::RedisServer*, long long> baseline;  // the polling above ran GET too
  for (auto* r : topo.replicas()) baseline[r] = get_calls(*r);
  TimedEvents events;
  auto so = sentinel_options_for(topo);
  so.role = SentinelRole::replica;
  so.node.on_event = events.handler();
  SyncClient redis = sentinel_sync_client(so);
  for (int i = 0; i < 200; ++i) ASSERT_EQ(redis.get("greeting"), "hello");
  long long on_replicas = 0;
  test::RedisServer* serving = nullptr;
  for (auto* r : topo.replicas()) {
    const long long n = get_calls(*r) - baseline[r];
    on_replicas += n;
    if (n > 0) serving = r;
  }
  EXPECT_EQ(on_replicas, 200);
  EXPECT_EQ(get_calls(master), 0);
  ASSERT_NE(serving, nullptr);
  EXPECT_THROW(redis.set("greeting", "bye"), ReplyError);  // READONLY: a replica, not resent

  // Restart the replica being read from while a reader keeps going: reads are resent, and a
  // replica that has not finished its first sync is turned away by the ROLE check.
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, wrong{0};
  std::thread reader([&] {
    while (!stop) {
      if (redis.get("greeting") != std::optional<std::string>("hello")) ++wrong;
      ++reads;
    }
  });
  const auto t0 = Clock::now();
  serving->restart();
  const int before = reads.load();
  test::wait_until([&] { return reads.load() > before + 200; }, std::chrono::seconds(20),
                   "reads after the restart");
  stop = true;
  reader.join();
  std::printf(
      "[replica restart] %d reads, %d wrong; reads flowing again %lld ms after the "
      "restart began\n",
      reads.load(), wrong.load(), ms_since(t0));
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(get_calls(master), 0);
}

TEST(SentinelDiscovery, LeasedLinksFindTheMasterToo) {
  // WATCH needs a link of its own (a lease): it is prepared like the client's link, so it asks
  // the sentinels too instead of going to node.host:node.port.
  SentinelTopology topo;
  auto so = sentinel_options_for(topo);
  so.node.host = "127.0.0.1";
  so.node.port = test::free_port();  // nothing listens there
  so.node.max_retries_per_request = 2;
  SyncClient redis = sentinel_sync_client(so);
  redis.set("balance", "10");
  auto results = transaction(redis, {"balance"}, [](SyncWatch& watch, SyncTransaction& tx) {
    const long long balance = std::stoll(watch.get("balance").value_or("0"));
    tx.set("balance", std::to_string(balance + 1));
  });
  EXPECT_EQ(results.size(), 1u);
  EXPECT_EQ(topo.master().cli("GET", "balance"), "11");
}

}  // namespace
}  // namespace redwire::testing
