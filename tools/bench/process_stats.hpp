// What the benchmark process itself costs: wall time, CPU time (getrusage, user + system, all
// threads) and resident memory, plus a background sampler of RSS over time for soak runs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "report.hpp"

namespace redwire::bench {

/// Resident set size now, from /proc/self/statm (0 when unavailable).
std::uint64_t current_rss_kb();
/// Peak resident set size of the process so far (getrusage ru_maxrss).
std::uint64_t peak_rss_kb();
/// User + system CPU seconds of the whole process so far.
double process_cpu_seconds();

/// Times one measured phase: start(), then stop() fills seconds, cpu_seconds and peak_rss_kb.
class Meter {
 public:
  void start();
  void stop(Result& r) const;

 private:
  std::chrono::steady_clock::time_point t0_{};
  double cpu0_ = 0;
};

/// Samples RSS every `every` on its own thread until destroyed or stop() is called; the first
/// sample is taken at once.
class RssSampler {
 public:
  explicit RssSampler(std::chrono::milliseconds every);
  ~RssSampler();
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;

  /// Stops sampling (taking one last sample) and returns the samples.
  std::vector<RssSample> stop();

 private:
  void loop();

  std::chrono::milliseconds every_;
  std::chrono::steady_clock::time_point t0_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<RssSample> samples_;
  std::thread thread_;
};

}  // namespace redwire::bench
