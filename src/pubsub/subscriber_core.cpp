#include "subscriber_core.hpp"

#include <asio/post.hpp>
#include <exception>

#include "redwire/error.hpp"
#include "subscription_link.hpp"

namespace redwire::detail {
namespace {
constexpr std::size_t kHandlerBatch = 256;  // handler calls per turn on the executor
}

SubscriberCore::SubscriberCore(asio::any_io_executor executor, SubscriberOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {
  if (options_.queue_capacity == 0) options_.queue_capacity = 1;
}

SubscriberCore::~SubscriberCore() = default;

void SubscriberCore::set_links(std::shared_ptr<SubscriptionLink> channels_and_patterns,
                               std::shared_ptr<SubscriptionLink> shard_channels,
                               LinkFactory open_shard_link) {
  std::lock_guard lock(m_);
  main_link_ = std::move(channels_and_patterns);
  shard_link_ = std::move(shard_channels);
  open_shard_link_ = std::move(open_shard_link);
}

// ------------------------------------------------------------------ user side

void SubscriberCore::change(SubscriptionKind kind, bool subscribe, std::vector<std::string> names,
                            MessageHandler handler, Completion<std::error_code> done) {
  if (names.empty()) {
    done.complete(make_error_code(errc::invalid_argument));
    return;
  }
  std::shared_ptr<SubscriptionLink> link;
  {
    std::lock_guard lock(m_);
    if (closed_) {
      done.complete(make_error_code(errc::connection_closed));
      return;
    }
    auto& wanted = wanted_[index(kind)];
    auto shared_handler =
        handler ? std::make_shared<const MessageHandler>(std::move(handler)) : nullptr;
    for (const auto& n : names) {
      if (subscribe) {
        wanted[n].handler = shared_handler;
      } else {
        wanted.erase(n);
      }
    }
    Waiter w{kind, subscribe, {names.begin(), names.end()}, std::move(done)};
    waiters_.push_back(std::move(w));
    if (kind == SubscriptionKind::shard_channel && !shard_link_ && open_shard_link_) {
      shard_link_ = open_shard_link_();  // posts its setup; nothing calls back in here
    }
    link = kind == SubscriptionKind::shard_channel ? shard_link_ : main_link_;
  }
  if (link) link->send(kind, subscribe, std::move(names));
}

void SubscriberCore::receive(Completion<std::error_code, Message> done) {
  std::lock_guard lock(m_);
  if (!inbox_.empty()) {
    Message m = std::move(inbox_.front());
    inbox_.pop_front();
    done.complete({}, std::move(m));
    return;
  }
  if (closed_) {
    done.complete(make_error_code(errc::connection_closed), Message{});
    return;
  }
  const std::uint64_t id = next_receiver_++;
  auto slot = done.slot();
  receivers_.emplace_back(id, std::move(done));
  if (slot.is_connected()) {
    // Never completes inside the slot's own handler (completing clears the slot).
    slot.assign([weak = weak_from_this(), id, ex = executor_](asio::cancellation_type) {
      asio::post(ex, [weak, id] {
        if (auto core = weak.lock()) core->cancel_receive(id);
      });
    });
  }
}

void SubscriberCore::cancel_receive(std::uint64_t id) {
  std::lock_guard lock(m_);
  for (auto it = receivers_.begin(); it != receivers_.end(); ++it) {
    if (it->first != id) continue;
    it->second.complete(make_error_code(asio::error::operation_aborted), Message{});
    receivers_.erase(it);
    return;
  }
}

std::uint64_t SubscriberCore::dropped() const {
  std::lock_guard lock(m_);
  return dropped_;
}

std::size_t SubscriberCore::queued() const {
  std::lock_guard lock(m_);
  return inbox_.size();
}

void SubscriberCore::close() {
  std::vector<std::pair<SubscriptionKind, std::vector<std::string>>> main_wanted;
  std::vector<std::pair<SubscriptionKind, std::vector<std::string>>> shard_wanted;
  std::shared_ptr<SubscriptionLink> main_link;
  std::shared_ptr<SubscriptionLink> shard_link;
  {
    std::unique_lock lock(m_);
    if (closed_) return;
    for (std::size_t k = 0; k < wanted_.size(); ++k) {
      std::vector<std::string> names;
      for (const auto& [name, sub] : wanted_[k]) names.push_back(name);
      const auto kind = static_cast<SubscriptionKind>(k);
      (kind == SubscriptionKind::shard_channel ? shard_wanted : main_wanted)
          .emplace_back(kind, std::move(names));
      wanted_[k].clear();
    }
    fail_everything(make_error_code(errc::connection_closed), lock);
    main_link = std::move(main_link_);
    shard_link = std::move(shard_link_);
  }
  if (main_link) main_link->detach(main_wanted);
  if (shard_link && shard_link != main_link) shard_link->detach(shard_wanted);
}

void SubscriberCore::fail_everything(std::error_code ec, std::unique_lock<std::mutex>&) {
  closed_ = true;
  for (auto& w : waiters_) w.done.complete(ec);
  waiters_.clear();
  for (auto& [id, r] : receivers_) r.complete(ec, Message{});
  receivers_.clear();
  inbox_.clear();
  handler_queue_.clear();
}

// ------------------------------------------------------------------ link side

std::vector<std::string> SubscriberCore::wanted(SubscriptionKind kind) const {
  std::lock_guard lock(m_);
  std::vector<std::string> names;
  names.reserve(wanted_[index(kind)].size());
  for (const auto& [name, sub] : wanted_[index(kind)]) names.push_back(name);
  return names;
}

template <class Queue, class Item>
bool SubscriberCore::push_bounded(Queue& q, Item&& item) {
  bool dropped = false;
  while (q.size() >= options_.queue_capacity) {
    q.pop_front();
    ++dropped_;
    dropped = true;
  }
  q.push_back(std::forward<Item>(item));
  return dropped;
}

void SubscriberCore::deliver(SubscriptionKind kind, std::string_view channel,
                             std::string_view pattern, std::string_view payload) {
  bool report_overflow = false;
  std::uint64_t dropped_total = 0;
  {
    std::lock_guard lock(m_);
    if (closed_) return;
    const auto& wanted = wanted_[index(kind)];
    const auto it = wanted.find(std::string(kind == SubscriptionKind::pattern ? pattern : channel));
    if (it == wanted.end()) return;  // unsubscribed meanwhile, or not ours
    Message m{kind, std::string(channel), std::string(pattern), std::string(payload)};
    bool dropped = false;
    if (it->second.handler) {
      dropped = push_bounded(handler_queue_, HandlerCall{it->second.handler, std::move(m)});
      if (!handlers_running_) {
        handlers_running_ = true;
        asio::post(executor_, [self = shared_from_this()] { self->run_handlers(); });
      }
    } else if (!receivers_.empty()) {
      receivers_.front().second.complete({}, std::move(m));
      receivers_.pop_front();
    } else {
      dropped = push_bounded(inbox_, std::move(m));
    }
    if (dropped && !overflowing_) {
      overflowing_ = true;
      report_overflow = true;
      dropped_total = dropped_;
    } else if (!dropped && overflowing_ && inbox_.size() < options_.queue_capacity / 2 &&
               handler_queue_.size() < options_.queue_capacity / 2) {
      overflowing_ = false;  // had room again: the next overflow is reported
    }
  }
  if (report_overflow) {
    SubscriberEvent e;
    e.type = SubscriberEventType::overflow;
    e.dropped = dropped_total;
    emit(e);
  }
}

void SubscriberCore::run_handlers() {
  std::deque<HandlerCall> batch;
  {
    std::lock_guard lock(m_);
    const std::size_t n = std::min(kHandlerBatch, handler_queue_.size());
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(handler_queue_.front()));
      handler_queue_.pop_front();
    }
    if (batch.empty()) {
      handlers_running_ = false;
      return;
    }
  }
  // Calls in order, one at a time; the next batch is posted so other work interleaves.
  auto next = [self = shared_from_this()] { self->run_handlers(); };
  while (!batch.empty()) {
    HandlerCall call = std::move(batch.front());
    batch.pop_front();
    try {
      (*call.handler)(call.message);
    } catch (...) {
      // Keep the order for the rest, then let the exception reach the caller of run().
      std::lock_guard lock(m_);
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
        handler_queue_.push_front(std::move(*it));
      }
      asio::post(executor_, next);
      throw;
    }
  }
  asio::post(executor_, next);
}

void SubscriberCore::confirmed(SubscriptionKind kind, bool subscribe, std::string_view name) {
  std::lock_guard lock(m_);
  for (auto it = waiters_.begin(); it != waiters_.end();) {
    if (it->kind == kind && it->subscribe == subscribe) {
      it->remaining.erase(std::string(name));
      if (it->remaining.empty()) {
        it->done.complete({});
        it = waiters_.erase(it);
        continue;
      }
    }
    ++it;
  }
}

void SubscriberCore::failed(SubscriptionKind kind, bool subscribe,
                            const std::vector<std::string>& names, std::error_code ec,
                            const std::string& detail, bool refused_by_server) {
  {
    std::lock_guard lock(m_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      bool hit = false;
      if (it->kind == kind && it->subscribe == subscribe) {
        for (const auto& n : names) hit = hit || it->remaining.count(n) != 0;
      }
      if (hit) {
        it->done.complete(ec);
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
    if (refused_by_server && subscribe) {
      for (const auto& n : names) wanted_[index(kind)].erase(n);
    }
  }
  if (!refused_by_server) return;
  SubscriberEvent e;
  e.type = SubscriberEventType::refused;
  e.ec = ec;
  e.detail = detail;
  e.kind = kind;
  e.names = names;
  emit(e);
}

void SubscriberCore::ended(std::error_code ec) {
  {
    std::unique_lock lock(m_);
    if (closed_) return;
    fail_everything(ec ? ec : make_error_code(errc::connection_closed), lock);
  }
  SubscriberEvent e;
  e.type = SubscriberEventType::ended;
  e.ec = ec;
  emit(e);
}

void SubscriberCore::emit(const SubscriberEvent& event) const {
  if (options_.on_event) options_.on_event(event);
}

}  // namespace redwire::detail
