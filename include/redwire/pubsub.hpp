// Pub/Sub: a Subscriber made from a Client. Channels, patterns and shard channels, each with a
// handler of its own or read in order through receive(); binary-safe payloads.
//
//   redwire::Subscriber sub{redis};
//   co_await sub.subscribe("events:user", asio::use_awaitable);      // confirmed by the server
//   for (;;) {
//     redwire::Message m = co_await sub.receive(asio::use_awaitable);
//     std::cout << m.channel << ": " << m.payload << "\n";
//   }
//   // or a handler per channel / pattern, run on the client's executor, one at a time:
//   co_await sub.psubscribe("events:*", [](const redwire::Message& m) { ... },
//   asio::use_awaitable);
//
// Delivery is at-most-once: Redis keeps no message for a subscriber that is not connected.
// After a reconnect every channel, pattern and shard channel is subscribed again (before any
// queued command is sent) and SubscriberEvent::gap tells that messages may have been missed.
//
// Links: under RESP3 (the default) channels and patterns ride the client's own connection,
// which keeps serving commands; shard channels get a link of their own. Under RESP2, or with
// SubscriberOptions::dedicated_link, everything goes through one dedicated link.
//
// Slow consumers: messages wait in a bounded queue (queue_capacity per destination). When it is
// full the oldest message is dropped, counted (dropped()) and reported (SubscriberEvent::overflow)
// — the link keeps being read, so the server never has to cut it. See docs/pubsub.md.
#pragma once

#include <asio/async_result.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/detail/completion.hpp"

namespace redwire {

class Client;

/// What a subscription is on.
enum class SubscriptionKind {
  channel,        ///< SUBSCRIBE
  pattern,        ///< PSUBSCRIBE (glob-style)
  shard_channel,  ///< SSUBSCRIBE (sharded pub/sub, Redis 7+)
};

/// One published message.
struct Message {
  SubscriptionKind kind = SubscriptionKind::channel;
  std::string channel{};  ///< where it was published
  std::string pattern{};  ///< the pattern that matched (kind == pattern), else empty
  std::string payload{};  ///< any bytes
};

/// Called for each message of a subscription, on the client's executor, one message at a time.
using MessageHandler = std::function<void(const Message&)>;

enum class SubscriberEventType {
  /// The link dropped and every subscription is active again: messages published in between
  /// were lost. `likely_slow_consumer` is set when it dropped while a backlog of messages was
  /// being read (the server's client-output-buffer-limit for pubsub is the usual cause).
  gap,
  /// The delivery queue was full: messages were dropped (`dropped` is the running total).
  /// Reported once each time the queue overflows after having had room.
  overflow,
  /// The server refused a (re)subscription (NOPERM, ...): `names`, `ec` and `detail` say which
  /// and why. The names are no longer subscribed.
  refused,
  /// The subscriber's link ended for good (closed, or the retry strategy gave up): `ec`.
  ended,
};

struct SubscriberEvent {
  SubscriberEventType type = SubscriberEventType::gap;
  std::error_code ec{};
  std::string detail{};
  SubscriptionKind kind = SubscriptionKind::channel;  ///< refused
  std::vector<std::string> names{};                   ///< refused
  std::uint64_t dropped = 0;                          ///< overflow
  bool likely_slow_consumer = false;                  ///< gap
  /// gap: the last message received before the link dropped (or the last subscription
  /// confirmation when no message had come); messages published after it may be lost.
  std::chrono::steady_clock::time_point last_message{};
  /// gap: when every subscription was confirmed again.
  std::chrono::steady_clock::time_point resubscribed{};
};

struct SubscriberOptions {
  /// Messages held per destination (receive() queue; handler queue) before the oldest is
  /// dropped. At least 1.
  std::size_t queue_capacity = 10'000;
  /// Use a link of its own even under RESP3 (e.g. when commands on the client's link must never
  /// wait behind a burst of messages, or for several independent subscribers).
  bool dedicated_link = false;
  /// Gap, overflow, refused and ended events. Runs on a link's strand; keep it short.
  std::function<void(const SubscriberEvent&)> on_event{};
};

namespace detail {
class SubscriberCore;
}

class Subscriber {
 public:
  /// Attaches to `client` (RESP3: its connection; only one subscriber per client does — any
  /// further ones get a dedicated link). The subscriber may outlive the client; it then ends.
  explicit Subscriber(Client& client, SubscriberOptions options = {});
  /// Unsubscribes from everything (without waiting) and detaches; pending operations end with
  /// errc::connection_closed.
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  /// SUBSCRIBE channel [channel ...]; completes (void(std::error_code)) when the server has
  /// confirmed every channel. Their messages go to receive(). https://redis.io/commands/subscribe
  template <class Token>
  auto subscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::channel, true, channels, {}, std::forward<Token>(token));
  }
  /// SUBSCRIBE with a handler for these channels' messages.
  template <class Token>
  auto subscribe(const StringList& channels, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::channel, true, channels, std::move(handler),
                  std::forward<Token>(token));
  }
  /// UNSUBSCRIBE channel [channel ...]; completes when confirmed.
  template <class Token>
  auto unsubscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::channel, false, channels, {}, std::forward<Token>(token));
  }
  /// PSUBSCRIBE pattern [pattern ...] — https://redis.io/commands/psubscribe
  template <class Token>
  auto psubscribe(const StringList& patterns, Token&& token) {
    return change(SubscriptionKind::pattern, true, patterns, {}, std::forward<Token>(token));
  }
  template <class Token>
  auto psubscribe(const StringList& patterns, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::pattern, true, patterns, std::move(handler),
                  std::forward<Token>(token));
  }
  /// PUNSUBSCRIBE pattern [pattern ...]
  template <class Token>
  auto punsubscribe(const StringList& patterns, Token&& token) {
    return change(SubscriptionKind::pattern, false, patterns, {}, std::forward<Token>(token));
  }
  /// SSUBSCRIBE shardchannel [...] (Redis 7+; on a cluster node, one whose slot it serves).
  /// https://redis.io/commands/ssubscribe
  template <class Token>
  auto ssubscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::shard_channel, true, channels, {}, std::forward<Token>(token));
  }
  template <class Token>
  auto ssubscribe(const StringList& channels, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::shard_channel, true, channels, std::move(handler),
                  std::forward<Token>(token));
  }
  /// SUNSUBSCRIBE shardchannel [...]
  template <class Token>
  auto sunsubscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::shard_channel, false, channels, {}, std::forward<Token>(token));
  }

  /// The next message of a subscription without a handler, in arrival order. Completion:
  /// void(std::error_code, Message). Cancellable (per-operation cancellation: the handler gets
  /// asio::error::operation_aborted; no message is lost). After close(): errc::connection_closed.
  template <class Token>
  auto receive(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, Message)>(
        [this](auto handler) {
          start_receive(
              detail::Completion<std::error_code, Message>(std::move(handler), executor()));
        },
        token);
  }

  /// Messages dropped so far because a queue was full.
  std::uint64_t dropped() const;
  /// Messages waiting for receive() now.
  std::size_t queued() const;
  /// Unsubscribes from everything, ends pending receive() and subscribe calls with
  /// errc::connection_closed and detaches from the links. Idempotent.
  void close();

 private:
  template <class Token>
  auto change(SubscriptionKind kind, bool subscribe, const StringList& names,
              MessageHandler handler, Token&& token) {
    std::vector<std::string> copied(names.begin(), names.end());  // the list is borrowed
    return asio::async_initiate<Token, void(std::error_code)>(
        [this](auto h, SubscriptionKind k, bool on, std::vector<std::string> n, MessageHandler mh) {
          start_change(k, on, std::move(n), std::move(mh),
                       detail::Completion<std::error_code>(std::move(h), executor()));
        },
        token, kind, subscribe, std::move(copied), std::move(handler));
  }

  const asio::any_io_executor& executor() const noexcept;
  void start_change(SubscriptionKind kind, bool subscribe, std::vector<std::string> names,
                    MessageHandler handler, detail::Completion<std::error_code> done);
  void start_receive(detail::Completion<std::error_code, Message> done);

  std::shared_ptr<detail::SubscriberCore> core_{};
};

}  // namespace redwire
