// FAULTS.md rows 5, 7, 8, 10, 11 and the READONLY case of reconnect_on_error: stalls, cut
// links, executed-but-unanswered commands, a loading server, and server errors that must pass
// through without a reconnect.
#include "event_log.hpp"
#include "fixture.hpp"
#include "redwire/test/fault_proxy.hpp"

namespace redwire::testing {
namespace {

using test::FaultProxy;
using test::RedisServer;

RetryStrategy fast_retries() {
  return [](std::uint32_t) { return std::optional(std::chrono::milliseconds(20)); };
}

TEST(FaultMatrix, HealthCheckClosesAStalledLink) {
  RedisServer server;
  FaultProxy proxy{server.port()};
  EventLog events;
  Options o = options_for(server);
  o.port = proxy.port();
  o.health_check_interval = 200ms;
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
  proxy.stall(FaultProxy::Direction::both);
  ASSERT_TRUE(events.wait_for(EventType::close, 1, 10s)) << "stall not detected";
  bool health_check_error = false;
  for (const auto& e : events.snapshot()) {
    if (e.type == EventType::error && e.detail.find("health check") != std::string::npos) {
      health_check_error = true;
    }
  }
  EXPECT_TRUE(health_check_error);
  proxy.pass();
  EXPECT_EQ(redis.ping(), "PONG");
}

TEST(FaultMatrix, CutMidPipelineDeliversWhatArrivedAndAccountsForTheRest) {
  RedisServer server;
  FaultProxy proxy{server.port()};
  Options o = options_for(server);
  o.port = proxy.port();
  o.retry_strategy = fast_retries();
  asio::io_context io;
  Client redis{io, o};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await redis.set("r", "read-me", asio::use_awaitable);
  });

  constexpr int kEach = 200;
  int ok_reads = 0, bad_reads = 0, acked = 0, indeterminate = 0, other = 0, done = 0;
  proxy.cut_after(600, FaultProxy::Direction::server_to_client);
  for (int i = 0; i < kEach; ++i) {
    redis.get("r", [&](std::error_code ec, std::optional<std::string> v) {
      (!ec && v == "read-me") ? ++ok_reads : ++bad_reads;
      ++done;
    });
    redis.incr("n", [&](std::error_code ec, long long) {
      if (!ec) {
        ++acked;
      } else if (ec == errc::indeterminate) {
        ++indeterminate;
      } else {
        ++other;
      }
      ++done;
    });
  }
  io.restart();
  while (done < 2 * kEach && io.run_one_for(10s)) {
  }
  ASSERT_EQ(done, 2 * kEach);
  const long long n = std::stoll(server.cli("GET", "n"));
  std::printf("reads ok=%d  incr acked=%d indeterminate=%d other=%d  server n=%lld\n", ok_reads,
              acked, indeterminate, other, n);
  EXPECT_EQ(ok_reads, kEach);  // read-only commands are resent after the cut
  EXPECT_EQ(bad_reads, 0);
  EXPECT_GT(indeterminate, 0);  // the cut left some INCRs unanswered
  EXPECT_EQ(other, 0);
  EXPECT_GE(n, acked);
  EXPECT_LE(n, acked + indeterminate);
}

TEST(FaultMatrix, ExecutedWithoutReplyIsReportedAsIndeterminate) {
  // The server applies the transaction, then drops us for the size of its reply.
  RedisServer server{{.config = {"client-output-buffer-limit normal 100000 0 0"}}};
  server.cli("DEBUG", "POPULATE", "1", "seed");  // make sure DEBUG works here
  std::vector<std::string> big;
  for (int i = 0; i < 20000; ++i) big.push_back("element-" + std::to_string(i));
  SyncClient setup{options_for(server)};
  setup.rpush("big", big);
  asio::io_context io;
  Options o = options_for(server);
  o.retry_strategy = fast_retries();
  Client redis{io, o};
  std::error_code exec_ec;
  int done = 0;
  auto count = [&](std::error_code, auto&&...) { ++done; };
  redis.execute<void>(Command("MULTI"), count);
  redis.execute<void>(Command("INCR", "c"), [&](std::error_code) { ++done; });
  redis.execute<void>(Command("LRANGE", "big", 0, -1), [&](std::error_code) { ++done; });
  redis.execute<Reply>(Command("EXEC"), [&](std::error_code ec, Reply) {
    exec_ec = ec;
    ++done;
  });
  while (done < 4 && io.run_one_for(10s)) {
  }
  EXPECT_EQ(exec_ec, errc::indeterminate) << exec_ec.message();
  EXPECT_EQ(server.cli("GET", "c"), "1");  // it ran
}

TEST(FaultMatrix, ReadyCheckWaitsForALoadingServer) {
  RedisServer server;
  server.cli("DEBUG", "POPULATE", "50000");
  server.cli("SAVE");
  server.set_extra_args({"--key-load-delay", "30"});  // ~1.5 s of loading
  server.restart();
  ASSERT_EQ(server.info_field("persistence", "loading"), "1") << "loaded too fast to test";
  EventLog events;
  Options o = options_for(server);
  o.on_event = events.handler();
  SyncClient redis{o};
  // Without the ready check this would fail with LOADING.
  EXPECT_EQ(redis.dbsize(), 50000);
  EXPECT_EQ(server.info_field("persistence", "loading"), "0");
  EXPECT_EQ(events.count(EventType::ready), 1u);
}

TEST(FaultMatrix, ServerErrorsPassThroughWithoutReconnecting) {
  RedisServer server{{.config = {"busy-reply-threshold 100"}}};
  EventLog events;
  Options o = options_for(server);
  o.on_event = events.handler();
  SyncClient redis{o};
  // OOM
  server.cli("CONFIG", "SET", "maxmemory", "1");
  try {
    redis.set("k", "v");
    FAIL();
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::oom);
  }
  server.cli("CONFIG", "SET", "maxmemory", "0");
  // NOREPLICAS
  server.cli("CONFIG", "SET", "min-replicas-to-write", "1");
  try {
    redis.set("k", "v");
    FAIL();
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::noreplicas);
  }
  server.cli("CONFIG", "SET", "min-replicas-to-write", "0");
  // BUSY: a long script on another link, then SCRIPT KILL.
  std::thread script([&] {
    SyncClient other{options_for(server)};
    try {
      other.command<Reply>("EVAL", "while true do end", 0);
    } catch (const Error&) {
      // killed: "ERR Error running script ... Script killed by user"
    }
  });
  bool saw_busy = false;
  for (int i = 0; i < 200 && !saw_busy; ++i) {
    try {
      redis.ping();
      std::this_thread::sleep_for(10ms);
    } catch (const ReplyError& e) {
      saw_busy = e.code() == server_errc::busy;
    }
  }
  server.cli("SCRIPT", "KILL");
  script.join();
  EXPECT_TRUE(saw_busy);
  EXPECT_EQ(redis.ping(), "PONG");
  EXPECT_EQ(events.count(EventType::connecting), 1u);  // never reconnected
}

TEST(FaultMatrix, ReadonlyWithReconnectOnErrorResendsToTheNewMaster) {
  RedisServer master;
  RedisServer replica;
  replica.cli("REPLICAOF", "127.0.0.1", std::to_string(master.port()));
  FaultProxy proxy{replica.port()};  // the client believes the replica is the master
  EventLog events;
  Options o = options_for(replica);
  o.port = proxy.port();
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  std::atomic<int> decisions{0};
  o.reconnect_on_error = [&](const ServerError& e) {
    if (e.code != server_errc::readonly) return ErrorAction::none;
    ++decisions;
    proxy.set_target(master.port());  // "failover": new links reach the master
    return ErrorAction::reconnect_and_resend;
  };
  SyncClient redis{o};
  EXPECT_TRUE(redis.set("written", "after-failover"));
  EXPECT_EQ(decisions.load(), 1);
  EXPECT_EQ(master.cli("GET", "written"), "after-failover");
  EXPECT_EQ(events.count(EventType::ready), 2u);
}

TEST(FaultMatrix, ReadonlyWithoutReconnectOnErrorIsAnOrdinaryError) {
  RedisServer master;
  RedisServer replica;
  replica.cli("REPLICAOF", "127.0.0.1", std::to_string(master.port()));
  SyncClient redis{options_for(replica)};
  try {
    redis.set("k", "v");
    FAIL();
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::readonly);
  }
}

}  // namespace
}  // namespace redwire::testing
