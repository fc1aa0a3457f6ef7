// Merging the replies of split and fanned-out commands.
#include "redwire/cluster/reply_merge.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "resp_test_support.hpp"

namespace redwire::cluster {
namespace {

using redwire::test::reply_of;

TEST(MergeReplies, MgetPutsEachValueBackInKeyOrder) {
  const std::vector<Reply> parts{reply_of("*2\r\n$1\r\nA\r\n$1\r\nC\r\n"),
                                 reply_of("*2\r\n$1\r\nB\r\n_\r\n")};
  const std::vector<std::vector<std::size_t>> positions{{0, 2}, {1, 3}};
  const Reply r = merge_replies(MergeKind::mget, parts, positions, 4);
  EXPECT_EQ(r.to_string(), reply_of("*4\r\n$1\r\nA\r\n$1\r\nB\r\n$1\r\nC\r\n_\r\n").to_string());
}

TEST(MergeReplies, CountsAddUp) {
  const std::vector<Reply> parts{reply_of(":2\r\n"), reply_of(":0\r\n"), reply_of(":5\r\n")};
  const Reply r = merge_replies(MergeKind::sum, parts);
  EXPECT_EQ(r.type(), resp::Type::integer);
  EXPECT_EQ(r.value(), "7");
}

TEST(MergeReplies, ConcatAppendsArraysAndKeepsNestedValues) {
  const std::vector<Reply> parts{reply_of("*1\r\n$1\r\nx\r\n"), reply_of("*0\r\n"),
                                 reply_of("*2\r\n*1\r\n:1\r\n%1\r\n$1\r\nk\r\n$1\r\nv\r\n")};
  const Reply r = merge_replies(MergeKind::concat, parts);
  EXPECT_EQ(r.view().size(), 3u);
  EXPECT_EQ(r.to_string(),
            reply_of("*3\r\n$1\r\nx\r\n*1\r\n:1\r\n%1\r\n$1\r\nk\r\n$1\r\nv\r\n").to_string());
}

TEST(MergeReplies, TheFirstErrorReplyWins) {
  const std::vector<Reply> parts{reply_of("+OK\r\n"), reply_of("-OOM command not allowed\r\n"),
                                 reply_of("-ERR other\r\n")};
  const Reply r = merge_replies(MergeKind::all_ok, parts);
  EXPECT_TRUE(r.is_error());
  EXPECT_EQ(r.value(), "OOM command not allowed");
}

TEST(MergeReplies, AllOkAnswersWithTheFirstReply) {
  const std::vector<Reply> parts{reply_of("+OK\r\n"), reply_of("+OK\r\n")};
  EXPECT_EQ(merge_replies(MergeKind::all_ok, parts).value(), "OK");
}

TEST(MergeReplies, AWronglyShapedPartIsAnErrorThatSaysWhich) {
  const std::vector<Reply> parts{reply_of(":1\r\n"), reply_of("+OK\r\n")};
  const Reply r = merge_replies(MergeKind::sum, parts);
  ASSERT_TRUE(r.is_error());
  EXPECT_NE(r.value().find("part 1"), std::string_view::npos) << r.value();
  const std::vector<Reply> short_part{reply_of("*1\r\n$1\r\nA\r\n")};
  const std::vector<std::vector<std::size_t>> positions{{0, 1}};
  EXPECT_TRUE(merge_replies(MergeKind::mget, short_part, positions, 2).is_error());
}

}  // namespace
}  // namespace redwire::cluster
