// StreamWorker (FAULTS.md row 29): at-least-once through a worker killed with kill -9, own
// pending entries first after a restart, poison entries to the dead-letter stream, graceful
// stop, and a stop that does not wait out the BLOCK window.
#include <unistd.h>

#include <asio/post.hpp>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "fixture.hpp"
#include "redwire/stream_worker.hpp"
#include "redwire/test/child_process.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using asio::use_awaitable;
using test::wait_until;

constexpr const char* kChildEnv = "REDWIRE_STREAM_WORKER_CHILD";
// The child worker hangs in its handler after this many entries, so it is always killed while
// it holds counted but unacknowledged entries, however the machine schedules the processes.
constexpr long long kChildHangsAfter = 500;

// Handled = counted per entry (duplicates show as counts > 1) and per consumer. With
// hang_after > 0, every entry after the consumer's hang_after-th is counted and then never
// finished: the handler hangs, as a worker stuck in a call does, and holds it unacknowledged.
StreamHandler counting_handler(Client& redis, std::string consumer, std::chrono::milliseconds work,
                               long long hang_after = 0) {
  return [&redis, consumer = std::move(consumer), work,
          hang_after](const StreamDelivery& d) -> asio::awaitable<void> {
    co_await redis.hincrby("handled", d.entry.id, 1, use_awaitable);
    const long long nth = co_await redis.hincrby("handled-by", consumer, 1, use_awaitable);
    asio::steady_timer t(redis.get_executor());
    t.expires_after(hang_after > 0 && nth > hang_after ? std::chrono::milliseconds{1h} : work);
    co_await t.async_wait(use_awaitable);
  };
}

// Runs workers on their own io thread; stop() stops them gracefully and joins.
class WorkerThread {
 public:
  WorkerThread(Options options, std::vector<StreamWorkerOptions> workers,
               std::chrono::milliseconds work)
      : client_(io_, std::move(options)) {
    for (auto& w : workers) {
      const std::string name = w.consumer;
      workers_.push_back(std::make_unique<StreamWorker>(client_, std::move(w),
                                                        counting_handler(client_, name, work)));
    }
    for (auto& w : workers_) {
      w->run([this](std::error_code ec) {
        std::lock_guard lock(m_);
        results_.push_back(ec);
      });
    }
    thread_ = std::thread([this] { io_.run(); });
  }
  ~WorkerThread() {
    try {
      stop();
    } catch (...) {  // a failed test already says why; never throw from here
      io_.stop();
      if (thread_.joinable()) thread_.join();
    }
  }
  void stop() {
    if (!thread_.joinable()) return;
    for (auto& w : workers_) w->stop();
    wait_until(
        [&] {
          std::lock_guard lock(m_);
          return results_.size() == workers_.size();
        },
        30s, "the workers to stop");
    asio::post(io_, [this] { client_.close(); });
    thread_.join();
  }
  std::vector<std::error_code> results() {
    std::lock_guard lock(m_);
    return results_;
  }
  StreamWorker& worker(std::size_t i) { return *workers_.at(i); }

 private:
  asio::io_context io_;
  Client client_;
  std::vector<std::unique_ptr<StreamWorker>> workers_;
  std::mutex m_;
  std::vector<std::error_code> results_;
  std::thread thread_;
};

long long to_ll(const std::string& s) {
  return s.empty() ? 0 : std::stoll(s);
}

// The process the at-least-once test kills with SIGKILL: one worker, running until killed.
// Disabled so that it never runs on its own; the parent runs it with
// --gtest_also_run_disabled_tests.
TEST(StreamWorkerChild, DISABLED_ConsumesUntilKilled) {
  const char* spec = std::getenv(kChildEnv);
  if (spec == nullptr) GTEST_SKIP() << "started by StreamWorker.EveryEntryIsHandledAtLeastOnce...";
  Options o;
  o.port = static_cast<std::uint16_t>(std::stoi(spec));
  asio::io_context io;
  Client redis{io, o};
  StreamWorker worker{redis,
                      {.stream = "jobs",
                       .group = "g",
                       .consumer = "doomed",
                       .concurrency = 8,
                       .block = 200ms,
                       .claim_min_idle = 60s},
                      counting_handler(redis, "doomed", 2ms, kChildHangsAfter)};
  worker.run([](std::error_code) {});
  io.run_for(60s);
}

TEST_F(ServerTest, EveryEntryIsHandledAtLeastOnceWhenAWorkerIsKilledMidRun) {
  constexpr int kEntries = 10'000;
  SyncClient admin{options()};
  admin.xgroup_create("jobs", "g", "0", {.mkstream = true});
  {
    asio::io_context io;
    Client producer{io, options()};
    run_coroutine(io, [&]() -> asio::awaitable<void> {
      for (int i = 0; i < kEntries; ++i) {
        const std::string n = std::to_string(i);
        producer.xadd("jobs", {{"n", n}}, [](std::error_code, std::string) {});
      }
      co_await producer.ping(use_awaitable);  // after every XADD
    });
  }
  ASSERT_EQ(admin.xlen("jobs"), kEntries);

  // The third worker is another process, killed with SIGKILL while it has entries in flight.
  char exe[4096];
  const ssize_t len = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  ASSERT_GT(len, 0);
  exe[len] = '\0';
  ::setenv(kChildEnv, std::to_string(server.port()).c_str(), 1);
  auto child = test::ChildProcess::spawn(
      {exe, "--gtest_filter=StreamWorkerChild.DISABLED_ConsumesUntilKilled",
       "--gtest_also_run_disabled_tests"},
      server.dir(), server.dir() / "child-worker.log");
  ::unsetenv(kChildEnv);

  auto handled_by = [&](const char* consumer) {
    return to_ll(admin.hget("handled-by", consumer).value_or(""));
  };
  wait_until([&] { return handled_by("doomed") >= 300; }, 30s, "the child worker to get going");
  std::vector<StreamWorkerOptions> survivors;
  for (const char* name : {"w1", "w2"}) {
    survivors.push_back({.stream = "jobs",
                         .group = "g",
                         .consumer = name,
                         .concurrency = 8,
                         .block = 200ms,
                         .claim_min_idle = 2s,  // the kill comes first, however slow the machine
                         .claim_interval = 100ms});
  }
  WorkerThread workers{options(), std::move(survivors), 4ms};
  auto held_by_child = [&] {
    for (const auto& [consumer, n] : admin.xpending("jobs", "g").consumers) {
      if (consumer == "doomed") return n;
    }
    return 0LL;
  };
  // Killed while it holds entries: it hangs in its handler after kChildHangsAfter entries (the
  // stream is far from drained then), so from then on it holds counted, unacknowledged entries
  // until the SIGKILL (the survivors claim only after 2 s idle).
  wait_until(
      [&] {
        return handled_by("w1") + handled_by("w2") >= 300 &&
               handled_by("doomed") > kChildHangsAfter;
      },
      30s, "all three workers to be running, the child hung holding entries");
  child.kill();  // SIGKILL: no XACK for what it holds
  // Every entry the child counted but never acknowledged is handled again (claimed by the
  // survivors), and those are the only duplicates there can be.
  const long long held = held_by_child();
  EXPECT_LE(held, 8) << "a worker never holds more than its concurrency";

  wait_until(
      [&] {
        return admin.command<long long>("HLEN", "handled") == kEntries &&
               admin.xpending("jobs", "g").count == 0;
      },
      60s, "every entry to be handled and acknowledged");
  workers.stop();
  for (auto ec : workers.results()) EXPECT_FALSE(ec) << ec.message();

  long long duplicates = 0;
  for (const auto& [id, count] : admin.hgetall("handled")) duplicates += to_ll(count) - 1;
  EXPECT_GE(duplicates, 1) << "the entries the killed worker held were handled again";
  EXPECT_LE(duplicates, 8) << "only entries the killed worker held (<= its concurrency) may be "
                              "handled twice";
  EXPECT_EQ(admin.xlen("jobs:dead"), 0);
  const auto claimed = workers.worker(0).stats().claimed + workers.worker(1).stats().claimed;
  EXPECT_GE(static_cast<long long>(claimed), duplicates)
      << "the survivors took over the dead worker's entries";
  std::cout << "[ info ] duplicates " << duplicates << " (" << held
            << " still held by the killed worker at the kill)\n";
}

TEST_F(ServerTest, RestartedConsumerHandlesItsOwnPendingEntriesBeforeNewOnes) {
  SyncClient admin{options()};
  admin.xgroup_create("s", "g", "0", {.mkstream = true});
  std::vector<std::string> pending;
  for (int i = 0; i < 5; ++i) pending.push_back(admin.xadd("s", {{"old", std::to_string(i)}}));
  admin.xreadgroup("g", "w1", "s", ">", {});  // read, then "crashed" before XACK
  for (int i = 0; i < 5; ++i) admin.xadd("s", {{"new", std::to_string(i)}});

  asio::io_context io;
  Client redis{io, options()};
  std::vector<std::pair<std::string, long long>> seen;  // id, deliveries
  StreamWorker worker{redis,
                      {.stream = "s",
                       .group = "g",
                       .consumer = "w1",
                       .concurrency = 1,
                       .block = 100ms,
                       .claim_min_idle = 60s},
                      [&](const StreamDelivery& d) -> asio::awaitable<void> {
                        seen.emplace_back(d.entry.id, d.deliveries);
                        if (seen.size() == 10) worker.stop();
                        co_return;
                      }};
  run_coroutine(io, [&]() -> asio::awaitable<void> { co_await worker.run(use_awaitable); });
  ASSERT_EQ(seen.size(), 10u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(seen[i].first, pending[i]);
    EXPECT_EQ(seen[i].second, 2) << "its second delivery";
  }
  for (std::size_t i = 5; i < 10; ++i) EXPECT_EQ(seen[i].second, 1);
  EXPECT_EQ(worker.stats().reread, 5u);
  EXPECT_EQ(admin.xpending("s", "g").count, 0);
}

TEST_F(ServerTest, PoisonEntryGoesToTheDeadLetterStreamAfterMaxDeliveries) {
  SyncClient admin{options()};
  const std::string poison = admin.xadd("orders", {{"orderId", "o-666"}, {"poison", "1"}});
  for (int i = 0; i < 20; ++i) admin.xadd("orders", {{"orderId", "o-" + std::to_string(i)}});

  asio::io_context io;
  Client redis{io, options()};
  std::atomic<int> poison_attempts{0};
  std::atomic<int> handled{0};
  std::vector<StreamWorkerEvent> events;
  StreamWorker worker{redis,
                      {.stream = "orders",
                       .group = "workers",
                       .consumer = "w1",
                       .concurrency = 4,
                       .block = 50ms,
                       .claim_min_idle = 50ms,
                       .claim_interval = 20ms,
                       .max_deliveries = 3,
                       .on_event = [&](const StreamWorkerEvent& e) { events.push_back(e); }},
                      [&](const StreamDelivery& d) -> asio::awaitable<void> {
                        if (d.entry.field("poison")) {
                          ++poison_attempts;
                          throw std::runtime_error("card declined");
                        }
                        ++handled;
                        co_return;
                      }};
  std::optional<std::error_code> result;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    worker.run([&](std::error_code ec) { result = ec; });
    asio::steady_timer t(io);
    for (int i = 0; i < 500 && (admin.xlen("orders:dead") == 0 || handled < 20); ++i) {
      t.expires_after(10ms);
      co_await t.async_wait(use_awaitable);
    }
    worker.stop();
    while (!result) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_FALSE(*result) << result->message();
  EXPECT_EQ(poison_attempts.load(), 3);
  EXPECT_EQ(handled.load(), 20);
  auto dead = admin.xrange("orders:dead", "-", "+");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].field("source-id"), std::optional<std::string_view>(poison));
  EXPECT_EQ(dead[0].field("source-stream"), std::optional<std::string_view>("orders"));
  EXPECT_EQ(dead[0].field("reason"), std::optional<std::string_view>("card declined"));
  EXPECT_EQ(dead[0].field("deliveries"), std::optional<std::string_view>("3"));
  EXPECT_EQ(dead[0].field("orderId"), std::optional<std::string_view>("o-666"));
  EXPECT_EQ(admin.xpending("orders", "workers").count, 0) << "the poison entry was acknowledged";
  int failures = 0;
  for (const auto& e : events) failures += e.type == StreamWorkerEventType::handler_failed ? 1 : 0;
  EXPECT_EQ(failures, 3);
  EXPECT_EQ(worker.stats().dead_lettered, 1u);
}

TEST_F(ServerTest, GracefulStopFinishesRunningHandlersAndLeavesNothingItStartedUnacknowledged) {
  SyncClient admin{options()};
  for (int i = 0; i < 100; ++i) admin.xadd("s", {{"i", std::to_string(i)}});
  asio::io_context io;
  Client redis{io, options()};
  std::set<std::string> started;
  std::set<std::string> finished;
  StreamWorker worker{
      redis,
      {.stream = "s", .group = "g", .consumer = "w1", .concurrency = 4, .block = 5s},
      [&](const StreamDelivery& d) -> asio::awaitable<void> {
        started.insert(d.entry.id);
        asio::steady_timer t(redis.get_executor());
        t.expires_after(100ms);
        co_await t.async_wait(use_awaitable);
        finished.insert(d.entry.id);
      }};
  std::error_code result = make_error_code(errc::indeterminate);
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    worker.run([&](std::error_code ec) { result = ec; });
    asio::steady_timer t(io);
    while (started.size() < 6) {  // the second round of handlers is running
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
    worker.stop();
    while (result == errc::indeterminate) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_FALSE(result) << result.message();
  EXPECT_EQ(started, finished) << "stop() waits for running handlers";
  EXPECT_EQ(admin.xpending("s", "g").count, 0) << "every started entry was acknowledged";
  EXPECT_EQ(worker.stats().acknowledged, started.size());
  EXPECT_LT(started.size(), 100u);
}

TEST_F(ServerTest, GroupDeletedWhileRunningIsCreatedAgain) {
  SyncClient admin{options()};
  asio::io_context io;
  Client redis{io, options()};
  std::set<std::string> seen;
  StreamWorker worker{
      redis,
      {.stream = "s", .group = "g", .consumer = "w1", .block = 50ms, .group_start_id = "$"},
      [&](const StreamDelivery& d) -> asio::awaitable<void> {
        seen.insert(std::string(d.entry.field("n").value_or("")));
        co_return;
      }};
  bool stopped = false;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    worker.run([&](std::error_code) { stopped = true; });
    asio::steady_timer t(io);
    admin.xgroup_create_if_missing("s", "g", "$", {.mkstream = true});  // racing the worker: fine
    admin.xadd("s", {{"n", "before"}});
    for (int i = 0; i < 500 && !seen.count("before"); ++i) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
    EXPECT_TRUE(admin.xgroup_destroy("s", "g"));
    for (int i = 0; i < 500 && !seen.count("after"); ++i) {  // until the new group sees it
      admin.xadd("s", {{"n", "after"}});
      t.expires_after(20ms);
      co_await t.async_wait(use_awaitable);
    }
    worker.stop();
    while (!stopped) {  // let run() finish before the io_context stops
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_TRUE(seen.count("before"));
  EXPECT_TRUE(seen.count("after"));
  EXPECT_EQ(admin.xinfo_groups("s").size(), 1u);
}

TEST_F(ServerTest, StopEndsABlockedReadAtOnce) {
  asio::io_context io;
  Client redis{io, options()};
  StreamWorker worker{
      redis,
      {.stream = "quiet", .group = "g", .consumer = "w1", .block = 30s, .claim_interval = 60s},
      [](const StreamDelivery&) -> asio::awaitable<void> { co_return; }};
  std::optional<std::error_code> result;
  std::chrono::milliseconds took{0};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    worker.run([&](std::error_code ec) { result = ec; });
    asio::steady_timer t(io);
    while (server.cli("CLIENT", "LIST").find("flags=b ") == std::string::npos) {  // blocked
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
    const auto t0 = std::chrono::steady_clock::now();
    worker.stop();
    while (!result && std::chrono::steady_clock::now() - t0 < 10s) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
    took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t0);
  });
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(*result) << result->message();
  EXPECT_LT(took, 2s) << "CLIENT UNBLOCK should end the 30 s BLOCK";
}

}  // namespace
}  // namespace redwire::testing
