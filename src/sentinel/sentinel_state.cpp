#include "sentinel_state.hpp"

#include <algorithm>

#include "redwire/resp/encoder.hpp"
#include "sentinel_query.hpp"

namespace redwire::sentinel {

SentinelState::SentinelState(SentinelOptions so)
    : so_(std::move(so)), sentinels_(so_.sentinels), rng_(std::random_device{}()) {}

void SentinelState::setup_link(detail::Connection& conn) {
  auto link = std::make_shared<Link>();
  link->conn = conn.weak_from_this();
  bool main = false;
  {
    std::lock_guard lock(mutex_);
    std::erase_if(links_, [](const auto& l) { return l->conn.expired(); });
    link->switch_seen = switch_gen_;  // a new link asks the sentinels first
    links_.push_back(link);
    main = !have_main_;
    have_main_ = true;
    if (!executor_) {
      executor_ = conn.executor().get_inner_executor();
      pause_timer_ = std::make_unique<asio::steady_timer>(*executor_);
    }
  }
  std::weak_ptr<SentinelState> weak = weak_from_this();
  conn.set_address_provider([self = shared_from_this(), link](AddressDone done) {
    self->provide(link, std::move(done));
  });
  std::string role;
  resp::append_command(role, "ROLE");
  conn.add_handshake_command(std::move(role), false,
                             [weak, link](const Reply& reply, std::string& detail) {
                               auto self = weak.lock();
                               if (!self) return make_error_code(errc::connection_closed);
                               return self->check(*link, reply, detail);
                             });
  if (main) {
    conn.set_event_handler([user = conn.options().on_event, weak](const Event& e) {
      if (user) user(e);
      if (e.type != EventType::end) return;
      if (auto self = weak.lock()) self->on_main_end();
    });
  }
}

void SentinelState::provide(const std::shared_ptr<Link>& link, AddressDone done) {
  std::unique_lock lock(mutex_);
  if (ended_) {
    lock.unlock();
    return done(make_error_code(errc::connection_closed), {}, 0, {});
  }
  start_watcher_locked();
  if (so_.role == SentinelRole::master && paused_) {
    waiters_.push_back({link, std::move(done)});  // until the switch, an abort or the limit
    return;
  }
  if (so_.role == SentinelRole::master && switched_to_ && link->switch_seen < switch_gen_) {
    // The announcement is fresher than what a slower sentinel may still report: go there
    // once; the ROLE check confirms, and the next attempt asks the sentinels again.
    link->switch_seen = switch_gen_;
    link->address = *switched_to_;
    link->expected = SentinelRole::master;
    const HostPort target = *switched_to_;
    lock.unlock();
    return done({}, target.host, target.port, {});
  }
  link->switch_seen = switch_gen_;
  lock.unlock();
  run_discovery(link, std::move(done));
}

void SentinelState::run_discovery(const std::shared_ptr<Link>& link, AddressDone done) {
  std::vector<HostPort> order;
  asio::any_io_executor ex;
  {
    std::lock_guard lock(mutex_);
    order = sentinels_.addresses();
    ex = *executor_;
  }
  auto self = shared_from_this();
  auto chooser = [self](const Answer& answer) {
    std::lock_guard lock(self->mutex_);
    return choose(answer, self->so_, self->rng_);
  };
  discover(
      ex, so_, std::move(order), std::move(chooser),
      [self, link, done = std::move(done)](std::error_code ec, Found found, std::string detail) {
        if (ec) return done(ec, {}, 0, std::move(detail));
        std::vector<HostPort> added;
        std::shared_ptr<FailoverWatcher> watcher;
        {
          std::lock_guard lock(self->mutex_);
          self->sentinels_.promote(found.sentinel);
          if (self->so_.update_sentinels) added = self->sentinels_.merge(found.peers);
          link->address = found.target.address;
          link->expected = found.target.role;
          watcher = self->watcher_;
        }
        if (watcher && !added.empty()) watcher->watch(added);
        done({}, found.target.address.host, found.target.address.port, {});
      });
}

std::error_code SentinelState::check(const Link& link, const Reply& role, std::string& detail) {
  SentinelRole expected;
  std::string where;
  {
    std::lock_guard lock(mutex_);
    if (so_.role == SentinelRole::master && paused_) {
      detail = "a failover of \"" + so_.master_name + "\" is in progress";
      return make_error_code(sentinel_errc::failover_in_progress);
    }
    expected = link.expected;
    where = link.address ? link.address->to_string() : std::string("the node");
  }
  if (auto ec = check_role(role.view(), expected, detail)) {
    detail = where + ": " + detail;
    return ec;
  }
  return {};
}

void SentinelState::start_watcher_locked() {
  if (!so_.follow_failovers || watcher_ || ended_ || !executor_) return;
  std::weak_ptr<SentinelState> weak = weak_from_this();
  watcher_ = std::make_shared<FailoverWatcher>(
      *executor_, so_,
      [weak](const HostPort& from, std::string_view channel, std::string_view payload) {
        if (auto self = weak.lock()) self->on_message(from, channel, payload);
      });
  watcher_->watch(sentinels_.addresses());
}

std::vector<std::shared_ptr<detail::Connection>> SentinelState::links_where_locked(
    const std::function<bool(const Link&)>& pred) {
  std::vector<std::shared_ptr<detail::Connection>> out;
  for (const auto& l : links_) {
    if (!pred(*l)) continue;
    if (auto c = l->conn.lock()) out.push_back(std::move(c));
  }
  return out;
}

void SentinelState::on_message(const HostPort&, std::string_view channel,
                               std::string_view payload) {
  const FailoverEvent e = parse_event(channel, payload, so_.master_name);
  switch (e.kind) {
    case FailoverEvent::Kind::started:
      return on_failover_started();
    case FailoverEvent::Kind::switched:
      return on_switch(e);
    case FailoverEvent::Kind::aborted: {
      std::uint64_t gen = 0;
      {
        std::lock_guard lock(mutex_);
        gen = pause_gen_;
      }
      return resume(gen);
    }
    case FailoverEvent::Kind::unrelated:
      return;
  }
}

void SentinelState::on_failover_started() {
  if (so_.role != SentinelRole::master || !so_.pause_during_failover) return;
  std::vector<std::shared_ptr<detail::Connection>> kick;
  {
    std::lock_guard lock(mutex_);
    if (paused_ || ended_) return;
    paused_ = true;
    const std::uint64_t gen = ++pause_gen_;
    pause_timer_->expires_after(so_.failover_pause_limit);
    pause_timer_->async_wait([weak = weak_from_this(), gen](std::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->resume(gen);
    });
    kick = links_where_locked([](const Link&) { return true; });
  }
  // The promotion comes a few sentinel ticks later: stop writing to the old master now.
  for (auto& c : kick) {
    c->reconnect_now("sentinel: failover of \"" + so_.master_name + "\" started; pausing");
  }
}

void SentinelState::on_switch(const FailoverEvent& e) {
  const HostPort now = translate(so_.nat_map, e.new_master);
  const HostPort before = translate(so_.nat_map, e.old_master);
  std::vector<std::shared_ptr<detail::Connection>> kick;
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mutex_);
    if (ended_) return;
    if (switched_to_ != now) {  // every sentinel announces the same switch: count it once
      switched_to_ = now;
      ++switch_gen_;
    }
    if (paused_) {
      paused_ = false;
      pause_timer_->cancel();
    }
    waiters.swap(waiters_);
    if (so_.role == SentinelRole::master) {
      kick = links_where_locked([&](const Link& l) { return l.address && *l.address != now; });
    } else {
      // A replica link on the promoted node, or one that fell back to the old master.
      kick = links_where_locked(
          [&](const Link& l) { return l.address && (*l.address == now || *l.address == before); });
    }
  }
  for (auto& c : kick) {
    c->reconnect_now("sentinel: +switch-master " + so_.master_name + " " + before.to_string() +
                     " -> " + now.to_string());
  }
  for (auto& w : waiters) provide(w.link, std::move(w.done));
}

void SentinelState::resume(std::uint64_t pause_gen) {
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mutex_);
    if (!paused_ || pause_gen != pause_gen_) return;
    paused_ = false;
    pause_timer_->cancel();
    waiters.swap(waiters_);
  }
  for (auto& w : waiters) provide(w.link, std::move(w.done));
}

void SentinelState::on_main_end() {
  std::shared_ptr<FailoverWatcher> watcher;
  std::vector<Waiter> waiters;
  {
    std::lock_guard lock(mutex_);
    ended_ = true;
    watcher = std::move(watcher_);
    if (pause_timer_) pause_timer_->cancel();
    waiters.swap(waiters_);
  }
  if (watcher) watcher->stop();
  for (auto& w : waiters) w.done(make_error_code(errc::connection_closed), {}, 0, {});
}

}  // namespace redwire::sentinel
