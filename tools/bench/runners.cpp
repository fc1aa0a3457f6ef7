#include "runners.hpp"

namespace redwire::bench {

bool parse_mode(const std::string& text, Mode& mode) {
  if (text == "sequential") {
    mode = Mode::sequential;
  } else if (text == "sequential-coro") {
    mode = Mode::sequential_coro;
  } else if (text == "concurrent") {
    mode = Mode::concurrent;
  } else if (text == "pipeline") {
    mode = Mode::pipeline;
  } else if (text == "burst") {
    mode = Mode::burst;
  } else if (text == "connections") {
    mode = Mode::connections;
  } else {
    return false;
  }
  return true;
}

std::string mode_name(Mode mode) {
  switch (mode) {
    case Mode::sequential:
      return "sequential";
    case Mode::sequential_coro:
      return "sequential-coro";
    case Mode::concurrent:
      return "concurrent";
    case Mode::pipeline:
      return "pipeline";
    case Mode::burst:
      return "burst";
    case Mode::connections:
      return "connections";
  }
  return "?";
}

std::string mode_label(Mode mode, std::uint64_t depth) {
  switch (mode) {
    case Mode::sequential:
      return "sequential (blocking facade)";
    case Mode::sequential_coro:
      return "sequential (coroutine)";
    default:
      return mode_name(mode) + " " + std::to_string(depth);
  }
}

std::string mode_note(Mode mode) {
  switch (mode) {
    case Mode::pipeline:
      return "redwire::Pipeline: P commands queued, one exec()";
    case Mode::burst:
      return "P commands issued at once from one caller, replies awaited together; "
             "autopipelining writes them together";
    case Mode::concurrent:
      return "N coroutines on one connection, autopipelined";
    case Mode::connections:
      return "C connections on one io thread, one in flight each";
    default:
      return {};
  }
}

Result run(const RunOptions& options, Workload& workload) {
  Result r = options.mode == Mode::sequential ? run_sequential_sync(options, workload)
                                              : run_async(options, workload);
  r.command = workload.label();
  r.mode = mode_name(options.mode);
  r.depth = (options.mode == Mode::sequential || options.mode == Mode::sequential_coro)
                ? 1
                : options.depth;
  r.label = mode_label(options.mode, r.depth);
  r.note = mode_note(options.mode);
  r.latency_measured = options.measure_latency;
  r.value_size = workload.options().value_size;
  r.keyspace = workload.options().keyspace;
  return r;
}

RequestBudget::RequestBudget(const Budget& budget, bool measured)
    : limit_(measured ? budget.requests : budget.warmup) {
  if (measured && limit_ == 0) {
    deadline_ = std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(budget.duration);
  }
  if (!measured && limit_ == 0) stopped_ = true;  // no warm-up
}

bool RequestBudget::expired() noexcept {
  if (limit_ != 0) return taken_ >= limit_;
  // By time: read the clock every 16 commands only (it shows in pipelined runs).
  if ((taken_ & 15) == 0 && std::chrono::steady_clock::now() >= deadline_) stopped_ = true;
  return stopped_;
}

bool RequestBudget::take() noexcept {
  if (stopped_ || expired()) return false;
  ++taken_;
  return true;
}

std::uint64_t RequestBudget::take_up_to(std::uint64_t n) noexcept {
  if (stopped_) return 0;
  if (limit_ != 0) {
    const std::uint64_t k = std::min(n, limit_ - std::min(limit_, taken_));
    taken_ += k;
    return k;
  }
  if (std::chrono::steady_clock::now() >= deadline_) {
    stopped_ = true;
    return 0;
  }
  taken_ += n;
  return n;
}

}  // namespace redwire::bench
