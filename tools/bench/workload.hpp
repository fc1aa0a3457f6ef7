// What a benchmark run sends: which command, on which keys, with which value, and how long the
// run lasts. The same key names, key space and value sizes as the peers (hiredis-bench,
// ioredis_bench.js) and as `redis-benchmark -r <keyspace> -d <size>`, so that every tool does
// the same work on the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/command.hpp"

namespace redwire::bench {

enum class Op : std::uint8_t { set, get, incr, lpush, generic };

/// The command mix: one fixed command, "mixed" (70% GET, 20% SET, 5% INCR, 5% LPUSH), or a
/// user-given generic command whose arguments may contain `__key__` and `__value__`.
struct WorkloadOptions {
  std::string command = "SET";            ///< SET, GET, INCR, LPUSH, MIXED or GENERIC
  std::vector<std::string> generic_args;  ///< GENERIC: name and arguments
  std::size_t value_size = 3;             ///< bytes, as redis-benchmark -d
  std::uint32_t keyspace = 100'000;       ///< keys key:000000000000 .. key:<keyspace-1>
  std::uint64_t seed = 1;
};

/// The value and a cheap random stream of keys. Keys are formatted on the fly, as
/// redis-benchmark writes random digits into its command buffer: a table of 100,000 key strings
/// would cost the client a cache miss or two per command and measure the table, not the client.
/// Not thread-safe: one per thread (every async mode runs on one thread).
class Workload {
 public:
  /// Throws std::invalid_argument on an unknown command or bad options.
  explicit Workload(WorkloadOptions options);

  /// The next operation of the mix (always the same one unless MIXED).
  Op next_op() noexcept;
  /// A random key for `op` from the key space: key:N (SET/GET), counter:N (INCR), list:N (LPUSH),
  /// N in 12 zero-padded digits. Valid until the next call.
  std::string_view next_key(Op op) noexcept;
  std::string_view value() const noexcept { return value_; }
  /// The generic command with __key__ / __value__ substituted.
  Command generic_command() noexcept;

  const WorkloadOptions& options() const noexcept { return options_; }
  /// "SET", "GET", ..., "MIXED", or the generic command's name.
  std::string label() const;

 private:
  std::uint64_t random() noexcept;

  WorkloadOptions options_;
  Op fixed_ = Op::set;
  bool mixed_ = false;
  std::string value_;
  char key_[32] = {};
  std::uint64_t state_;
};

/// When a run stops: after `requests` commands, or after `duration` (whichever is set; a
/// request count wins when both are).
struct Budget {
  std::uint64_t requests = 0;
  std::chrono::duration<double> duration{0};
  std::uint64_t warmup = 0;  ///< commands sent before measuring (connection warm-up)
};

}  // namespace redwire::bench
