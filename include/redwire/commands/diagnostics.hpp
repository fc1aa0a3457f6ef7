// Server diagnostics: SLOWLOG GET/LEN/RESET, LATENCY LATEST/HISTORY/RESET/DOCTOR/GRAPH/HISTOGRAM,
// MEMORY USAGE/STATS/DOCTOR/MALLOC-STATS/PURGE. (Part of the server group.)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/server_replies.hpp"

namespace redwire {

template <class Derived>
class DiagnosticCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "LATENCY|DOCTOR", "LATENCY|GRAPH", "LATENCY|HISTOGRAM",   "LATENCY|HISTORY", "LATENCY|LATEST",
      "LATENCY|RESET",  "MEMORY|DOCTOR", "MEMORY|MALLOC-STATS", "MEMORY|PURGE",    "MEMORY|STATS",
      "MEMORY|USAGE",   "SLOWLOG|GET",   "SLOWLOG|LEN",         "SLOWLOG|RESET"};

  /// SLOWLOG GET [count] — the latest slow commands (default 10; -1 = all).
  /// https://redis.io/commands/slowlog-get
  template <class... Token>
  requires TokenPack<Token...>
  auto slowlog_get(Token&&... token) {
    return run<std::vector<SlowlogEntry>>(Command("SLOWLOG", "GET"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto slowlog_get(long long count, Token&&... token) {
    return run<std::vector<SlowlogEntry>>(Command("SLOWLOG", "GET", count),
                                          std::forward<Token>(token)...);
  }
  /// SLOWLOG LEN — https://redis.io/commands/slowlog-len
  template <class... Token>
  requires TokenPack<Token...>
  auto slowlog_len(Token&&... token) {
    return run<long long>(Command("SLOWLOG", "LEN"), std::forward<Token>(token)...);
  }
  /// SLOWLOG RESET — https://redis.io/commands/slowlog-reset
  template <class... Token>
  requires TokenPack<Token...>
  auto slowlog_reset(Token&&... token) {
    return run<void>(Command("SLOWLOG", "RESET"), std::forward<Token>(token)...);
  }

  /// LATENCY LATEST — https://redis.io/commands/latency-latest
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_latest(Token&&... token) {
    return run<std::vector<LatencySample>>(Command("LATENCY", "LATEST"),
                                           std::forward<Token>(token)...);
  }
  /// LATENCY HISTORY event — (unix time, latency ms) samples.
  /// https://redis.io/commands/latency-history
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_history(std::string_view event, Token&&... token) {
    return run<std::vector<std::pair<long long, long long>>>(Command("LATENCY", "HISTORY", event),
                                                             std::forward<Token>(token)...);
  }
  /// LATENCY RESET [event ...] — events reset (all without arguments).
  /// https://redis.io/commands/latency-reset
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_reset(Token&&... token) {
    return run<long long>(Command("LATENCY", "RESET"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_reset(const StringList& events, Token&&... token) {
    return run<long long>(Command("LATENCY", "RESET", events), std::forward<Token>(token)...);
  }
  /// LATENCY DOCTOR — a human-readable report. https://redis.io/commands/latency-doctor
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_doctor(Token&&... token) {
    return run<std::string>(Command("LATENCY", "DOCTOR"), std::forward<Token>(token)...);
  }
  /// LATENCY GRAPH event — an ASCII graph. https://redis.io/commands/latency-graph
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_graph(std::string_view event, Token&&... token) {
    return run<std::string>(Command("LATENCY", "GRAPH", event), std::forward<Token>(token)...);
  }
  /// LATENCY HISTOGRAM [command ...] — per command (all without arguments).
  /// https://redis.io/commands/latency-histogram
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_histogram(Token&&... token) {
    return run<std::map<std::string, CommandLatencyHistogram>>(Command("LATENCY", "HISTOGRAM"),
                                                               std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto latency_histogram(const StringList& commands, Token&&... token) {
    return run<std::map<std::string, CommandLatencyHistogram>>(
        Command("LATENCY", "HISTOGRAM", commands), std::forward<Token>(token)...);
  }

  /// MEMORY USAGE key [SAMPLES n] — bytes, nullopt when the key does not exist.
  /// https://redis.io/commands/memory-usage
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_usage(std::string_view key, Token&&... token) {
    return run<std::optional<long long>>(Command("MEMORY", "USAGE", key),
                                         std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_usage(std::string_view key, long long samples, Token&&... token) {
    return run<std::optional<long long>>(Command("MEMORY", "USAGE", key, "SAMPLES", samples),
                                         std::forward<Token>(token)...);
  }
  /// MEMORY STATS — flattened to dotted names. https://redis.io/commands/memory-stats
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_stats(Token&&... token) {
    return run<MemoryStats>(Command("MEMORY", "STATS"), std::forward<Token>(token)...);
  }
  /// MEMORY DOCTOR — https://redis.io/commands/memory-doctor
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_doctor(Token&&... token) {
    return run<std::string>(Command("MEMORY", "DOCTOR"), std::forward<Token>(token)...);
  }
  /// MEMORY MALLOC-STATS — the allocator's report. https://redis.io/commands/memory-malloc-stats
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_malloc_stats(Token&&... token) {
    return run<std::string>(Command("MEMORY", "MALLOC-STATS"), std::forward<Token>(token)...);
  }
  /// MEMORY PURGE — asks the allocator to release memory. https://redis.io/commands/memory-purge
  template <class... Token>
  requires TokenPack<Token...>
  auto memory_purge(Token&&... token) {
    return run<void>(Command("MEMORY", "PURGE"), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
