// A latency histogram in the HdrHistogram style: log-linear buckets over nanoseconds. Values
// below 256 ns are exact; above, each power of two is split into 128 linear sub-buckets, so a
// reported percentile is within 1/128 (0.8%) of the true value, with fixed memory (~38 KB) and
// O(1) recording. max, min and the mean are kept exactly.
//
//   LatencyHistogram h;
//   h.record(std::chrono::nanoseconds(1234));
//   std::uint64_t p99 = h.percentile(99.0);   // nanoseconds
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <limits>

namespace redwire::bench {

class LatencyHistogram {
 public:
  static constexpr unsigned kSubBits = 8;
  static constexpr std::uint64_t kSub = std::uint64_t{1} << kSubBits;  // exact below this
  static constexpr std::uint64_t kHalf = kSub / 2;  // sub-buckets per power of two above it
  static constexpr unsigned kMaxBits = 44;          // up to ~4.9 hours in ns; above: clamped
  static constexpr std::size_t kBuckets = (kMaxBits - kSubBits) * kHalf + kSub;

  void record(std::chrono::nanoseconds d) noexcept {
    record_ns(static_cast<std::uint64_t>(std::max<std::int64_t>(d.count(), 0)));
  }

  void record_ns(std::uint64_t v) noexcept {
    ++counts_[index_of(v)];
    ++total_;
    sum_ += v;
    max_ = std::max(max_, v);
    min_ = std::min(min_, v);
  }

  /// Adds every sample of `other` (histograms of several connections or callers).
  void merge(const LatencyHistogram& other) noexcept {
    for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
  }

  std::uint64_t count() const noexcept { return total_; }
  std::uint64_t max() const noexcept { return max_; }
  std::uint64_t min() const noexcept { return total_ == 0 ? 0 : min_; }
  double mean() const noexcept {
    return total_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_);
  }

  /// The value at or below which `p` percent of the samples fall, as the highest value of its
  /// bucket (never above max()). 0 when empty.
  std::uint64_t percentile(double p) const noexcept {
    if (total_ == 0) return 0;
    const double clamped = std::clamp(p, 0.0, 100.0);
    auto rank = static_cast<std::uint64_t>(clamped / 100.0 * static_cast<double>(total_) + 0.5);
    rank = std::clamp<std::uint64_t>(rank, 1, total_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(highest_in(i), max_);
    }
    return max_;
  }

  /// Bucket of a value: below kSub the value itself; above, `shift` drops all but the top
  /// kSubBits - 1 bits, so (v >> shift) lies in [kHalf, kSub) and each shift adds kHalf buckets.
  static std::size_t index_of(std::uint64_t v) noexcept {
    if (v < kSub) return static_cast<std::size_t>(v);
    const unsigned msb = static_cast<unsigned>(std::bit_width(v)) - 1;
    if (msb >= kMaxBits) return kBuckets - 1;
    const unsigned shift = msb - kSubBits + 1;
    return static_cast<std::size_t>(shift * kHalf + (v >> shift));
  }
  /// Highest value that lands in bucket `i` (the inverse of index_of).
  static std::uint64_t highest_in(std::size_t i) noexcept {
    if (i < kSub) return i;
    const std::uint64_t shift = (i - kHalf) / kHalf;
    const std::uint64_t top = i - shift * kHalf;
    return ((top + 1) << shift) - 1;
  }

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
};

}  // namespace redwire::bench
