// The result of one run and its two forms: a human table and one JSON object. The JSON shape
// is shared with the peers (bench/peers/hiredis_bench.c, bench/node/ioredis_bench.js) so that
// scripts/bench reads every tool alike:
//
//   {"tool": "redwire", "version": "0.1.0", "command": "SET", "mode": "pipeline", "depth": 100,
//    "label": "pipeline 100", "requests": 1000000, "errors": 0, "seconds": 2.1,
//    "ops_per_sec": 476190.5, "latency_us": {"p50": .., "p99": .., "p999": .., "max": ..,
//    "mean": ..}, "cpu_us_per_op": 1.9, "peak_rss_kb": 9876, "value_size": 3,
//    "keyspace": 100000, "note": "..."}
//
// latency_us is null when latency was not measured (--no-latency).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "histogram.hpp"

namespace redwire::bench {

struct RssSample {
  double at_seconds = 0;
  std::uint64_t rss_kb = 0;
};

struct Result {
  std::string command;      ///< SET, GET, ..., MIXED, or the generic command's name
  std::string mode;         ///< sequential, sequential-coro, concurrent, pipeline, connections
  std::uint64_t depth = 1;  ///< callers, pipeline length or connections
  std::string label;        ///< "pipeline 100", "concurrent 128", ...
  std::string note;         ///< how the mode is implemented, when that needs saying
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::string first_error;
  double seconds = 0;
  bool latency_measured = true;
  LatencyHistogram latency;
  double cpu_seconds = 0;  ///< user + system of the whole process during the run
  std::uint64_t peak_rss_kb = 0;
  std::size_t value_size = 0;
  std::uint32_t keyspace = 0;
  std::vector<RssSample> rss_samples;  ///< --rss-every: resident set size over time

  double ops_per_sec() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

/// One line per result, aligned, for people.
std::string format_table(const std::vector<Result>& results);
/// A JSON object for one result (the shared shape above), or an array for several.
std::string format_json(const std::vector<Result>& results);

}  // namespace redwire::bench
