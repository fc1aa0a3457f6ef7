// What a subscribed link receives, classified without a server: RESP3 pushes, RESP2 arrays,
// error replies and PING answers.
#include "redwire/detail/pubsub_frames.hpp"

#include <gtest/gtest.h>

#include "resp_test_support.hpp"

namespace redwire::detail {
namespace {

using Type = PubSubFrame::Type;
using test::reply_of;
using namespace std::string_literals;

PubSubFrame frame_of(const resp::Reply& r) {
  return read_pubsub_frame(r.view());
}

TEST(PubSubFrames, MessagesInRespThreePushesAndRespTwoArrays) {
  for (const char* head : {">", "*"}) {
    const auto msg =
        reply_of(std::string(head) + "3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\na\0b\r\n"s);
    const PubSubFrame m = frame_of(msg);
    EXPECT_EQ(m.type, Type::message);
    EXPECT_EQ(m.kind, SubscriptionKind::channel);
    EXPECT_EQ(m.channel, "ch");
    EXPECT_EQ(m.payload, std::string_view("a\0b", 3));

    const auto pmsg =
        reply_of(std::string(head) + "4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$1\r\nx\r\n");
    const PubSubFrame p = frame_of(pmsg);
    EXPECT_EQ(p.type, Type::message);
    EXPECT_EQ(p.kind, SubscriptionKind::pattern);
    EXPECT_EQ(p.pattern, "c*");
    EXPECT_EQ(p.channel, "ch");
    EXPECT_EQ(p.payload, "x");

    const auto smsg = reply_of(std::string(head) + "3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\ny\r\n");
    EXPECT_EQ(frame_of(smsg).kind, SubscriptionKind::shard_channel);
  }
}

TEST(PubSubFrames, ConfirmationsOfEveryKind) {
  struct Case {
    const char* word;
    SubscriptionKind kind;
    bool subscribe;
  };
  const Case cases[] = {{"subscribe", SubscriptionKind::channel, true},
                        {"unsubscribe", SubscriptionKind::channel, false},
                        {"psubscribe", SubscriptionKind::pattern, true},
                        {"punsubscribe", SubscriptionKind::pattern, false},
                        {"ssubscribe", SubscriptionKind::shard_channel, true},
                        {"sunsubscribe", SubscriptionKind::shard_channel, false}};
  for (const Case& c : cases) {
    const std::string word = c.word;
    const auto r = reply_of(">3\r\n$" + std::to_string(word.size()) + "\r\n" + word +
                            "\r\n$4\r\nname\r\n:1\r\n");
    const PubSubFrame f = frame_of(r);
    EXPECT_EQ(f.type, Type::confirmation) << word;
    EXPECT_EQ(f.kind, c.kind) << word;
    EXPECT_EQ(f.subscribe, c.subscribe) << word;
    EXPECT_EQ(f.name, "name") << word;
  }
  // UNSUBSCRIBE with nothing subscribed names no channel (RESP2 nil, RESP3 null).
  EXPECT_TRUE(frame_of(reply_of("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n")).null_name);
  EXPECT_TRUE(frame_of(reply_of(">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n")).null_name);
}

TEST(PubSubFrames, ErrorsPongsAndAnythingElse) {
  const auto err = reply_of("-NOPERM this user has no permissions\r\n");
  EXPECT_EQ(frame_of(err).type, Type::error);
  EXPECT_EQ(frame_of(err).text, "NOPERM this user has no permissions");
  EXPECT_EQ(frame_of(reply_of("*2\r\n$4\r\npong\r\n$0\r\n\r\n")).type, Type::pong);
  EXPECT_EQ(frame_of(reply_of("+PONG\r\n")).type, Type::pong);
  // Client-side caching invalidations and malformed frames are not pub/sub.
  EXPECT_EQ(frame_of(reply_of(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n")).type, Type::other);
  EXPECT_EQ(frame_of(reply_of(">2\r\n$7\r\nmessage\r\n$2\r\nch\r\n")).type, Type::other);
  EXPECT_EQ(frame_of(reply_of(":1\r\n")).type, Type::other);
}

TEST(PubSubFrames, CommandNames) {
  EXPECT_EQ(pubsub_command(SubscriptionKind::channel, true), "SUBSCRIBE");
  EXPECT_EQ(pubsub_command(SubscriptionKind::pattern, false), "PUNSUBSCRIBE");
  EXPECT_EQ(pubsub_command(SubscriptionKind::shard_channel, true), "SSUBSCRIBE");
}

}  // namespace
}  // namespace redwire::detail
