// Many callers on one connection: every reply reaches its own caller; blocking commands do not
// stall the shared link.
#include <asio/steady_timer.hpp>

#include "fixture.hpp"

namespace redwire::testing {
namespace {

using Multiplexing = ServerTest;

TEST_F(Multiplexing, ThousandCoroutinesShareOneConnectionAndEachGetsItsOwnReplies) {
  asio::io_context io;
  Client redis{io, options()};
  constexpr int kCallers = 1000;
  constexpr int kRounds = 50;  // a SET and a GET each: 100 commands per caller
  std::atomic<int> mismatches{0};
  std::atomic<int> finished{0};
  auto caller = [&](int c) -> asio::awaitable<void> {
    for (int i = 0; i < kRounds; ++i) {
      const std::string key = "mux:" + std::to_string(c) + ":" + std::to_string(i);
      const std::string value = "value-" + std::to_string(c * 1000 + i);
      co_await redis.set(key, value, asio::use_awaitable);
      auto got = co_await redis.get(key, asio::use_awaitable);
      if (got != value) ++mismatches;
    }
    if (++finished == kCallers) io.stop();
  };
  for (int c = 0; c < kCallers; ++c) {
    asio::co_spawn(io, caller(c), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  }
  io.run_for(120s);
  EXPECT_EQ(finished.load(), kCallers);
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(server.cli("DBSIZE"), std::to_string(kCallers * kRounds));
  // One link carried it all (plus none for blocking commands): autopipelining, not a pool.
  const auto clients = server.cli("CLIENT", "LIST");
  EXPECT_EQ(std::count(clients.begin(), clients.end(), '\n') + 1, 2) << clients;  // us + redis-cli
}

TEST_F(Multiplexing, BlockingPopDoesNotDelayOtherCallers) {
  asio::io_context io;
  Client redis{io, options()};
  bool brpop_done = false;
  bool get_done_while_brpop_pending = false;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await redis.set("k", "v", asio::use_awaitable);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto r = co_await redis.brpop("nothing-here", 2s, asio::use_awaitable);
          EXPECT_FALSE(r.has_value());
          brpop_done = true;
        },
        asio::detached);
    // Give the BRPOP time to be written before the GET, so a shared link would queue the GET.
    asio::steady_timer t(io, 100ms);
    co_await t.async_wait(asio::use_awaitable);
    auto v = co_await redis.get("k", asio::use_awaitable);
    EXPECT_EQ(v, "v");
    get_done_while_brpop_pending = !brpop_done;
    while (!brpop_done) {
      asio::steady_timer w(io, 20ms);
      co_await w.async_wait(asio::use_awaitable);
    }
  });
  EXPECT_TRUE(get_done_while_brpop_pending);
  EXPECT_TRUE(brpop_done);
}

TEST_F(Multiplexing, ConcurrentBlockingPopsUseSeparateLinks) {
  SyncClient redis{options()};
  std::vector<std::thread> waiters;
  std::atomic<int> got{0};
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&, i] {
      auto r = redis.blpop("jobs:" + std::to_string(i), 10s);
      if (r && r->second == "job" + std::to_string(i)) ++got;
    });
  }
  // Wait until the three pops are blocked on the server, then feed them in reverse order:
  // with one shared link the first pop would hold the others back.
  for (int i = 0; i < 200 && server.info_field("clients", "blocked_clients") != "3"; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(server.info_field("clients", "blocked_clients"), "3");
  for (int i = 2; i >= 0; --i)
    server.cli("RPUSH", "jobs:" + std::to_string(i), "job" + std::to_string(i));
  for (auto& w : waiters) w.join();
  EXPECT_EQ(got.load(), 3);
}

}  // namespace
}  // namespace redwire::testing
