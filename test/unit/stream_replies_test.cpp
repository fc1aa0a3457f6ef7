// Stream replies in their RESP2 and RESP3 shapes, converted without a server, and the option
// checks of the stream command builders.
#include <gtest/gtest.h>

#include "redwire/streams.hpp"
#include "resp_test_support.hpp"

namespace redwire {
namespace {

using test::reply_of;

template <class T>
T convert(std::string_view bytes, std::error_code* ec_out = nullptr) {
  const auto r = reply_of(bytes);
  T out{};
  std::string detail;
  const auto ec = from_reply(r.view(), out, &detail);
  if (ec_out)
    *ec_out = ec;
  else
    EXPECT_FALSE(ec) << ec.message() << ": " << detail;
  return out;
}

const char* kEntry = "*2\r\n$3\r\n1-1\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n";

TEST(StreamReplies, ReadResultsAsRespTwoArraysAndRespThreeMaps) {
  const std::string resp2 = std::string("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n") + kEntry;
  const std::string resp3 = std::string("%1\r\n$1\r\ns\r\n*1\r\n") + kEntry;
  for (const auto& bytes : {resp2, resp3}) {
    const auto batches = convert<std::vector<StreamBatch>>(bytes);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].stream, "s");
    ASSERT_EQ(batches[0].entries.size(), 1u);
    const StreamEntry& e = batches[0].entries[0];
    EXPECT_EQ(e.id, "1-1");
    EXPECT_EQ(e.fields, (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "2"}}));
    EXPECT_EQ(e.field("b"), std::optional<std::string_view>("2"));
  }
  EXPECT_TRUE(convert<std::vector<StreamBatch>>("*-1\r\n").empty());  // BLOCK timed out
  EXPECT_TRUE(convert<std::vector<StreamBatch>>("_\r\n").empty());
}

TEST(StreamReplies, DeletedPendingEntryKeepsItsId) {
  const auto e = convert<StreamEntry>("*2\r\n$3\r\n1-1\r\n*-1\r\n");
  EXPECT_TRUE(e.deleted);
  EXPECT_EQ(e.id, "1-1");
  EXPECT_TRUE(e.fields.empty());
}

TEST(StreamReplies, PendingSummaryEmptyAndFull) {
  const auto none = convert<PendingSummary>("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
  EXPECT_EQ(none.count, 0);
  EXPECT_EQ(none.smallest_id, std::nullopt);
  EXPECT_TRUE(none.consumers.empty());
  const auto some = convert<PendingSummary>(
      "*4\r\n:3\r\n$3\r\n1-1\r\n$3\r\n1-3\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(some.count, 3);
  EXPECT_EQ(some.greatest_id, std::optional<std::string>("1-3"));
  EXPECT_EQ(some.consumers, (std::vector<std::pair<std::string, long long>>{{"c", 3}}));
}

TEST(StreamReplies, PendingRowsAutoclaimAndGroupCreated) {
  const auto rows =
      convert<std::vector<PendingEntry>>("*1\r\n*4\r\n$3\r\n1-1\r\n$1\r\nc\r\n:1500\r\n:2\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].idle, std::chrono::milliseconds(1500));
  EXPECT_EQ(rows[0].deliveries, 2);

  const auto ac = convert<AutoClaimResult>(std::string("*3\r\n$3\r\n0-0\r\n*1\r\n") + kEntry +
                                           "*1\r\n$3\r\n1-2\r\n");
  EXPECT_EQ(ac.next_start, "0-0");
  EXPECT_EQ(ac.entries.size(), 1u);
  EXPECT_EQ(ac.deleted_ids, std::vector<std::string>{"1-2"});
  const auto ac62 = convert<AutoClaimResult>("*2\r\n$3\r\n0-0\r\n*0\r\n");  // Redis 6.2
  EXPECT_TRUE(ac62.deleted_ids.empty());

  EXPECT_TRUE(convert<GroupCreated>("+OK\r\n"));
  EXPECT_FALSE(convert<GroupCreated>("-BUSYGROUP Consumer Group name already exists\r\n"));
  std::error_code ec;
  convert<GroupCreated>("-WRONGTYPE Operation against a key\r\n", &ec);
  EXPECT_EQ(ec, server_errc::wrongtype);
}

TEST(StreamReplies, InfoInBothShapesSkipsUnknownFields) {
  const std::string fields =
      "$6\r\nlength\r\n:2\r\n$6\r\ngroups\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-2\r\n"
      "$11\r\nfirst-entry\r\n" +
      std::string(kEntry) +
      "$10\r\nlast-entry\r\n$-1\r\n"
      "$9\r\nnew-field\r\n:7\r\n";
  for (const std::string& head : {std::string("*12\r\n"), std::string("%6\r\n")}) {
    const auto info = convert<StreamInfo>(head + fields);
    EXPECT_EQ(info.length, 2);
    EXPECT_EQ(info.groups, 1);
    EXPECT_EQ(info.last_generated_id, "1-2");
    ASSERT_TRUE(info.first_entry.has_value());
    EXPECT_EQ(info.first_entry->id, "1-1");
    EXPECT_FALSE(info.last_entry.has_value());
  }
  const auto groups = convert<std::vector<StreamGroupInfo>>(
      "*1\r\n%3\r\n$4\r\nname\r\n$1\r\ng\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:4\r\n");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].entries_read, std::nullopt);
  EXPECT_EQ(groups[0].lag, std::optional<long long>(4));
}

TEST(StreamCommandBuilders, ConflictsAreRejectedAndArgumentsComeInOrder) {
  const FieldValues fields{{"k", "v"}};
  EXPECT_EQ(detail::xadd_command("s", fields, {.trim = {.maxlen = 1, .minid = "1-0"}}).error(),
            errc::invalid_argument);
  EXPECT_EQ(detail::xadd_command("s", fields, {.trim = {.maxlen = 5, .limit = 10}}).error(),
            errc::invalid_argument);
  EXPECT_EQ(detail::xadd_command("s", {}, {}).error(), errc::invalid_argument);
  const auto add = detail::xadd_command(
      "s", fields, {.nomkstream = true, .trim = {.maxlen = 5, .approximate = true, .limit = 10}});
  std::string expected;
  resp::append_command(expected, "XADD", "s", "NOMKSTREAM", "MAXLEN", "~", "5", "LIMIT", "10", "*",
                       "k", "v");
  EXPECT_EQ(add.payload(), expected);

  const StreamOffsets two{{"a", "0"}, {"b", "$"}};
  const auto read = detail::xreadgroup_command(
      "g", "c", two, {.count = 10, .block = std::chrono::seconds(2), .noack = true});
  expected.clear();
  resp::append_command(expected, "XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "2000",
                       "NOACK", "STREAMS", "a", "b", "0", "$");
  EXPECT_EQ(read.payload(), expected);
  EXPECT_EQ(read.block_timeout(), std::chrono::milliseconds(2000));
  const auto forever = detail::xread_command(two, {.block = std::chrono::milliseconds(0)});
  EXPECT_EQ(forever.block_timeout(), std::chrono::milliseconds(-1));  // BLOCK 0 waits forever
  EXPECT_EQ(detail::xread_command(two, {.count = 0}).error(), errc::invalid_argument);
}

}  // namespace
}  // namespace redwire
