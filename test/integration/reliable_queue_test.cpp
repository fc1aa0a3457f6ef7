// ReliableQueue: BLMOVE into a per-worker processing list, LREM on ack, and recovery of a dead
// worker's list by another worker.
#include "redwire/reliable_queue.hpp"
#include "fixture.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using asio::use_awaitable;

TEST_F(ServerTest, PoppedJobsWaitInTheProcessingListUntilAcknowledged) {
  asio::io_context io;
  Client redis{io, options()};
  ReliableQueue q{redis, {.queue = "queue:emails", .worker = "w1"}};
  SyncClient admin{options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await q.push("job-1", use_awaitable);
    co_await q.push("job-2", use_awaitable);
    auto job = co_await q.pop(1s, use_awaitable);
    EXPECT_EQ(job, std::optional<std::string>("job-1"));  // FIFO
    EXPECT_EQ(admin.lrange(q.processing_list(), 0, -1), std::vector<std::string>{"job-1"});
    EXPECT_TRUE(co_await q.ack("job-1", use_awaitable));
    EXPECT_FALSE(co_await q.ack("job-1", use_awaitable));
    EXPECT_EQ(admin.llen(q.processing_list()), 0);
    EXPECT_EQ(co_await q.pop(1s, use_awaitable), std::optional<std::string>("job-2"));
    EXPECT_EQ(co_await q.pop(50ms, use_awaitable), std::nullopt);  // empty: timed out
  });
  EXPECT_EQ(q.processing_list(), "{queue:emails}:processing:w1");
}

TEST_F(ServerTest, AWorkerThatDiesHoldingJobsIsRecoveredByAnotherInOrder) {
  asio::io_context io;
  Client redis{io, options()};
  SyncClient admin{options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    {
      // Worker "a" takes three jobs and dies before acknowledging any (its object just goes).
      ReliableQueue a{redis, {.queue = "q", .worker = "a", .liveness_ttl = 300ms}};
      const std::vector<std::string> jobs{"1", "2", "3", "4"};
      for (const auto& job : jobs) co_await a.push(job, use_awaitable);
      for (int i = 0; i < 3; ++i) CO_ASSERT_TRUE((co_await a.pop(1s, use_awaitable)).has_value());
    }
    ReliableQueue b{redis, {.queue = "q", .worker = "b", .liveness_ttl = 300ms}};
    EXPECT_EQ(co_await b.recover_dead_workers(use_awaitable), 0)
        << "a's liveness has not expired yet";
    asio::steady_timer t(io);
    long long recovered = 0;
    for (int i = 0; i < 200 && recovered == 0; ++i) {
      t.expires_after(10ms);
      co_await t.async_wait(use_awaitable);
      recovered = co_await b.recover_dead_workers(use_awaitable);
    }
    EXPECT_EQ(recovered, 3);
    EXPECT_EQ(admin.llen(ReliableQueue::processing_list_of("q", "a")), 0);
    // The recovered jobs come first, in their original order, then the one never taken.
    const std::vector<std::string> in_order{"1", "2", "3", "4"};
    for (const auto& expected : in_order) {
      auto job = co_await b.pop(1s, use_awaitable);
      EXPECT_EQ(job, std::optional<std::string>(expected));
      if (job) co_await b.ack(*job, use_awaitable);
    }
    EXPECT_EQ(admin.smembers("{q}:workers"), std::vector<std::string>{"b"}) << "a was forgotten";
  });
}

TEST_F(ServerTest, RecoverMovesANamedWorkersJobsBackRegardlessOfLiveness) {
  asio::io_context io;
  Client redis{io, options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    ReliableQueue w{redis, {.queue = "q", .worker = "w"}};
    co_await w.push("x", use_awaitable);
    CO_ASSERT_TRUE((co_await w.pop(1s, use_awaitable)).has_value());
    // A restart of the same worker: its own leftovers go back first.
    EXPECT_EQ(co_await w.recover("w", use_awaitable), 1);
    EXPECT_EQ(co_await w.pop(1s, use_awaitable), std::optional<std::string>("x"));
  });
}

}  // namespace
}  // namespace redwire::testing
