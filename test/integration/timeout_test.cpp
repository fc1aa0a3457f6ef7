// Command timeouts and cancellation: the caller gets its error, and a reply that arrives late
// is consumed and dropped — never handed to the next caller (FAULTS.md row 6).
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/steady_timer.hpp>

#include "fixture.hpp"
#include "redwire/test/fault_proxy.hpp"

namespace redwire::testing {
namespace {

using test::FaultProxy;
using test::RedisServer;

TEST(LateReplies, ReplyArrivingAfterTimeoutNeverReachesTheNextCaller) {
  RedisServer server;
  server.cli("SET", "user:alice:secret", "alice-data");
  server.cli("SET", "user:bob:profile", "bob-data");
  FaultProxy proxy{server.port()};
  Options o = options_for(server);
  o.port = proxy.port();
  o.command_timeout = 100ms;
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");

  proxy.delay(500ms);
  try {
    redis.get("user:alice:secret");
    FAIL() << "expected a timeout";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.code(), errc::command_timeout);
  }
  // The next caller, with patience, gets its own reply even though alice's arrives first.
  auto bob = redis.execute<std::optional<std::string>>(
      Command("GET", "user:bob:profile").with_timeout(5s));
  EXPECT_EQ(bob, "bob-data");
  proxy.pass();
  EXPECT_EQ(redis.get("user:bob:profile"), "bob-data");
  EXPECT_EQ(redis.get("user:alice:secret"), "alice-data");
}

TEST(LateReplies, DebugSleepTimesOutAndTheLinkRecovers) {
  RedisServer server;
  Options o = options_for(server);
  o.command_timeout = 100ms;
  SyncClient redis{o};
  redis.set("k", "v");
  EXPECT_THROW(redis.command<std::string>("DEBUG", "SLEEP", "0.5"), TimeoutError);
  auto v = redis.execute<std::optional<std::string>>(Command("GET", "k").with_timeout(5s));
  EXPECT_EQ(v, "v");
}

TEST(LateReplies, ClientPauseTimesOutThenCommandsFlowAgain) {
  RedisServer server;
  Options o = options_for(server);
  o.command_timeout = 200ms;
  SyncClient redis{o};
  redis.set("k", "1");
  server.cli("CLIENT", "PAUSE", "1000", "ALL");
  EXPECT_THROW(redis.get("k"), TimeoutError);
  auto v = redis.execute<std::optional<std::string>>(Command("GET", "k").with_timeout(5s));
  EXPECT_EQ(v, "1");
}

TEST(LateReplies, CancelledCommandCompletesWithOperationAbortedAndItsReplyIsDropped) {
  RedisServer server;
  server.cli("SET", "a", "A");
  server.cli("SET", "b", "B");
  asio::io_context io;
  Client redis{io, options_for(server)};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await redis.ping(asio::use_awaitable);
    asio::cancellation_signal cancel;
    std::error_code sleep_ec;
    bool sleep_done = false;
    redis.execute<void>(Command("DEBUG", "SLEEP", "0.3"),
                        asio::bind_cancellation_slot(cancel.slot(), [&](std::error_code ec) {
                          sleep_ec = ec;
                          sleep_done = true;
                        }));
    // Queued behind the sleep on the same link:
    redis.get("a", [&](std::error_code, std::optional<std::string> v) { EXPECT_EQ(v, "A"); });
    asio::steady_timer t(io, 50ms);
    co_await t.async_wait(asio::use_awaitable);
    cancel.emit(asio::cancellation_type::terminal);
    while (!sleep_done) {
      asio::steady_timer w(io, 5ms);
      co_await w.async_wait(asio::use_awaitable);
    }
    EXPECT_EQ(sleep_ec, asio::error::operation_aborted);
    EXPECT_EQ(co_await redis.get("b", asio::use_awaitable), "B");
  });
}

TEST(LateReplies, CancellingAnUnsentCommandWithdrawsIt) {
  RedisServer server;
  asio::io_context io;
  Options o = options_for(server);
  o.lazy_connect = true;
  Client redis{io, o};
  asio::cancellation_signal cancel;
  std::error_code got;
  redis.execute<long long>(Command("INCR", "never"),
                           asio::bind_cancellation_slot(
                               cancel.slot(), [&](std::error_code ec, long long) { got = ec; }));
  cancel.emit(asio::cancellation_type::total);
  run_coroutine(io, [&]() -> asio::awaitable<void> { co_await redis.ping(asio::use_awaitable); });
  EXPECT_EQ(got, asio::error::operation_aborted);
  EXPECT_EQ(server.cli("GET", "never"), "");
}

}  // namespace
}  // namespace redwire::testing
