#include "cluster_call.hpp"

#include <asio/error.hpp>
#include <asio/post.hpp>

#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

constexpr std::string_view kAsking = "*1\r\n$6\r\nASKING\r\n";

}  // namespace

// One send of the command to one node: ASKING first when following ASK. A MOVED/ASK/TRYAGAIN/
// CLUSTERDOWN reply is kept for the policy; any other reply goes straight to the sink (on the
// link's strand, without a copy).
class ClusterCall::Attempt final : public Request {
 public:
  Attempt(std::shared_ptr<ClusterCall> call, cluster::NodeAddress at, bool asking, bool follow)
      : call_(std::move(call)), at_(std::move(at)), asking_(asking), follow_(follow) {}

  void on_reply(const Reply& reply) override {
    if (asking_ && received == 1) return;  // ASKING's +OK
    if (follow_ && reply.is_error() && cluster::RedirectPolicy::is_cluster_reply(reply.value())) {
      cluster_reply_ = reply;
      return;
    }
    call_->forward(reply);
  }
  void on_finish(std::error_code ec) override {
    auto call = std::move(call_);
    call->attempt_finished(*this, ec);
  }

  const cluster::NodeAddress& at() const noexcept { return at_; }
  bool asking() const noexcept { return asking_; }
  std::optional<Reply>& cluster_reply() noexcept { return cluster_reply_; }

 private:
  std::shared_ptr<ClusterCall> call_;
  cluster::NodeAddress at_;
  bool asking_;
  bool follow_;
  std::optional<Reply> cluster_reply_;
};

ClusterCall::ClusterCall(std::shared_ptr<ClusterCore> core, Spec spec, RequestPtr sink)
    : core_(core), spec_(std::move(spec)), sink_(std::move(sink)) {
  auto timeout = spec_.timeout;
  if (timeout.count() < 0) timeout = core->options().node.command_timeout;
  // A blocking command may hold its reply for `block` (negative: forever: no deadline).
  if (timeout.count() > 0 && spec_.block.count() >= 0) {
    deadline_ = std::chrono::steady_clock::now() + timeout + spec_.block;
  }
}

void ClusterCall::start() {
  starting_.store(true, std::memory_order_relaxed);
  route_and_send();
  starting_.store(false, std::memory_order_release);
}

void ClusterCall::start_after(const Reply& cluster_reply, const cluster::NodeAddress& from) {
  on_cluster_reply(cluster_reply, from);
}

bool ClusterCall::cancelled_or_closing(std::error_code& why) {
  {
    std::lock_guard lock(mutex_);
    if (phase_ == Phase::done) {
      why = make_error_code(errc::connection_closed);  // (already finished: finish() ignores it)
      return true;
    }
    if (cancelled_) {
      why = asio::error::operation_aborted;
      return true;
    }
  }
  auto core = core_.lock();
  if (!core || core->closing()) {
    why = make_error_code(errc::connection_closed);
    return true;
  }
  if (std::chrono::steady_clock::now() >= deadline_) {
    why = make_error_code(errc::command_timeout);
    return true;
  }
  return false;
}

void ClusterCall::route_and_send() {
  std::error_code why;
  if (cancelled_or_closing(why)) return finish(why);
  auto core = core_.lock();
  if (!core) return finish(make_error_code(errc::connection_closed));
  if (spec_.pinned) {
    auto node = core->member(*spec_.pinned);
    if (!node) {
      return finish(make_error_code(errc::invalid_argument),
                    spec_.pinned->to_string() + " is not a node of the cluster (as last seen)");
    }
    return send(node, false);
  }
  auto route = core->route(spec_.slot, spec_.readonly, spec_.name);
  switch (route.status) {
    case ClusterCore::RouteStatus::ok:
      return send(route.node, false);
    case ClusterCore::RouteStatus::loading: {
      {
        std::lock_guard lock(mutex_);
        phase_ = Phase::waiting;
      }
      core->after_refresh([self = shared_from_this()] { self->route_and_send(); }, false);
      return;
    }
    case ClusterCore::RouteStatus::no_route:
      return apply(core->policy().on_no_route(route.why, trace_));
  }
}

void ClusterCall::send(const std::shared_ptr<NodeLinks>& node, bool asking) {
  if (node->down()) {
    // The node's link failed and waits to reconnect: queued there, the command would only
    // wait for the next attempt. Nothing was sent, so the retry policy decides now.
    auto core = core_.lock();
    if (!core) return finish(make_error_code(errc::connection_closed));
    return apply(core->policy().on_link_down(node->announced(), trace_));
  }
  auto attempt = std::make_shared<Attempt>(shared_from_this(), node->announced(), asking,
                                           !spec_.pinned.has_value());
  if (asking) {
    attempt->payload.reserve(kAsking.size() + spec_.payload.size());
    attempt->payload.append(kAsking);
    attempt->payload.append(spec_.payload);
    attempt->expected_replies = 2;
  } else {
    attempt->payload = std::move(spec_.payload);  // taken back when the attempt ends
  }
  attempt->retry_safe = spec_.readonly;
  auto timeout = spec_.timeout;
  if (deadline_ != std::chrono::steady_clock::time_point::max()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline_ - std::chrono::steady_clock::now());
    timeout = std::max(std::chrono::milliseconds(1),
                       left - std::max(spec_.block, std::chrono::milliseconds(0)));
  }
  {
    std::unique_lock lock(mutex_);
    if (cancelled_ || phase_ == Phase::done) {
      if (!asking) spec_.payload = std::move(attempt->payload);
      lock.unlock();
      return finish(asio::error::operation_aborted);
    }
    attempt_ = attempt;
    phase_ = Phase::in_flight;
  }
  auto link = node->submit(attempt, timeout, spec_.block, spec_.blocking);
  bool cancel_now = false;
  {
    std::lock_guard lock(mutex_);
    if (attempt_ == attempt) {
      link_ = link;
      cancel_now = cancelled_;  // cancelled while it was being queued
    }
  }
  if (cancel_now) link->cancel(attempt, asio::error::operation_aborted);
}

void ClusterCall::forward(const Reply& reply) {
  ++sink_->received;
  sink_->on_reply(reply);
}

void ClusterCall::attempt_finished(Attempt& a, std::error_code ec) {
  // Take the payload back for a resend (an ASKING attempt sent a copy).
  if (!a.asking()) spec_.payload = std::move(a.payload);
  bool cancelled = false;
  {
    std::lock_guard lock(mutex_);
    attempt_.reset();
    link_.reset();
    cancelled = cancelled_;
    if (phase_ == Phase::in_flight) phase_ = Phase::idle;
  }
  if (a.cluster_reply() && !ec) {
    if (cancelled) return finish(asio::error::operation_aborted);
    return on_cluster_reply(*a.cluster_reply(), a.at());
  }
  if (!ec) return finish({});
  auto core = core_.lock();
  if (cancelled || !core || core->closing()) return finish(ec, a.error_detail);
  const bool resendable = !a.written || spec_.readonly || core->options().node.at_least_once;
  auto d = core->policy().on_link_error(ec, resendable, a.at(), trace_);
  if (d.action == cluster::RedirectDecision::Action::deliver) return finish(ec, a.error_detail);
  apply(d);
}

void ClusterCall::on_cluster_reply(const Reply& reply, const cluster::NodeAddress& from) {
  auto core = core_.lock();
  if (!core) return finish(make_error_code(errc::connection_closed));
  auto d = core->policy().on_error_reply(reply.value(), from, trace_);
  if (d.action == cluster::RedirectDecision::Action::deliver) {
    forward(reply);  // the server's own error stands (retries exhausted)
    return finish({});
  }
  apply(d);
}

void ClusterCall::apply(const cluster::RedirectDecision& d) {
  auto core = core_.lock();
  if (!core) return finish(make_error_code(errc::connection_closed));
  using Action = cluster::RedirectDecision::Action;
  if (d.refresh) core->request_refresh(d.detail.empty() ? trace_.chain : d.detail);
  switch (d.action) {
    case Action::deliver:
      return finish({});
    case Action::fail:
      return finish(d.ec, d.detail);
    case Action::follow_moved:
    case Action::follow_ask: {
      const bool moved = d.action == Action::follow_moved;
      (moved ? core->moved_count : core->ask_count).fetch_add(1, std::memory_order_relaxed);
      std::error_code why;
      if (cancelled_or_closing(why)) return finish(why);
      // Follow only to members of the cluster; an unknown node is checked by a refresh first.
      if (auto node = core->member(d.redirect.target)) {
        if (moved) core->note_moved(d.redirect.slot, d.redirect.target);
        return send(node, !moved);
      }
      {
        std::lock_guard lock(mutex_);
        phase_ = Phase::waiting;
      }
      auto target = d.redirect.target;
      core->after_refresh([self = shared_from_this(), target, moved] {
        auto c = self->core_.lock();
        std::error_code why2;
        if (!c || self->cancelled_or_closing(why2)) {
          return self->finish(c ? why2 : make_error_code(errc::connection_closed));
        }
        if (auto node = c->member(target)) return self->send(node, !moved);
        self->route_and_send();  // not a member after all: go where the fresh map says
      });
      return;
    }
    case Action::retry_later:
      core->retry_count.fetch_add(1, std::memory_order_relaxed);
      return wait_then_route(d.delay);
  }
}

void ClusterCall::wait_then_route(std::chrono::milliseconds delay) {
  auto core = core_.lock();
  if (!core) return finish(make_error_code(errc::connection_closed));
  {
    std::lock_guard lock(mutex_);
    phase_ = Phase::waiting;
  }
  core->run_after(delay, [self = shared_from_this()] { self->route_and_send(); });
}

void ClusterCall::finish(std::error_code ec, std::string_view detail) {
  {
    std::lock_guard lock(mutex_);
    if (phase_ == Phase::done) return;
    phase_ = Phase::done;
    link_.reset();
  }
  if (starting_.load(std::memory_order_acquire)) {
    // Inside the initiating call: a completion handler must not run before it returns.
    if (auto core = core_.lock()) {
      asio::post(core->executor(),
                 [sink = sink_, ec, d = std::string(detail)] { complete(*sink, ec, d); });
      return;
    }
  }
  complete(*sink_, ec, detail);
}

void ClusterCall::cancel(asio::cancellation_type type) {
  std::shared_ptr<Request> attempt;
  std::shared_ptr<Connection> link;
  {
    std::lock_guard lock(mutex_);
    if (phase_ == Phase::done) return;
    if (phase_ == Phase::in_flight && attempt_) {
      // Withdrawing an unwritten command is always clean; abandoning a written one (it may
      // still run on the server) only honours terminal cancellation.
      if (attempt_->written &&
          (type & asio::cancellation_type::terminal) == asio::cancellation_type::none) {
        return;
      }
      cancelled_ = true;
      attempt = attempt_;
      link = link_;
    } else {
      cancelled_ = true;
      phase_ = Phase::done;
    }
  }
  if (attempt && link) {
    link->cancel(attempt, asio::error::operation_aborted);
  } else if (!attempt) {
    // Waiting between attempts: end it now, from the executor (never inside the signal).
    auto core = core_.lock();
    auto end = [sink = sink_] { complete(*sink, asio::error::operation_aborted); };
    if (core) {
      asio::post(core->executor(), std::move(end));
    } else {
      end();
    }
  }
}

void CallGroup::add(const std::shared_ptr<ClusterCall>& call) {
  asio::cancellation_type type;
  {
    std::lock_guard lock(mutex_);
    if (!cancelled_) {
      calls_.push_back(call);
      return;
    }
    type = type_;
  }
  call->cancel(type);
}

void CallGroup::cancel(asio::cancellation_type type) {
  std::vector<std::shared_ptr<ClusterCall>> calls;
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    type_ = type;
    calls = calls_;
  }
  for (auto& c : calls) c->cancel(type);
}

void cancel_calls(const std::shared_ptr<CallGroup>& group, asio::cancellation_type type) {
  if (group) group->cancel(type);
}

}  // namespace redwire::detail
