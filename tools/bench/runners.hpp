// The load shapes redwire-bench drives (each returns one Result):
//
//   sequential       one request in flight, the blocking facade (SyncClient): call, wait, repeat
//   sequential-coro  one request in flight, one coroutine on the async Client (co_await)
//   concurrent N     N coroutines sharing one connection (autopipelining coalesces their writes)
//   pipeline P       redwire::Pipeline: P typed commands queued, exec(), all P results at once
//   burst P          P commands issued back to back from one caller without awaiting, then all
//                    P replies awaited; autopipelining turns them into one write
//   connections C    C clients (C connections) on one io thread, one request in flight on each
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "redwire/options.hpp"
#include "report.hpp"
#include "workload.hpp"

namespace redwire::bench {

enum class Mode { sequential, sequential_coro, concurrent, pipeline, burst, connections };

struct RunOptions {
  Options client;  ///< where to connect (host/port or unix socket path)
  Mode mode = Mode::sequential;
  std::uint64_t depth = 1;  ///< N callers, P commands per pipeline, or C connections
  Budget budget;
  bool measure_latency = true;
  std::chrono::milliseconds rss_every{0};  ///< 0: no RSS sampling over time
};

/// Parses "sequential", "sequential-coro", "concurrent", "pipeline", "burst", "connections".
bool parse_mode(const std::string& text, Mode& mode);
std::string mode_name(Mode mode);
/// "pipeline 100", "concurrent 128", ...: what a row means.
std::string mode_label(Mode mode, std::uint64_t depth);
std::string mode_note(Mode mode);

/// Drives the server as `options` says. Connection failures are counted as errors; the run
/// gives up after 1000 errors.
Result run(const RunOptions& options, Workload& workload);

// Per-shape entry points (run() dispatches to these).
Result run_sequential_sync(const RunOptions& options, Workload& workload);
Result run_async(const RunOptions& options, Workload& workload);

/// How many commands a run may still send: a request count, or a deadline checked every few
/// commands. Shared by all callers of one run (single-threaded, so no atomics).
class RequestBudget {
 public:
  RequestBudget(const Budget& budget, bool measured);
  /// True when one more command may be sent (and counts it).
  bool take() noexcept;
  /// Up to `n` more commands; 0 when the run is over.
  std::uint64_t take_up_to(std::uint64_t n) noexcept;
  void abort() noexcept { stopped_ = true; }
  std::uint64_t taken() const noexcept { return taken_; }

 private:
  bool expired() noexcept;

  std::uint64_t limit_;  // 0 = by time
  std::chrono::steady_clock::time_point deadline_{};
  std::uint64_t taken_ = 0;
  bool stopped_ = false;
};

/// Counts errors and keeps the first one's text; stops the run after kMaxErrors.
struct ErrorTally {
  static constexpr std::uint64_t kMaxErrors = 1000;
  std::uint64_t count = 0;
  std::string first;
  /// Returns false when the run should stop.
  bool add(const std::string& what) {
    if (count++ == 0) first = what;
    return count < kMaxErrors;
  }
};

}  // namespace redwire::bench
