// Reads what a subscribed link receives: messages, (un)subscribe confirmations, error replies and
// PING answers, in RESP3 push frames and in RESP2 arrays alike.
#pragma once

#include <string_view>

#include "redwire/pubsub.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire::detail {

struct PubSubFrame {
  enum class Type {
    message,       ///< channel/pattern/payload set
    confirmation,  ///< kind, subscribe and name set (name may be null for a bare UNSUBSCRIBE)
    error,         ///< text set: an error reply
    pong,          ///< an answer to PING
    other,         ///< not pub/sub (client tracking invalidations, ...)
  };
  Type type = Type::other;
  SubscriptionKind kind = SubscriptionKind::channel;
  bool subscribe = false;  ///< confirmation: subscribe (true) or unsubscribe (false)
  bool null_name = false;  ///< confirmation without a name ("unsubscribe" from nothing)
  std::string_view name;   ///< confirmation: the channel or pattern
  std::string_view channel;
  std::string_view pattern;
  std::string_view payload;
  std::string_view text;  ///< error
};

/// Classifies one frame. The views point into the Reply.
PubSubFrame read_pubsub_frame(ReplyView v) noexcept;

/// The command of a kind: SUBSCRIBE/UNSUBSCRIBE, PSUBSCRIBE/PUNSUBSCRIBE, SSUBSCRIBE/SUNSUBSCRIBE.
std::string_view pubsub_command(SubscriptionKind kind, bool subscribe) noexcept;

}  // namespace redwire::detail
