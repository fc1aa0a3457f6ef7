// sequential-coro, concurrent N, pipeline P and connections C: the asynchronous Client on one
// io_context run by this thread, as a single-threaded service would use it.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "process_stats.hpp"
#include "redwire/client.hpp"
#include "redwire/pipeline.hpp"
#include "runners.hpp"

namespace redwire::bench {
namespace {

using Clock = std::chrono::steady_clock;

// What the callers of one phase (warm-up or measured) share.
struct Phase {
  Workload& workload;
  RequestBudget budget;
  LatencyHistogram* latency;  // null: not measured
  ErrorTally& errors;

  void failed(std::error_code ec) {
    if (!errors.add(ec.message())) budget.abort();
  }
};

// Lets the driver wait until every caller of a phase has finished.
class Join {
 public:
  explicit Join(const asio::any_io_executor& ex) : timer_(ex, Clock::time_point::max()) {}
  void add(std::size_t n) noexcept { pending_ += n; }
  void done() {
    if (--pending_ == 0) timer_.cancel();
  }
  asio::awaitable<void> wait() {
    while (pending_ > 0) {
      std::error_code ec;
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }

 private:
  asio::steady_timer timer_;
  std::size_t pending_ = 0;
};

// One caller with one request in flight, written as user code would be: co_await each command.
asio::awaitable<void> caller(Client& c, Phase& p, Join& join) {
  Workload& w = p.workload;
  while (p.budget.take()) {
    const Op op = w.next_op();
    std::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    const auto t0 = p.latency ? Clock::now() : Clock::time_point{};
    switch (op) {
      case Op::set:
        co_await c.set(w.next_key(op), w.value(), token);
        break;
      case Op::get:
        co_await c.get(w.next_key(op), token);
        break;
      case Op::incr:
        co_await c.incr(w.next_key(op), token);
        break;
      case Op::lpush:
        co_await c.lpush(w.next_key(op), w.value(), token);
        break;
      case Op::generic:
        co_await c.execute<Ignore>(w.generic_command(), token);
        break;
    }
    if (ec) {
      p.failed(ec);
      continue;
    }
    if (p.latency) p.latency->record(Clock::now() - t0);
  }
  join.done();
}

// One caller that queues P commands on a redwire::Pipeline, exec()s it, and starts the next
// batch when the results are in. Every command's latency is the batch's.
class PipelineCaller {
 public:
  PipelineCaller(Client& c, Phase& p, Join& join, std::uint64_t depth)
      : client_(c), phase_(p), join_(join), depth_(depth) {}

  void batch() {
    const std::uint64_t n = phase_.budget.take_up_to(depth_);
    if (n == 0) return join_.done();
    const auto t0 = phase_.latency ? Clock::now() : Clock::time_point{};
    Workload& w = phase_.workload;
    Pipeline p = client_.pipeline();
    for (std::uint64_t i = 0; i < n; ++i) {
      const Op op = w.next_op();
      switch (op) {
        case Op::set:
          p.set(w.next_key(op), w.value());
          break;
        case Op::get:
          p.get(w.next_key(op));
          break;
        case Op::incr:
          p.incr(w.next_key(op));
          break;
        case Op::lpush:
          p.lpush(w.next_key(op), w.value());
          break;
        case Op::generic:
          p.execute<Ignore>(w.generic_command());
          break;
      }
    }
    p.exec([this, t0, n](std::error_code ec, PipelineResults results) {
      if (ec) {
        for (std::uint64_t i = 0; i < n; ++i) phase_.failed(ec);
      } else {
        const auto now = phase_.latency ? Clock::now() : Clock::time_point{};
        for (const auto& r : results) {
          if (const auto e = r.error()) {
            phase_.failed(e);
          } else if (phase_.latency) {
            phase_.latency->record(now - t0);
          }
        }
      }
      batch();
    });
  }

 private:
  Client& client_;
  Phase& phase_;
  Join& join_;
  std::uint64_t depth_;
};

// One caller that issues P commands at once (callbacks, no await in between) and waits for all
// P replies before the next batch. Autopipelining sends each batch as one write.
class BurstCaller {
 public:
  BurstCaller(Client& c, Phase& p, Join& join, std::uint64_t depth)
      : client_(c), phase_(p), join_(join), depth_(depth) {}

  void batch() {
    const std::uint64_t n = phase_.budget.take_up_to(depth_);
    if (n == 0) return join_.done();
    outstanding_ = n;
    t0_ = phase_.latency ? Clock::now() : Clock::time_point{};
    for (std::uint64_t i = 0; i < n; ++i) issue();
  }

 private:
  void issue() {
    Workload& w = phase_.workload;
    auto done = [this](std::error_code ec, auto&&...) { on_reply(ec); };
    const Op op = w.next_op();
    switch (op) {
      case Op::set:
        client_.set(w.next_key(op), w.value(), done);
        break;
      case Op::get:
        client_.get(w.next_key(op), done);
        break;
      case Op::incr:
        client_.incr(w.next_key(op), done);
        break;
      case Op::lpush:
        client_.lpush(w.next_key(op), w.value(), done);
        break;
      case Op::generic:
        client_.execute<Ignore>(w.generic_command(), done);
        break;
    }
  }

  void on_reply(std::error_code ec) {
    if (ec) {
      phase_.failed(ec);
    } else if (phase_.latency) {
      phase_.latency->record(Clock::now() - t0_);
    }
    if (--outstanding_ == 0) batch();
  }

  Client& client_;
  Phase& phase_;
  Join& join_;
  std::uint64_t depth_;
  std::uint64_t outstanding_ = 0;
  Clock::time_point t0_{};
};

struct Run {
  const RunOptions& options;
  Workload& workload;
  asio::io_context& io;
  std::vector<std::unique_ptr<Client>> clients;
  Result result;
  ErrorTally errors;
  std::uint64_t measured_errors = 0;
  std::uint64_t measured_taken = 0;
};

// Starts the callers of one phase on the run's clients.
void start_callers(Run& run, Phase& phase, Join& join,
                   std::vector<std::unique_ptr<PipelineCaller>>& pipelines,
                   std::vector<std::unique_ptr<BurstCaller>>& bursts) {
  auto ex = run.io.get_executor();
  const RunOptions& o = run.options;
  switch (o.mode) {
    case Mode::sequential_coro:
    case Mode::concurrent: {
      const std::uint64_t n = o.mode == Mode::concurrent ? o.depth : 1;
      join.add(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        asio::co_spawn(ex, caller(*run.clients.front(), phase, join), asio::detached);
      }
      break;
    }
    case Mode::connections:
      join.add(run.clients.size());
      for (auto& c : run.clients) asio::co_spawn(ex, caller(*c, phase, join), asio::detached);
      break;
    case Mode::pipeline:
      join.add(1);
      pipelines.push_back(
          std::make_unique<PipelineCaller>(*run.clients.front(), phase, join, o.depth));
      pipelines.back()->batch();
      break;
    case Mode::burst:
      join.add(1);
      bursts.push_back(std::make_unique<BurstCaller>(*run.clients.front(), phase, join, o.depth));
      bursts.back()->batch();
      break;
    case Mode::sequential:
      break;  // the blocking facade: run_sequential_sync
  }
}

asio::awaitable<void> drive(Run& run) {
  for (const bool measured : {false, true}) {
    const std::uint64_t errors_before = run.errors.count;
    LatencyHistogram* latency =
        measured && run.options.measure_latency ? &run.result.latency : nullptr;
    Phase phase{run.workload, RequestBudget(run.options.budget, measured), latency, run.errors};
    std::optional<RssSampler> sampler;
    if (measured && run.options.rss_every.count() > 0) sampler.emplace(run.options.rss_every);
    Meter meter;
    meter.start();
    Join join(run.io.get_executor());
    std::vector<std::unique_ptr<PipelineCaller>> pipelines;
    std::vector<std::unique_ptr<BurstCaller>> bursts;
    start_callers(run, phase, join, pipelines, bursts);
    co_await join.wait();
    if (measured) {
      meter.stop(run.result);
      if (sampler) run.result.rss_samples = sampler->stop();
      run.measured_taken = phase.budget.taken();
      run.measured_errors = run.errors.count - errors_before;
    }
    if (run.errors.count >= ErrorTally::kMaxErrors) break;
  }
  for (auto& c : run.clients) c->disconnect();
}

}  // namespace

Result run_async(const RunOptions& options, Workload& workload) {
  asio::io_context io;
  Run run{options, workload, io, {}, {}, {}, 0, 0};
  const std::size_t links = options.mode == Mode::connections ? options.depth : 1;
  for (std::size_t i = 0; i < links; ++i) {
    run.clients.push_back(std::make_unique<Client>(io, options.client));
  }
  std::exception_ptr failure;
  asio::co_spawn(io, drive(run), [&failure](std::exception_ptr e) { failure = e; });
  io.run();
  run.clients.clear();
  if (failure) std::rethrow_exception(failure);
  Result r = std::move(run.result);
  r.requests = run.measured_taken - std::min(run.measured_taken, run.measured_errors);
  r.errors = run.errors.count;
  r.first_error = run.errors.first;
  return r;
}

}  // namespace redwire::bench
