// sequential: the blocking facade, one call at a time from this thread.
#include <optional>

#include "process_stats.hpp"
#include "redwire/sync_client.hpp"
#include "runners.hpp"

namespace redwire::bench {
namespace {

// One command of the mix through the typed methods a user would call.
void call(SyncClient& r, Workload& w) {
  const Op op = w.next_op();
  switch (op) {
    case Op::set:
      r.set(w.next_key(op), w.value());
      break;
    case Op::get:
      (void)r.get(w.next_key(op));
      break;
    case Op::incr:
      (void)r.incr(w.next_key(op));
      break;
    case Op::lpush:
      (void)r.lpush(w.next_key(op), w.value());
      break;
    case Op::generic:
      r.execute<Ignore>(w.generic_command());
      break;
  }
}

// Returns false when the run should stop (too many errors).
bool phase(SyncClient& r, Workload& w, RequestBudget& budget, LatencyHistogram* latency,
           ErrorTally& errors) {
  while (budget.take()) {
    const auto t0 =
        latency ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    try {
      call(r, w);
    } catch (const std::exception& e) {
      if (!errors.add(e.what())) return false;
      continue;
    }
    if (latency) latency->record(std::chrono::steady_clock::now() - t0);
  }
  return true;
}

}  // namespace

Result run_sequential_sync(const RunOptions& options, Workload& workload) {
  Result result;
  ErrorTally errors;
  SyncClient r{options.client};
  RequestBudget warmup(options.budget, false);
  bool ok = phase(r, workload, warmup, nullptr, errors);

  std::optional<RssSampler> sampler;
  if (options.rss_every.count() > 0) sampler.emplace(options.rss_every);
  Meter meter;
  meter.start();
  RequestBudget budget(options.budget, true);
  const std::uint64_t warmup_errors = errors.count;
  if (ok) phase(r, workload, budget, options.measure_latency ? &result.latency : nullptr, errors);
  meter.stop(result);
  if (sampler) result.rss_samples = sampler->stop();
  result.requests = budget.taken() - (errors.count - warmup_errors);
  result.errors = errors.count;
  result.first_error = errors.first;
  return result;
}

}  // namespace redwire::bench
