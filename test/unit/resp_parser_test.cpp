// Fixed vectors for every RESP2/RESP3 type, and the split-feeding property: any cut of the input
// into chunks yields the same node sequence as one-shot parsing. Hostile inputs and limits are in
// resp_parser_limits_test.cpp.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "redwire/resp/parser.hpp"
#include "resp_test_support.hpp"

namespace redwire::test {
namespace {

using namespace std::string_literals;
using resp::Type;

SeenNode leaf(Type t, std::string v, std::uint32_t depth = 0, bool done = true) {
  return SeenNode{t, depth, 0, std::move(v), done};
}
SeenNode agg(Type t, std::uint64_t size, std::uint32_t depth = 0, bool done = false) {
  return SeenNode{t, depth, size, "", done};
}

// Parses one shot and byte by byte; both must consume everything and see exactly `expected`.
void expect_nodes(std::string_view input, const std::vector<SeenNode>& expected) {
  SCOPED_TRACE(testing::Message() << "input: " << testing::PrintToString(std::string(input)));
  const ParseRun one = parse_one_shot(input);
  EXPECT_FALSE(one.ec) << one.detail;
  EXPECT_EQ(one.consumed, input.size());
  EXPECT_EQ(one.leftover, 0u);
  EXPECT_EQ(one.nodes, expected);
  EXPECT_EQ(parse_byte_by_byte(input), one);
}

TEST(RespParserVectors, SimpleStringAndEmptySimpleString) {
  expect_nodes("+OK\r\n", {leaf(Type::simple_string, "OK")});
  expect_nodes("+\r\n", {leaf(Type::simple_string, "")});
}

TEST(RespParserVectors, SimpleErrorKeepsTheWholeLine) {
  expect_nodes("-WRONGTYPE Operation against a key\r\n",
               {leaf(Type::simple_error, "WRONGTYPE Operation against a key")});
}

TEST(RespParserVectors, IntegersIncludingBothInt64Extremes) {
  expect_nodes(":0\r\n", {leaf(Type::integer, "0")});
  expect_nodes(":-42\r\n", {leaf(Type::integer, "-42")});
  expect_nodes(":+7\r\n", {leaf(Type::integer, "+7")});  // the spec allows an explicit '+'
  expect_nodes(":9223372036854775807\r\n", {leaf(Type::integer, "9223372036854775807")});
  expect_nodes(":-9223372036854775808\r\n", {leaf(Type::integer, "-9223372036854775808")});
}

TEST(RespParserVectors, BulkStringsAreBinarySafe) {
  expect_nodes("$3\r\nbar\r\n", {leaf(Type::bulk_string, "bar")});
  expect_nodes("$0\r\n\r\n", {leaf(Type::bulk_string, "")});
  expect_nodes("$7\r\na\r\nb\0c\n\r\n"s, {leaf(Type::bulk_string, "a\r\nb\0c\n"s)});
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  expect_nodes("$256\r\n" + all_bytes + "\r\n", {leaf(Type::bulk_string, all_bytes)});
}

TEST(RespParserVectors, BothResp2NullsAndResp3NullAreNull) {
  expect_nodes("$-1\r\n", {leaf(Type::null, "")});
  expect_nodes("*-1\r\n", {leaf(Type::null, "")});
  expect_nodes("_\r\n", {leaf(Type::null, "")});
}

TEST(RespParserVectors, DoublesIncludingInfinitiesNanAndOutOfRangeExponents) {
  for (const char* d : {"3.14", "-1.5", "10", "0", ".5", "1.", "1e400", "-1e400", "1E-5", "inf",
                        "-inf", "+inf", "nan", "-nan", "1.23e+10"}) {
    expect_nodes(","s + d + "\r\n", {leaf(Type::double_type, d)});
  }
}

TEST(RespParserVectors, BooleansTrueAndFalse) {
  expect_nodes("#t\r\n", {leaf(Type::boolean, "t")});
  expect_nodes("#f\r\n", {leaf(Type::boolean, "f")});
}

TEST(RespParserVectors, BigNumbersPositiveAndNegative) {
  expect_nodes("(3492890328409238509324850943850943825024385\r\n",
               {leaf(Type::big_number, "3492890328409238509324850943850943825024385")});
  expect_nodes("(-3492890328409238509324850943850943825024385\r\n",
               {leaf(Type::big_number, "-3492890328409238509324850943850943825024385")});
}

TEST(RespParserVectors, VerbatimStringKeepsItsFormatPrefix) {
  expect_nodes("=15\r\ntxt:Some string\r\n", {leaf(Type::verbatim_string, "txt:Some string")});
  expect_nodes("=4\r\nmkd:\r\n", {leaf(Type::verbatim_string, "mkd:")});
}

TEST(RespParserVectors, BlobErrorIsBinarySafe) {
  expect_nodes("!21\r\nSYNTAX invalid syntax\r\n",
               {leaf(Type::blob_error, "SYNTAX invalid syntax")});
  expect_nodes("!4\r\nE\r\nX\r\n", {leaf(Type::blob_error, "E\r\nX")});
}

TEST(RespParserVectors, ArrayOfMixedElements) {
  expect_nodes("*3\r\n$3\r\nfoo\r\n:1\r\n$-1\r\n",
               {agg(Type::array, 3), leaf(Type::bulk_string, "foo", 1, false),
                leaf(Type::integer, "1", 1, false), leaf(Type::null, "", 1, true)});
}

TEST(RespParserVectors, MapCountsPairsAndEmitsKeysAndValues) {
  expect_nodes("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n",
               {agg(Type::map, 2), leaf(Type::simple_string, "first", 1, false),
                leaf(Type::integer, "1", 1, false), leaf(Type::simple_string, "second", 1, false),
                leaf(Type::integer, "2", 1, true)});
}

TEST(RespParserVectors, SetOfScalars) {
  expect_nodes("~3\r\n+a\r\n:1\r\n#t\r\n",
               {agg(Type::set, 3), leaf(Type::simple_string, "a", 1, false),
                leaf(Type::integer, "1", 1, false), leaf(Type::boolean, "t", 1, true)});
}

TEST(RespParserVectors, AttributeIsEmittedButDoesNotCompleteTheReply) {
  // The example from the RESP3 specification: an attribute, then the reply it describes.
  expect_nodes(
      "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
      "*2\r\n:2039123\r\n:9543892\r\n",
      {agg(Type::attribute, 1), leaf(Type::simple_string, "key-popularity", 1, false),
       agg(Type::map, 2, 1), leaf(Type::bulk_string, "a", 2, false),
       leaf(Type::double_type, "0.1923", 2, false), leaf(Type::bulk_string, "b", 2, false),
       leaf(Type::double_type, "0.0012", 2, false), agg(Type::array, 2),
       leaf(Type::integer, "2039123", 1, false), leaf(Type::integer, "9543892", 1, true)});
}

TEST(RespParserVectors, AttributeInsideAnArrayDoesNotCountAsAnElement) {
  expect_nodes("*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n",
               {agg(Type::array, 2), agg(Type::attribute, 1, 1),
                leaf(Type::simple_string, "ttl", 2, false), leaf(Type::integer, "3600", 2, false),
                leaf(Type::simple_string, "a", 1, false), leaf(Type::simple_string, "b", 1, true)});
}

TEST(RespParserVectors, PushIsATopLevelMessage) {
  expect_nodes(
      ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
      {agg(Type::push, 3), leaf(Type::bulk_string, "message", 1, false),
       leaf(Type::bulk_string, "ch", 1, false), leaf(Type::bulk_string, "hello", 1, true)});
}

TEST(RespParserVectors, NestedAggregatesReportDepthAndCloseTogether) {
  expect_nodes("*2\r\n*1\r\n%1\r\n+k\r\n~1\r\n:1\r\n:2\r\n",
               {agg(Type::array, 2), agg(Type::array, 1, 1), agg(Type::map, 1, 2),
                leaf(Type::simple_string, "k", 3, false), agg(Type::set, 1, 3),
                leaf(Type::integer, "1", 4, false), leaf(Type::integer, "2", 1, true)});
}

TEST(RespParserVectors, EmptyAggregatesCompleteAtOnceExceptAttributes) {
  expect_nodes("*0\r\n", {agg(Type::array, 0, 0, true)});
  expect_nodes("%0\r\n", {agg(Type::map, 0, 0, true)});
  expect_nodes("~0\r\n", {agg(Type::set, 0, 0, true)});
  expect_nodes(">0\r\n", {agg(Type::push, 0, 0, true)});
  expect_nodes("|0\r\n", {agg(Type::attribute, 0, 0, false)});
  expect_nodes("*2\r\n*0\r\n%0\r\n",
               {agg(Type::array, 2), agg(Type::array, 0, 1), agg(Type::map, 0, 1, true)});
}

TEST(RespParserVectors, PipelinedRepliesWithAPushBetweenThem) {
  expect_nodes("+OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n:5\r\n",
               {leaf(Type::simple_string, "OK"), agg(Type::push, 2),
                leaf(Type::bulk_string, "invalidate", 1, false), agg(Type::array, 1, 1),
                leaf(Type::bulk_string, "k", 2, true), leaf(Type::integer, "5")});
}

TEST(RespParserIncremental, LeavesAnIncompleteNodeUnconsumed) {
  resp::Parser p;
  std::error_code ec;
  int nodes = 0;
  auto count = [&](const resp::Node&, bool) { ++nodes; };
  EXPECT_EQ(p.feed("+OK\r\n$5\r\nhel", count, ec), 5u);
  EXPECT_FALSE(ec);
  EXPECT_EQ(nodes, 1);
  EXPECT_EQ(p.feed("$5\r\nhello\r", count, ec), 0u);  // payload there, final LF missing
  EXPECT_EQ(p.feed("$5\r\nhello\r\n", count, ec), 11u);
  EXPECT_EQ(nodes, 2);
  EXPECT_EQ(p.offset(), 16u);
  EXPECT_EQ(p.feed("", count, ec), 0u);
}

TEST(RespParserIncremental, AtBoundaryOnlyBetweenMessages) {
  resp::Parser p;
  std::error_code ec;
  auto ignore = [](const resp::Node&, bool) {};
  EXPECT_TRUE(p.at_boundary());
  EXPECT_EQ(p.feed("*2\r\n:1\r\n", ignore, ec), 8u);
  EXPECT_FALSE(p.at_boundary());
  EXPECT_EQ(p.feed(":2\r\n", ignore, ec), 4u);
  EXPECT_TRUE(p.at_boundary());
}

TEST(RespParserIncremental, ResetAfterAnErrorStartsAFreshStream) {
  resp::Parser p;
  std::error_code ec;
  int done = 0;
  auto sink = [&](const resp::Node&, bool d) { done += d; };
  p.feed("*2\r\n:1\r\n&\r\n", sink, ec);
  ASSERT_EQ(ec, protocol_errc::invalid_type_byte);
  p.reset();
  ec.clear();
  EXPECT_TRUE(p.at_boundary());
  EXPECT_TRUE(p.error_detail().empty());
  EXPECT_EQ(p.feed("+OK\r\n", sink, ec), 5u);
  EXPECT_FALSE(ec);
  EXPECT_EQ(done, 1);
  EXPECT_EQ(p.offset(), 5u);
}

// Every vector above, pipelined into one stream.
std::string all_types_stream() {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  return "+OK\r\n-ERR x\r\n:-42\r\n$3\r\nbar\r\n$0\r\n\r\n$256\r\n" + all_bytes +
         "\r\n$-1\r\n*-1\r\n_\r\n,3.14\r\n,inf\r\n,-inf\r\n,nan\r\n,1e400\r\n#t\r\n#f\r\n"
         "(12345678901234567890123\r\n=15\r\ntxt:Some string\r\n!4\r\nE\r\nX\r\n"
         "*3\r\n$3\r\nfoo\r\n:1\r\n$-1\r\n%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n~2\r\n+a\r\n+b\r\n"
         "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n"
         ">2\r\n+message\r\n+hi\r\n*2\r\n*1\r\n%1\r\n+k\r\n~1\r\n:1\r\n:2\r\n"
         "*0\r\n%0\r\n~0\r\n>0\r\n|0\r\n+after-empty-attribute\r\n"
         "*2\r\n|1\r\n+ttl\r\n:3600\r\n+a\r\n+b\r\n";
}

TEST(RespParserSplitting, OneShotEqualsByteByByteEqualsRandomSplits) {
  const std::string stream = all_types_stream();
  const ParseRun one = parse_one_shot(stream);
  ASSERT_FALSE(one.ec) << one.detail;
  ASSERT_EQ(one.consumed, stream.size());
  ASSERT_GT(one.nodes.size(), 60u);
  EXPECT_EQ(parse_byte_by_byte(stream), one);

  std::mt19937 rng(20240607);
  for (int trial = 0; trial < 300; ++trial) {
    std::uniform_int_distribution<std::size_t> len(0, trial % 3 == 0 ? 4 : 64);
    std::vector<std::size_t> chunks;
    for (std::size_t total = 0; total < stream.size();) {
      chunks.push_back(len(rng));
      total += chunks.back();
    }
    ASSERT_EQ(parse_chunked(stream, chunks), one) << "trial " << trial;
  }
}

TEST(RespParserSplitting, EveryTwoWayCutOfTheStreamGivesTheSameNodes) {
  const std::string stream = all_types_stream();
  const ParseRun one = parse_one_shot(stream);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    ASSERT_EQ(parse_chunked(stream, {cut}), one) << "cut at " << cut;
  }
}

TEST(RespParserSplitting, ATruncatedStreamKeepsItsTailBufferedInEveryFeedingMode) {
  const std::string stream = all_types_stream();
  for (std::size_t cut : {stream.size() - 1, stream.size() / 2, std::size_t{3}}) {
    const std::string part = stream.substr(0, cut);
    const ParseRun one = parse_one_shot(part);
    EXPECT_FALSE(one.ec);
    EXPECT_EQ(one.consumed + one.leftover, part.size());
    EXPECT_GT(one.leftover, 0u);
    EXPECT_EQ(parse_byte_by_byte(part), one);
  }
}

TEST(RespParserSplitting, ErrorsAreTheSameWhateverTheSplit) {
  for (std::string bad : {"+OK\r\n$3\r\nfooXY"s, "*2\r\n:1\r\n&\r\n"s, "+OK\n"s, ":12a\r\n"s,
                          "*1\r\n$-5\r\n"s, "=3\r\ntxt\r\n"s, ",1.2.3\r\n"s, "HTTP/1.1 400"s}) {
    const ParseRun one = parse_one_shot(bad);
    ASSERT_TRUE(one.ec) << bad;
    EXPECT_EQ(parse_byte_by_byte(bad), one) << bad;
    for (std::size_t cut = 0; cut <= bad.size(); ++cut) {
      EXPECT_EQ(parse_chunked(bad, {cut}), one) << bad << " cut at " << cut;
    }
  }
}

}  // namespace
}  // namespace redwire::test
