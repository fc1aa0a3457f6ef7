// The flat owning Reply, its views, and ReplyBuilder (which drops attributes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "redwire/resp/reply.hpp"
#include "resp_test_support.hpp"

namespace redwire::test {
namespace {

using namespace std::string_literals;
using resp::Reply;
using resp::ReplyView;
using resp::Type;

std::vector<std::string> values_of(ReplyView v) {
  std::vector<std::string> out;
  for (ReplyView child : v) out.emplace_back(child.value());
  return out;
}

TEST(Reply, ScalarsKeepTheirTypeAndPayload) {
  struct Case {
    std::string wire;
    Type type;
    std::string value;
  };
  const std::vector<Case> cases{
      {"+OK\r\n", Type::simple_string, "OK"},
      {"-ERR bad\r\n", Type::simple_error, "ERR bad"},
      {":-7\r\n", Type::integer, "-7"},
      {"$3\r\nbar\r\n", Type::bulk_string, "bar"},
      {"$4\r\n\0\r\n\xff\r\n"s, Type::bulk_string, "\0\r\n\xff"s},
      {"!5\r\nERR x\r\n", Type::blob_error, "ERR x"},
      {"$-1\r\n", Type::null, ""},
      {"*-1\r\n", Type::null, ""},
      {"_\r\n", Type::null, ""},
      {",1e400\r\n", Type::double_type, "1e400"},
      {"#f\r\n", Type::boolean, "f"},
      {"(123456789012345678901234567890\r\n", Type::big_number, "123456789012345678901234567890"},
      {"=8\r\ntxt:abcd\r\n", Type::verbatim_string, "txt:abcd"},
  };
  for (const auto& c : cases) {
    const Reply r = reply_of(c.wire);
    ASSERT_FALSE(r.empty()) << c.wire;
    EXPECT_EQ(r.type(), c.type) << c.wire;
    EXPECT_EQ(r.value(), c.value) << c.wire;
    EXPECT_EQ(r.node_count(), 1u);
    EXPECT_EQ(r.view().size(), 0u);
    EXPECT_EQ(r.view().child_count(), 0u);
    EXPECT_EQ(r.view().begin(), r.view().end());
  }
}

TEST(Reply, ErrorAndNullPredicates) {
  EXPECT_TRUE(reply_of("-ERR x\r\n").is_error());
  EXPECT_TRUE(reply_of("!1\r\nE\r\n").is_error());
  EXPECT_FALSE(reply_of("+ERR\r\n").is_error());
  EXPECT_TRUE(reply_of("_\r\n").is_null());
  EXPECT_TRUE(reply_of("$-1\r\n").is_null());
  EXPECT_FALSE(reply_of("$0\r\n\r\n").is_null());
  EXPECT_FALSE(Reply{}.is_error());
  EXPECT_FALSE(Reply{}.is_null());
  EXPECT_TRUE(Reply{}.empty());
}

TEST(Reply, ArrayChildrenByIndexAndByIteration) {
  const Reply r = reply_of("*3\r\n$1\r\na\r\n:2\r\n_\r\n");
  EXPECT_EQ(r.type(), Type::array);
  EXPECT_EQ(r.view().size(), 3u);
  EXPECT_EQ(r.view().child_count(), 3u);
  EXPECT_EQ(r.view()[0].value(), "a");
  EXPECT_EQ(r.view()[1].type(), Type::integer);
  EXPECT_TRUE(r.view()[2].is_null());
  EXPECT_EQ(values_of(r.view()), (std::vector<std::string>{"a", "2", ""}));
  EXPECT_EQ(std::distance(r.view().begin(), r.view().end()), 3);
}

TEST(Reply, NestedSubtreesAreSkippedWhenWalkingSiblings) {
  // [[1, 2], [3, [4, 5]], 6, []]
  const Reply r = reply_of("*4\r\n*2\r\n:1\r\n:2\r\n*2\r\n:3\r\n*2\r\n:4\r\n:5\r\n:6\r\n*0\r\n");
  const ReplyView v = r.view();
  ASSERT_EQ(v.child_count(), 4u);
  EXPECT_EQ(values_of(v[0]), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(v[1][0].value(), "3");
  EXPECT_EQ(values_of(v[1][1]), (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(v[2].value(), "6");
  EXPECT_EQ(v[3].type(), Type::array);
  EXPECT_EQ(v[3].child_count(), 0u);
  EXPECT_EQ(v[3].begin(), v[3].end());
  EXPECT_EQ(r.node_count(), 11u);
}

TEST(Reply, MapChildrenAlternateKeysAndValues) {
  const Reply r = reply_of("%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n:2\r\n:3\r\n");
  EXPECT_EQ(r.type(), Type::map);
  EXPECT_EQ(r.view().size(), 2u);
  EXPECT_EQ(r.view().child_count(), 4u);
  EXPECT_EQ(r.view()[0].value(), "a");
  EXPECT_EQ(r.view()[1].value(), "1");
  EXPECT_EQ(r.view()[2].value(), "b");
  EXPECT_EQ(values_of(r.view()[3]), (std::vector<std::string>{"2", "3"}));
}

TEST(Reply, SetAndPushAreAggregates) {
  const Reply set = reply_of("~2\r\n+x\r\n+y\r\n");
  EXPECT_EQ(set.type(), Type::set);
  EXPECT_TRUE(set.view().is_aggregate());
  EXPECT_EQ(values_of(set.view()), (std::vector<std::string>{"x", "y"}));
  const Reply push = reply_of(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
  EXPECT_EQ(push.type(), Type::push);
  EXPECT_EQ(values_of(push.view()), (std::vector<std::string>{"message", "ch", "hi"}));
}

TEST(Reply, EmptyAggregatesOfEveryKind) {
  for (const char* wire : {"*0\r\n", "%0\r\n", "~0\r\n", ">0\r\n"}) {
    const Reply r = reply_of(wire);
    ASSERT_FALSE(r.empty()) << wire;
    EXPECT_TRUE(r.view().is_aggregate()) << wire;
    EXPECT_EQ(r.view().child_count(), 0u) << wire;
    EXPECT_EQ(r.node_count(), 1u) << wire;
  }
}

TEST(ReplyBuilder, SkipsAnAttributeBeforeTheReply) {
  const Reply r = reply_of("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:1\r\n:2\r\n");
  EXPECT_EQ(r.type(), Type::array);
  EXPECT_EQ(r.node_count(), 3u);
  EXPECT_EQ(values_of(r.view()), (std::vector<std::string>{"1", "2"}));
}

TEST(ReplyBuilder, SkipsAnAttributeInsideAnArrayWithoutCountingIt) {
  const Reply r = reply_of("*2\r\n|1\r\n+ttl\r\n*1\r\n:3600\r\n+a\r\n+b\r\n");
  EXPECT_EQ(r.view().child_count(), 2u);
  EXPECT_EQ(values_of(r.view()), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.node_count(), 3u);
}

TEST(ReplyBuilder, SkipsEmptyAndNestedAttributes) {
  // An empty attribute, then an attribute whose key carries an attribute of its own.
  const Reply r = reply_of("|0\r\n|1\r\n|1\r\n+in\r\n+ner\r\n+k\r\n+v\r\n:5\r\n");
  EXPECT_EQ(r.type(), Type::integer);
  EXPECT_EQ(r.value(), "5");
  EXPECT_EQ(r.node_count(), 1u);
}

TEST(ReplyBuilder, SkipsAnAttributeAfterTheLastElementOfAnArray) {
  const Reply r = reply_of("*2\r\n:1\r\n|1\r\n+k\r\n+v\r\n:2\r\n+next\r\n");
  EXPECT_EQ(values_of(r.view()), (std::vector<std::string>{"1", "2"}));
  const auto all = replies_of("*2\r\n:1\r\n|1\r\n+k\r\n+v\r\n:2\r\n+next\r\n");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].value(), "next");
}

TEST(ReplyBuilder, BuildsConsecutiveRepliesIndependently) {
  const auto all = replies_of("+OK\r\n*2\r\n:1\r\n:2\r\n>2\r\n+p\r\n+q\r\n$-1\r\n");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].value(), "OK");
  EXPECT_EQ(values_of(all[1].view()), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(all[2].type(), Type::push);
  EXPECT_TRUE(all[3].is_null());
  EXPECT_EQ(all[3].node_count(), 1u);
}

TEST(ReplyBuilder, ClearDiscardsAPartialReply) {
  resp::ReplyBuilder b;
  b.add(resp::Node{Type::array, 0, 2, {}});
  b.add(resp::Node{Type::integer, 1, 0, "1"});
  b.clear();
  b.add(resp::Node{Type::simple_string, 0, 0, "fresh"});
  const Reply r = b.take();
  EXPECT_EQ(r.type(), Type::simple_string);
  EXPECT_EQ(r.value(), "fresh");
  EXPECT_EQ(r.node_count(), 1u);
}

TEST(ReplyBuilder, BuildsTheDeepestReplyTheParserAccepts) {
  std::string wire;
  for (int i = 0; i < 512; ++i) wire += "*1\r\n";
  wire += ":7\r\n";
  const Reply r = reply_of(wire);
  ASSERT_EQ(r.node_count(), 513u);
  ReplyView v = r.view();
  for (int i = 0; i < 512; ++i) v = v[0];
  EXPECT_EQ(v.value(), "7");
  EXPECT_NE(r.to_string().find("(integer) 7"), std::string::npos);
}

TEST(Reply, CopyOfASubtreeOwnsItsBytes) {
  Reply copy;
  {
    const Reply r = reply_of("*3\r\n:1\r\n%1\r\n+k\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n:3\r\n");
    copy = Reply::copy_of(r.view()[1]);
  }
  EXPECT_EQ(copy.type(), Type::map);
  EXPECT_EQ(copy.node_count(), 5u);
  EXPECT_EQ(copy.view()[0].value(), "k");
  EXPECT_EQ(values_of(copy.view()[1]), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(Reply::copy_of(copy.view()[1][1]).value(), "y");
}

TEST(Reply, AnEmptyReplyOrDefaultViewReadsAsNullWithoutChildren) {
  const Reply r;
  EXPECT_EQ(r.type(), Type::null);
  EXPECT_EQ(r.value(), "");
  EXPECT_EQ(r.view().child_count(), 0u);
  EXPECT_EQ(r.view().begin(), r.view().end());
  const ReplyView v;
  EXPECT_EQ(v.type(), Type::null);
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.value(), "");
  EXPECT_EQ(v.begin(), v.end());
  // Only attributes, no reply: nothing is built.
  EXPECT_TRUE(replies_of("|1\r\n+k\r\n+v\r\n").empty());
}

TEST(Reply, SimpleMakesAOneNodeReply) {
  const Reply r = Reply::simple(Type::simple_error, "WRONGTYPE nope");
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.value(), "WRONGTYPE nope");
  EXPECT_EQ(r.node_count(), 1u);
}

TEST(ReplyToString, RendersScalarsLikeRedisCli) {
  EXPECT_EQ(reply_of("+OK\r\n").to_string(), "OK");
  EXPECT_EQ(reply_of("-ERR bad\r\n").to_string(), "(error) ERR bad");
  EXPECT_EQ(reply_of("!3\r\nE x\r\n").to_string(), "(error) E x");
  EXPECT_EQ(reply_of(":5\r\n").to_string(), "(integer) 5");
  EXPECT_EQ(reply_of("$3\r\nbar\r\n").to_string(), "\"bar\"");
  EXPECT_EQ(reply_of("_\r\n").to_string(), "(nil)");
  EXPECT_EQ(reply_of(",inf\r\n").to_string(), "(double) inf");
  EXPECT_EQ(reply_of("#t\r\n").to_string(), "(true)");
  EXPECT_EQ(reply_of("#f\r\n").to_string(), "(false)");
  EXPECT_EQ(reply_of("(99\r\n").to_string(), "(big number) 99");
  EXPECT_EQ(reply_of("=7\r\ntxt:abc\r\n").to_string(), "\"abc\"");
  EXPECT_EQ(Reply{}.to_string(), "(empty)");
}

TEST(ReplyToString, EscapesBinaryAndQuotes) {
  EXPECT_EQ(reply_of("$6\r\na\"\\\r\n\xff\r\n").to_string(), R"("a\"\\\x0d\x0a\xff")");
}

TEST(ReplyToString, RendersAggregatesWithIndexes) {
  EXPECT_EQ(reply_of("*2\r\n$1\r\na\r\n:1\r\n").to_string(), "1) \"a\"\n2) (integer) 1");
  EXPECT_EQ(reply_of("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n").to_string(),
            "1# a => (integer) 1\n2# b => (integer) 2");
  EXPECT_EQ(reply_of("*2\r\n*2\r\n:1\r\n:2\r\n:3\r\n").to_string(),
            "1) 1) (integer) 1\n   2) (integer) 2\n2) (integer) 3");
  EXPECT_EQ(reply_of("*1\r\n%1\r\n+k\r\n*2\r\n:1\r\n:2\r\n").to_string(),
            "1) 1# k => 1) (integer) 1\n      2) (integer) 2");
  EXPECT_EQ(reply_of("*0\r\n").to_string(), "(empty array)");
  EXPECT_EQ(reply_of("%0\r\n").to_string(), "(empty map)");
}

}  // namespace
}  // namespace redwire::test
