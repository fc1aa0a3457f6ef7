#include "redwire/cluster/redirect_policy.hpp"

#include <algorithm>

#include "redwire/error.hpp"

namespace redwire::cluster {
namespace {

void add_hop(CallTrace& trace, std::string_view hop) {
  if (!trace.chain.empty()) trace.chain += ", ";
  trace.chain += hop;
}

}  // namespace

RetryDelay exponential_retry_delay(std::chrono::milliseconds base, std::chrono::milliseconds cap) {
  return [base, cap](std::uint32_t attempt) {
    const std::uint32_t shift = std::min<std::uint32_t>(attempt > 0 ? attempt - 1 : 0, 20);
    const auto delay = base * (std::int64_t{1} << shift);
    return std::min<std::chrono::milliseconds>(delay, cap);
  };
}

RedirectPolicy::RedirectPolicy(RedirectPolicyOptions options) : options_(std::move(options)) {
  if (!options_.retry_delay) options_.retry_delay = exponential_retry_delay();
}

bool RedirectPolicy::is_cluster_reply(std::string_view text) noexcept {
  return text.starts_with("MOVED ") || text.starts_with("ASK ") || text.starts_with("TRYAGAIN") ||
         text.starts_with("CLUSTERDOWN");
}

bool RedirectPolicy::is_unsent(std::error_code ec) noexcept {
  return ec == errc::connection_lost || ec == errc::connection_closed ||
         ec == errc::max_retries_exceeded || ec == errc::offline_queue_full ||
         ec == errc::offline_queue_disabled || ec == errc::too_many_pending ||
         ec == errc::connect_timeout || ec == errc::resolve_failed;
}

RedirectDecision RedirectPolicy::retry(CallTrace& trace, bool refresh) const {
  RedirectDecision d;
  if (trace.retries >= options_.max_retries) return d;  // deliver what we have
  ++trace.retries;
  d.action = RedirectDecision::Action::retry_later;
  d.delay = options_.retry_delay(trace.retries);
  d.refresh = refresh;
  return d;
}

RedirectDecision RedirectPolicy::on_error_reply(std::string_view text, const NodeAddress& from,
                                                CallTrace& trace) const {
  RedirectDecision d;
  if (auto redirect = parse_redirect(text)) {
    if (redirect->target.host.empty()) redirect->target.host = from.host;
    const bool moved = redirect->kind == Redirect::Kind::moved;
    add_hop(trace, std::string(moved ? "MOVED " : "ASK ") + std::to_string(redirect->slot) +
                       " from " + from.to_string() + " to " + redirect->target.to_string());
    if (trace.redirections >= options_.max_redirections) {
      d.action = RedirectDecision::Action::fail;
      d.ec = make_error_code(errc::too_many_redirections);
      d.detail = "more than " + std::to_string(options_.max_redirections) +
                 " redirections (max_redirections): " + trace.chain;
      return d;
    }
    ++trace.redirections;
    d.action =
        moved ? RedirectDecision::Action::follow_moved : RedirectDecision::Action::follow_ask;
    d.redirect = std::move(*redirect);
    d.refresh = moved;  // the map is stale somewhere; ASK is expected mid-migration
    return d;
  }
  if (text.starts_with("TRYAGAIN")) {
    add_hop(trace, "TRYAGAIN from " + from.to_string());
    return retry(trace, false);
  }
  if (text.starts_with("CLUSTERDOWN")) {
    add_hop(trace, "CLUSTERDOWN from " + from.to_string());
    return retry(trace, true);
  }
  return d;  // any other error reply is the command's answer
}

RedirectDecision RedirectPolicy::on_link_error(std::error_code ec, bool resendable,
                                               const NodeAddress& at, CallTrace& trace) const {
  RedirectDecision d;
  if (!resendable || !is_unsent(ec)) return d;
  add_hop(trace, ec.message() + " at " + at.to_string());
  d = retry(trace, true);
  return d;
}

RedirectDecision RedirectPolicy::on_no_route(std::string_view why, CallTrace& trace) const {
  add_hop(trace, std::string(why));
  RedirectDecision d = retry(trace, true);
  if (d.action == RedirectDecision::Action::deliver) {
    d.action = RedirectDecision::Action::fail;
    d.ec = make_error_code(errc::connection_lost);
    d.detail = "no cluster node serves the command's slot after " + std::to_string(trace.retries) +
               " retries: " + trace.chain;
  }
  return d;
}

RedirectDecision RedirectPolicy::on_link_down(const NodeAddress& at, CallTrace& trace) const {
  const auto ec = make_error_code(errc::connection_lost);
  RedirectDecision d = on_link_error(ec, true, at, trace);
  if (d.action == RedirectDecision::Action::deliver) {
    d.action = RedirectDecision::Action::fail;
    d.ec = ec;
    d.detail = "the link to " + at.to_string() + " stayed down through " +
               std::to_string(trace.retries) + " retries (max_retries)";
  }
  return d;
}

}  // namespace redwire::cluster
