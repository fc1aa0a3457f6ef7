// Links that drop and servers that go away (FAULTS.md rows 1-4, 13): the client reconnects
// with backoff, replays its handshake, sends queued commands once, and tells the truth about
// commands whose replies were lost.
#include "event_log.hpp"
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using test::RedisServer;

RetryStrategy fast_retries() {
  return [](std::uint32_t) { return std::optional(std::chrono::milliseconds(20)); };
}

TEST(Reconnect, IdleKillByServerTimeoutIsDetectedAndTheNextCommandWorks) {
  RedisServer server{{.config = {"timeout 1"}}};
  EventLog events;
  Options o = options_for(server);
  o.on_event = events.handler();
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
  ASSERT_TRUE(events.wait_for(EventType::close, 1, 10s)) << "server did not close the idle link";
  ASSERT_TRUE(events.wait_for(EventType::ready, 2, 10s));
  EXPECT_EQ(redis.incr("after-idle"), 1);
}

TEST(Reconnect, ClientKillReplaysTheWholeHandshake) {
  RedisServer server;
  EventLog events;
  Options o = options_for(server);
  o.db = 3;
  o.client_name = "replayed";
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  SyncClient redis{o};
  redis.set("before", "1");
  EXPECT_NE(server.cli("CLIENT", "KILL", "TYPE", "normal"), "0");
  ASSERT_TRUE(events.wait_for(EventType::ready, 2));
  redis.set("after", "2");
  EXPECT_EQ(server.cli("-n", "3", "GET", "after"), "2");
  const auto list = server.cli("CLIENT", "LIST");
  EXPECT_NE(list.find("name=replayed"), std::string::npos) << list;
  EXPECT_NE(list.find("db=3"), std::string::npos) << list;
}

TEST(Reconnect, ServerDownAtStartThenUpLater) {
  RedisServer server;
  Options o = options_for(server);
  server.stop();
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = std::nullopt;  // wait as long as it takes
  EventLog events;
  o.on_event = events.handler();
  SyncClient redis{o};
  std::thread starter([&] {
    events.wait_for(EventType::reconnecting, 3);
    server.restart();
  });
  EXPECT_EQ(redis.incr("queued-while-down"), 1);  // waited in the offline queue, sent once
  starter.join();
  EXPECT_EQ(server.cli("GET", "queued-while-down"), "1");
}

TEST(Reconnect, MaxRetriesPerRequestFailsQueuedCommandsClearly) {
  RedisServer server;
  Options o = options_for(server);
  server.stop();
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = 2;
  SyncClient redis{o};
  try {
    redis.get("k");
    FAIL() << "expected max_retries_exceeded";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), errc::max_retries_exceeded);
    EXPECT_FALSE(e.is_indeterminate());
  }
}

TEST(Reconnect, RetryStrategyThatGivesUpEndsTheClient) {
  RedisServer server;
  Options o = options_for(server);
  server.stop();
  EventLog events;
  o.on_event = events.handler();
  o.retry_strategy = [](std::uint32_t attempt) -> std::optional<std::chrono::milliseconds> {
    if (attempt > 3) return std::nullopt;
    return std::chrono::milliseconds(10);
  };
  SyncClient redis{o};
  EXPECT_THROW(redis.ping(), ConnectionError);
  ASSERT_TRUE(events.wait_for(EventType::end));
  EXPECT_EQ(events.count(EventType::connecting), 4u);
  EXPECT_THROW(redis.ping(), ConnectionError);  // ended: fails at once
}

TEST(Reconnect, OfflineQueueDisabledFailsAtOnce) {
  RedisServer server;
  Options o = options_for(server);
  server.stop();
  o.offline_queue = false;
  o.retry_strategy = fast_retries();
  SyncClient redis{o};
  try {
    redis.ping();
    FAIL();
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), errc::offline_queue_disabled);
  }
}

TEST(Reconnect, FullOfflineQueueFailsFast) {
  RedisServer server;
  Options o = options_for(server);
  server.stop();
  o.offline_queue_limit = 2;
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = std::nullopt;
  asio::io_context io;
  Client redis{io, o};
  std::vector<std::error_code> results;
  for (int i = 0; i < 3; ++i) {
    redis.incr("q", [&](std::error_code ec, long long) { results.push_back(ec); });
  }
  while (results.empty() && io.run_one_for(5s)) {
  }
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0], errc::offline_queue_full);
  server.restart();
  while (results.size() < 3 && io.run_one_for(5s)) {
  }
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[1]);
  EXPECT_FALSE(results[2]);
  EXPECT_EQ(server.cli("GET", "q"), "2");
}

TEST(Reconnect, KillNineAndRestartLosesNoAcknowledgedWrite) {
  RedisServer server{{.appendonly = true}};
  Options o = options_for(server);
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = std::nullopt;
  asio::io_context io;
  Client redis{io, o};
  constexpr int kCallers = 20;
  constexpr int kTotal = 10000;
  std::atomic<int> issued{0}, acked{0}, indeterminate{0}, failed{0}, finished{0};
  std::atomic<bool> restarted{false};
  auto caller = [&]() -> asio::awaitable<void> {
    while (issued.fetch_add(1) < kTotal) {
      std::error_code ec;
      co_await redis.incr("counter", asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        ++acked;
      } else if (ec == errc::indeterminate) {
        ++indeterminate;
      } else {
        ++failed;
      }
    }
    if (++finished == kCallers) io.stop();
  };
  for (int i = 0; i < kCallers; ++i) asio::co_spawn(io, caller(), asio::detached);
  std::thread chaos([&] {
    while (acked.load() < 2000) std::this_thread::sleep_for(1ms);
    server.kill9();
    std::this_thread::sleep_for(200ms);
    server.restart();
    restarted = true;
  });
  io.run_for(120s);
  chaos.join();
  ASSERT_EQ(finished.load(), kCallers);
  const long long value = std::stoll(server.cli("GET", "counter"));
  std::printf("acknowledged=%d indeterminate=%d failed=%d server=%lld\n", acked.load(),
              indeterminate.load(), failed.load(), value);
  EXPECT_TRUE(restarted.load());
  EXPECT_EQ(acked + indeterminate + failed, kTotal);      // every command ended, none silently
  EXPECT_GE(value, acked.load());                         // nothing acknowledged was lost
  EXPECT_LE(value, acked.load() + indeterminate.load());  // nothing ran that we did not report
  EXPECT_EQ(failed.load(), 0);                            // unwritten ones waited for the reconnect
}

TEST(Reconnect, RotatedCredentialsFailClearlyWithoutHammering) {
  RedisServer server{{.users = {{.name = "svc", .password = "old-pw"}}}};
  EventLog events;
  Options o = options_for(server);
  o.username = "svc";
  o.password = "old-pw";
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
  server.cli("ACL", "SETUSER", "svc", "resetpass", ">new-pw");
  server.cli("CLIENT", "KILL", "USER", "svc");
  ASSERT_TRUE(events.wait_for(EventType::end));
  try {
    redis.ping();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::auth_failed);
    EXPECT_NE(std::string(e.what()).find("WRONGPASS"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("old-pw"), std::string::npos);
  }
  EXPECT_EQ(events.count(EventType::connecting), 2u);  // the first link and one retry, no more
}

TEST(Reconnect, CloseIsGracefulAndDisconnectIsImmediate) {
  RedisServer server;
  asio::io_context io;
  Client redis{io, options_for(server)};
  std::vector<std::error_code> results;
  redis.execute<void>(Command("DEBUG", "SLEEP", "0.2"),
                      [&](std::error_code ec) { results.push_back(ec); });
  redis.close();
  redis.ping([&](std::error_code ec, std::string) { results.push_back(ec); });
  io.run_for(10s);
  ASSERT_EQ(results.size(), 2u);
  // The PING came after close(): refused. The sleep that was pending finished normally.
  EXPECT_EQ(results[0], errc::connection_closed);
  EXPECT_FALSE(results[1]);

  asio::io_context io2;
  Client other{io2, options_for(server)};
  std::error_code sleep_ec;
  other.execute<void>(Command("DEBUG", "SLEEP", "0.5"), [&](std::error_code ec) { sleep_ec = ec; });
  asio::steady_timer t(io2, 100ms);
  t.async_wait([&](std::error_code) { other.disconnect(); });
  io2.run_for(10s);
  EXPECT_EQ(sleep_ec, errc::indeterminate);
}

TEST(Reconnect, EventsFollowTheLifecycle) {
  RedisServer server;
  EventLog events;
  Options o = options_for(server);
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  {
    SyncClient redis{o};
    redis.ping();
    server.cli("CLIENT", "KILL", "TYPE", "normal");
    ASSERT_TRUE(events.wait_for(EventType::ready, 2));
    redis.close();
    ASSERT_TRUE(events.wait_for(EventType::end));
  }
  std::vector<EventType> types;
  for (const auto& e : events.snapshot()) types.push_back(e.type);
  using E = EventType;
  const std::vector<E> expected{E::connecting, E::connect,      E::ready,      E::error,
                                E::close,      E::reconnecting, E::connecting, E::connect,
                                E::ready,      E::close,        E::end};
  EXPECT_EQ(types, expected);
}

}  // namespace
}  // namespace redwire::testing
