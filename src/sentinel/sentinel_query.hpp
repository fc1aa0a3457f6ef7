// The Asio side of discovery: ask one sentinel a pipeline with a hard time bound, and ask the
// sentinels in turn until one gives a usable answer. What to ask and how to read the answer
// is in redwire/sentinel/discovery.hpp.
#pragma once

#include <asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include "redwire/options.hpp"
#include "redwire/sentinel/discovery.hpp"

namespace redwire::sentinel {

/// Options for a link to a sentinel: its credentials, RESP3 (RESP2 fallback), no ready check,
/// `timeout` for connect + handshake. `persistent`: reconnect with backoff (the failover
/// watcher); otherwise a failed connect ends the link (one-shot queries).
Options sentinel_link_options(const SentinelOptions& so, const HostPort& sentinel, bool persistent);

using QueryDone = std::function<void(std::error_code, std::vector<Reply>, std::string detail)>;

/// Connects to `sentinel`, sends `query`, collects its replies and closes the link. `done` runs
/// once, within `timeout` (errc::command_timeout when the sentinel is stopped or slow).
void ask_sentinel(const asio::any_io_executor& ex, const SentinelOptions& so,
                  const HostPort& sentinel, const Query& query, QueryDone done);

/// The outcome of asking the sentinels in turn.
struct Found {
  Target target;
  HostPort sentinel;            ///< the one that answered
  std::vector<HostPort> peers;  ///< the sentinels it knows (when asked)
};
using DiscoverDone = std::function<void(std::error_code, Found, std::string detail)>;
/// Decides from one sentinel's parsed answer (thread-safe; the caller owns the randomness).
using Chooser = std::function<Choice(const Answer&)>;

/// Asks `sentinels` one after the other until an answer yields a target. On failure: the most
/// telling error (master_unknown, no_replica_available, else no_sentinel_reachable) and a
/// detail naming each sentinel's problem.
void discover(const asio::any_io_executor& ex, const SentinelOptions& so,
              std::vector<HostPort> sentinels, Chooser chooser, DiscoverDone done);

}  // namespace redwire::sentinel
