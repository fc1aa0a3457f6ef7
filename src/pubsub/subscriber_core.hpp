// The state behind a Subscriber: what the user wants to be subscribed to, the operations waiting
// for the server's confirmation, and the bounded delivery queues with their consumers
// (receive() calls and per-subscription handlers). Links (subscription_link.hpp) report what the
// server says; everything here is guarded by one mutex and may be called from any thread.
#pragma once

#include <array>
#include <asio/any_io_executor.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "redwire/pubsub.hpp"

namespace redwire::detail {

class SubscriptionLink;

class SubscriberCore : public std::enable_shared_from_this<SubscriberCore> {
 public:
  SubscriberCore(asio::any_io_executor executor, SubscriberOptions options);
  ~SubscriberCore();

  const asio::any_io_executor& executor() const noexcept { return executor_; }

  using LinkFactory = std::function<std::shared_ptr<SubscriptionLink>()>;
  /// Set once by the Subscriber: the link serving channels and patterns, and the one serving
  /// shard channels — given, or opened by `open_shard_link` on the first SSUBSCRIBE.
  void set_links(std::shared_ptr<SubscriptionLink> channels_and_patterns,
                 std::shared_ptr<SubscriptionLink> shard_channels,
                 LinkFactory open_shard_link = {});

  // ---- user side (any thread) ----
  void change(SubscriptionKind kind, bool subscribe, std::vector<std::string> names,
              MessageHandler handler, Completion<std::error_code> done);
  void receive(Completion<std::error_code, Message> done);
  std::uint64_t dropped() const;
  std::size_t queued() const;
  void close();

  // ---- link side (a link's strand) ----
  /// Names of `kind` the user wants now (the link resubscribes them after a reconnect).
  std::vector<std::string> wanted(SubscriptionKind kind) const;
  /// A message arrived: queue it for its handler or for receive(); unknown ones are dropped.
  void deliver(SubscriptionKind kind, std::string_view channel, std::string_view pattern,
               std::string_view payload);
  /// The server confirmed (un)subscribing `name`.
  void confirmed(SubscriptionKind kind, bool subscribe, std::string_view name);
  /// The server refused (or the link could not send) the command for `names`. With a server
  /// refusal (`refused_by_server`) the names stop being wanted and the user hears of it.
  void failed(SubscriptionKind kind, bool subscribe, const std::vector<std::string>& names,
              std::error_code ec, const std::string& detail, bool refused_by_server);
  /// A link ended for good: every pending operation ends with `ec`.
  void ended(std::error_code ec);
  /// Reports an event to SubscriberOptions::on_event.
  void emit(const SubscriberEvent& event) const;

 private:
  struct Subscription {
    std::shared_ptr<const MessageHandler> handler;  // empty: receive()
  };
  struct Waiter {
    SubscriptionKind kind;
    bool subscribe;
    std::unordered_set<std::string> remaining;
    Completion<std::error_code> done;
  };
  struct HandlerCall {
    std::shared_ptr<const MessageHandler> handler;
    Message message;
  };

  static std::size_t index(SubscriptionKind k) noexcept { return static_cast<std::size_t>(k); }
  // Under the lock: bounded push that drops the oldest; true when something was dropped.
  template <class Queue, class Item>
  bool push_bounded(Queue& q, Item&& item);
  void run_handlers();  // on the executor: drains the handler queue in batches
  void cancel_receive(std::uint64_t id);
  void fail_everything(std::error_code ec, std::unique_lock<std::mutex>& lock);

  asio::any_io_executor executor_;
  SubscriberOptions options_;
  std::shared_ptr<SubscriptionLink> main_link_;
  std::shared_ptr<SubscriptionLink> shard_link_;
  LinkFactory open_shard_link_;

  mutable std::mutex m_;
  std::array<std::unordered_map<std::string, Subscription>, 3> wanted_;
  std::list<Waiter> waiters_;
  std::deque<Message> inbox_;  // for receive()
  std::deque<std::pair<std::uint64_t, Completion<std::error_code, Message>>> receivers_;
  std::uint64_t next_receiver_ = 1;
  std::deque<HandlerCall> handler_queue_;
  bool handlers_running_ = false;
  std::uint64_t dropped_ = 0;
  bool overflowing_ = false;  // an overflow event was sent and the queues have not had room since
  bool closed_ = false;
};

}  // namespace redwire::detail
