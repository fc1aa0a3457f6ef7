#include "redwire/detail/pubsub_frames.hpp"

#include <array>

namespace redwire::detail {
namespace {

struct KindName {
  std::string_view word;
  SubscriptionKind kind;
  bool subscribe;
};

constexpr std::array kConfirmations{
    KindName{"subscribe", SubscriptionKind::channel, true},
    KindName{"unsubscribe", SubscriptionKind::channel, false},
    KindName{"psubscribe", SubscriptionKind::pattern, true},
    KindName{"punsubscribe", SubscriptionKind::pattern, false},
    KindName{"ssubscribe", SubscriptionKind::shard_channel, true},
    KindName{"sunsubscribe", SubscriptionKind::shard_channel, false},
};

bool is_text(ReplyView v) noexcept {
  return v.type() == resp::Type::bulk_string || v.type() == resp::Type::simple_string ||
         v.type() == resp::Type::verbatim_string;
}

}  // namespace

PubSubFrame read_pubsub_frame(ReplyView v) noexcept {
  PubSubFrame f;
  if (v.is_error()) {
    f.type = PubSubFrame::Type::error;
    f.text = v.value();
    return f;
  }
  if (is_text(v)) {  // RESP3 PING answers "+PONG"
    if (v.value() == "PONG") f.type = PubSubFrame::Type::pong;
    return f;
  }
  if (v.type() != resp::Type::push && v.type() != resp::Type::array) return f;
  const std::size_t n = v.child_count();
  if (n < 2 || !is_text(v[0])) return f;
  const std::string_view word = v[0].value();
  if (word == "message" || word == "smessage") {
    if (n != 3 || !is_text(v[1]) || !is_text(v[2])) return f;
    f.type = PubSubFrame::Type::message;
    f.kind = word == "message" ? SubscriptionKind::channel : SubscriptionKind::shard_channel;
    f.channel = v[1].value();
    f.payload = v[2].value();
    return f;
  }
  if (word == "pmessage") {
    if (n != 4 || !is_text(v[1]) || !is_text(v[2]) || !is_text(v[3])) return f;
    f.type = PubSubFrame::Type::message;
    f.kind = SubscriptionKind::pattern;
    f.pattern = v[1].value();
    f.channel = v[2].value();
    f.payload = v[3].value();
    return f;
  }
  if (word == "pong") {
    f.type = PubSubFrame::Type::pong;
    return f;
  }
  for (const KindName& k : kConfirmations) {
    if (word != k.word) continue;
    if (n != 3) return f;
    f.type = PubSubFrame::Type::confirmation;
    f.kind = k.kind;
    f.subscribe = k.subscribe;
    if (v[1].is_null()) {
      f.null_name = true;
    } else if (is_text(v[1])) {
      f.name = v[1].value();
    } else {
      f.type = PubSubFrame::Type::other;
    }
    return f;
  }
  return f;
}

std::string_view pubsub_command(SubscriptionKind kind, bool subscribe) noexcept {
  switch (kind) {
    case SubscriptionKind::channel:
      return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
    case SubscriptionKind::pattern:
      return subscribe ? "PSUBSCRIBE" : "PUNSUBSCRIBE";
    case SubscriptionKind::shard_channel:
      return subscribe ? "SSUBSCRIBE" : "SUNSUBSCRIBE";
  }
  return "SUBSCRIBE";
}

}  // namespace redwire::detail
