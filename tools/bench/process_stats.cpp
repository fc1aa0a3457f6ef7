#include "process_stats.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

namespace redwire::bench {

std::uint64_t current_rss_kb() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return resident * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE)) / 1024;
}

std::uint64_t peak_rss_kb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<std::uint64_t>(u.ru_maxrss);  // KiB on Linux
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

void Meter::start() {
  cpu0_ = process_cpu_seconds();
  t0_ = std::chrono::steady_clock::now();
}

void Meter::stop(Result& r) const {
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  r.cpu_seconds = process_cpu_seconds() - cpu0_;
  r.peak_rss_kb = peak_rss_kb();
}

RssSampler::RssSampler(std::chrono::milliseconds every)
    : every_(every), t0_(std::chrono::steady_clock::now()) {
  samples_.push_back({0.0, current_rss_kb()});
  thread_ = std::thread([this] { loop(); });
}

RssSampler::~RssSampler() {
  stop();
}

void RssSampler::loop() {
  std::unique_lock lock(mutex_);
  auto next = t0_ + every_;
  while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
    const auto now = std::chrono::steady_clock::now();
    samples_.push_back({std::chrono::duration<double>(now - t0_).count(), current_rss_kb()});
    next += every_;
  }
}

std::vector<RssSample> RssSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return samples_;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  const auto now = std::chrono::steady_clock::now();
  samples_.push_back({std::chrono::duration<double>(now - t0_).count(), current_rss_kb()});
  return samples_;
}

}  // namespace redwire::bench
