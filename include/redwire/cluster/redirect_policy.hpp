// What a cluster command does after each answer that is not its final one, without I/O:
// follow MOVED (and update the map), follow ASK (once, with ASKING), wait and retry TRYAGAIN
// and CLUSTERDOWN, re-route a command that never reached a dead node — each bounded, and each
// failure with a clear error.
//
//   RedirectPolicy policy{{.max_redirections = 16}};
//   CallTrace trace;
//   auto d = policy.on_error_reply("MOVED 3999 127.0.0.1:6381", from, trace);
//   d.action == RedirectDecision::Action::follow_moved
//
// Counting: MOVED and ASK count against max_redirections (a chain longer than that fails with
// errc::too_many_redirections, its detail naming each hop). TRYAGAIN, CLUSTERDOWN and link
// failures count against max_retries, waiting retry_delay(n) before retry n; when those run
// out the server's own error reply (or the link error) is what the caller gets.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/cluster/redirect.hpp"

namespace redwire::cluster {

/// The delay before retry number `attempt` (1, 2, ...).
using RetryDelay = std::function<std::chrono::milliseconds(std::uint32_t attempt)>;

/// Exponential: base * 2^(attempt-1), capped (no jitter: waits are short and bounded).
RetryDelay exponential_retry_delay(std::chrono::milliseconds base = std::chrono::milliseconds(50),
                                   std::chrono::milliseconds cap = std::chrono::milliseconds(500));

struct RedirectPolicyOptions {
  std::uint32_t max_redirections = 16;
  std::uint32_t max_retries = 64;
  RetryDelay retry_delay = exponential_retry_delay();
};

/// What one command has been through so far.
struct CallTrace {
  std::uint32_t redirections = 0;
  std::uint32_t retries = 0;
  /// "MOVED 3999 -> 127.0.0.1:7001, ASK 3999 -> 127.0.0.1:7002, ..." (for error details).
  std::string chain;
};

struct RedirectDecision {
  enum class Action {
    deliver,       ///< the answer stands: hand it to the caller
    follow_moved,  ///< update the slot map, then send to `redirect.target`
    follow_ask,    ///< send ASKING + the command to `redirect.target`; the map stays
    retry_later,   ///< send again after `delay`, routed afresh
    fail,          ///< end with `ec` and `detail`
  };
  Action action = Action::deliver;
  Redirect redirect;
  std::chrono::milliseconds delay{0};
  bool refresh = false;  ///< ask for a topology refresh (rate-limited by the client)
  std::error_code ec;
  std::string detail;
};

class RedirectPolicy {
 public:
  explicit RedirectPolicy(RedirectPolicyOptions options = {});

  /// True for the error replies this policy handles: MOVED, ASK, TRYAGAIN, CLUSTERDOWN.
  static bool is_cluster_reply(std::string_view error_text) noexcept;
  /// True for link errors that mean the command never reached the server, so it may be sent
  /// elsewhere: connection_lost, connection_closed, max_retries_exceeded, offline_queue_full,
  /// offline_queue_disabled, too_many_pending, connect_timeout, resolve_failed.
  static bool is_unsent(std::error_code ec) noexcept;

  /// An error reply from the node at `from`. A redirect whose target host is unknown ("?")
  /// gets `from`'s host.
  RedirectDecision on_error_reply(std::string_view error_text, const NodeAddress& from,
                                  CallTrace& trace) const;
  /// The command ended with `ec` at `at` without a reply. `resendable`: it was never written,
  /// or it is safe to send twice.
  RedirectDecision on_link_error(std::error_code ec, bool resendable, const NodeAddress& at,
                                 CallTrace& trace) const;
  /// No node serves the command's slot (no map yet, or a hole in it): retry after a refresh.
  RedirectDecision on_no_route(std::string_view why, CallTrace& trace) const;
  /// The link to `at` is down (waiting to reconnect), so the command was not sent: retry after
  /// a refresh; once the retries are spent, fail with errc::connection_lost naming the node.
  RedirectDecision on_link_down(const NodeAddress& at, CallTrace& trace) const;

  const RedirectPolicyOptions& options() const noexcept { return options_; }

 private:
  RedirectDecision retry(CallTrace& trace, bool refresh) const;

  RedirectPolicyOptions options_;
};

}  // namespace redwire::cluster
