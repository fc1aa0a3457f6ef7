// Hostile and malformed input: every violation gives its protocol_errc and an error_detail that
// names the byte offset of the fault, whether the bytes arrive at once or one by one.
#include <gtest/gtest.h>

#include <string>

#include "redwire/resp/parser.hpp"
#include "resp_test_support.hpp"

namespace redwire::test {
namespace {

using namespace std::string_literals;

std::string at_byte(std::uint64_t offset) {
  return "at byte " + std::to_string(offset) + ":";
}

// The input must fail with `e`, at `offset`, with the same outcome one shot and byte by byte.
ParseRun expect_error(const std::string& input, protocol_errc e, std::uint64_t offset,
                      resp::Limits limits = {}) {
  SCOPED_TRACE(testing::Message() << "input: " << testing::PrintToString(input.substr(0, 80)));
  const ParseRun one = parse_one_shot(input, limits);
  EXPECT_EQ(one.ec, e) << one.ec.message() << " / " << one.detail;
  EXPECT_NE(one.detail.find(at_byte(offset)), std::string::npos) << one.detail;
  EXPECT_EQ(parse_byte_by_byte(input, limits), one);
  return one;
}

std::string nested_arrays(int depth, const std::string& innermost) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "*1\r\n";
  return s + innermost;
}

TEST(RespParserLimits, AcceptsDepth511And512WithMaxDepth512) {
  resp::Limits limits;
  limits.max_depth = 512;
  for (int depth : {511, 512}) {
    const ParseRun run = parse_one_shot(nested_arrays(depth, ":1\r\n"), limits);
    EXPECT_FALSE(run.ec) << run.detail;
    ASSERT_EQ(run.nodes.size(), static_cast<std::size_t>(depth) + 1);
    EXPECT_EQ(run.nodes.back().depth, static_cast<std::uint32_t>(depth));
    EXPECT_TRUE(run.nodes.back().reply_done);
  }
}

TEST(RespParserLimits, RejectsDepth513WithMaxDepth512AtTheOffendingHeader) {
  resp::Limits limits;
  limits.max_depth = 512;
  const ParseRun run =
      expect_error(nested_arrays(513, ":1\r\n"), protocol_errc::depth_exceeded, 512 * 4, limits);
  EXPECT_EQ(run.nodes.size(), 512u);
  EXPECT_NE(run.detail.find("deeper than 512"), std::string::npos);
}

TEST(RespParserLimits, CountsAnEmptyInnermostAggregateTowardsDepth) {
  resp::Limits limits;
  limits.max_depth = 512;
  EXPECT_FALSE(parse_one_shot(nested_arrays(511, "*0\r\n"), limits).ec);
  expect_error(nested_arrays(512, "%0\r\n"), protocol_errc::depth_exceeded, 512 * 4, limits);
}

TEST(RespParserLimits, AttributesAndMapsCountTowardsDepth) {
  resp::Limits limits;
  limits.max_depth = 2;
  EXPECT_FALSE(parse_one_shot("%1\r\n+k\r\n*1\r\n:1\r\n", limits).ec);
  expect_error("|1\r\n+k\r\n%1\r\n+a\r\n*1\r\n:1\r\n", protocol_errc::depth_exceeded, 16, limits);
}

TEST(RespParserLimits, RejectsBulkOverLimitBeforeItsBytesArrive) {
  resp::Limits limits;
  limits.max_bulk = 1024;
  // Only the header is fed: the parser must not wait for (or reserve) 1025 bytes.
  const ParseRun run = expect_error("$1025\r\n", protocol_errc::bulk_too_large, 1, limits);
  EXPECT_NE(run.detail.find("1025 over the limit of 1024"), std::string::npos) << run.detail;
  // The same holds for verbatim strings and blob errors, and with the default 512 MiB limit.
  expect_error("=1025\r\n", protocol_errc::bulk_too_large, 1, limits);
  expect_error("!1025\r\n", protocol_errc::bulk_too_large, 1, limits);
  expect_error("+OK\r\n$536870913\r\n", protocol_errc::bulk_too_large, 6);
}

TEST(RespParserLimits, BulkExactlyAtTheLimitWaitsForItsBytes) {
  resp::Limits limits;
  limits.max_bulk = 1024;
  const ParseRun head = parse_one_shot("$1024\r\n", limits);
  EXPECT_FALSE(head.ec);
  EXPECT_EQ(head.consumed, 0u);
  const ParseRun full = parse_one_shot("$1024\r\n" + std::string(1024, 'x') + "\r\n", limits);
  EXPECT_FALSE(full.ec);
  ASSERT_EQ(full.nodes.size(), 1u);
  EXPECT_EQ(full.nodes[0].value.size(), 1024u);
}

TEST(RespParserLimits, RejectsAggregateCountOverTheLimit) {
  resp::Limits limits;
  limits.max_aggregate = 10;
  EXPECT_FALSE(parse_one_shot("*10\r\n", limits).ec);
  expect_error("*11\r\n", protocol_errc::aggregate_too_large, 1, limits);
  expect_error("~11\r\n", protocol_errc::aggregate_too_large, 1, limits);
  expect_error(">11\r\n", protocol_errc::aggregate_too_large, 1, limits);
  expect_error("|11\r\n", protocol_errc::aggregate_too_large, 1, limits);
  // Maps count pairs: 10 pairs (20 children) is within a limit of 10.
  EXPECT_FALSE(parse_one_shot("%10\r\n", limits).ec);
  expect_error("%11\r\n", protocol_errc::aggregate_too_large, 1, limits);
  // Default: 2^32 - 1 elements.
  EXPECT_FALSE(parse_one_shot("*4294967295\r\n").ec);
  expect_error("*4294967296\r\n", protocol_errc::aggregate_too_large, 1);
}

TEST(RespParserLimits, RejectsMapCountTwoToThe62) {
  const ParseRun run =
      expect_error("%4611686018427387904\r\n", protocol_errc::aggregate_too_large, 1);
  EXPECT_NE(run.detail.find("4611686018427387904"), std::string::npos) << run.detail;
}

TEST(RespParserLimits, RejectsNegativeLengthsOtherThanResp2Null) {
  expect_error("$-2\r\n", protocol_errc::invalid_length, 1);
  expect_error("*-2\r\n", protocol_errc::invalid_length, 1);
  expect_error("$-9223372036854775808\r\n", protocol_errc::invalid_length, 1);
  // -1 is a null only for RESP2's '$' and '*'; RESP3 types have '_' for that.
  for (const char* t : {"!", "=", "%", "~", "|", ">"}) {
    expect_error(t + "-1\r\n"s, protocol_errc::invalid_length, 1);
  }
  const ParseRun run = expect_error("*1\r\n$-5\r\n", protocol_errc::invalid_length, 5);
  EXPECT_NE(run.detail.find("negative length -5"), std::string::npos) << run.detail;
}

TEST(RespParserLimits, RejectsLlongMaxLengthsAsTooLarge) {
  expect_error("$9223372036854775807\r\n", protocol_errc::bulk_too_large, 1);
  expect_error("*9223372036854775807\r\n", protocol_errc::aggregate_too_large, 1);
  expect_error("%9223372036854775807\r\n", protocol_errc::aggregate_too_large, 1);
}

TEST(RespParserLimits, RejectsLengthsThatOverflowSixtyFourBits) {
  expect_error("$18446744073709551616\r\n", protocol_errc::invalid_length, 1);  // SIZE_MAX + 1
  expect_error("*18446744073709551616\r\n", protocol_errc::invalid_length, 1);
  expect_error("$18446744073709551615\r\n", protocol_errc::invalid_length, 1);  // SIZE_MAX
  expect_error("$9223372036854775808\r\n", protocol_errc::invalid_length, 1);   // LLONG_MAX + 1
  expect_error(":9223372036854775808\r\n", protocol_errc::invalid_integer, 1);
  expect_error(":-9223372036854775809\r\n", protocol_errc::invalid_integer, 1);
}

TEST(RespParserLimits, RejectsLengthsWithLeadingZerosSignsOrGarbage) {
  for (const char* len : {"03", "00", "+3", "-0", "-01", "3 ", " 3", "0x10", "", "1e3"}) {
    expect_error("$"s + len + "\r\nfoo\r\n", protocol_errc::invalid_length, 1);
    expect_error("*"s + len + "\r\n", protocol_errc::invalid_length, 1);
  }
  expect_error(":007\r\n", protocol_errc::invalid_integer, 1);
  expect_error(":\r\n", protocol_errc::invalid_integer, 1);
  expect_error(":-\r\n", protocol_errc::invalid_integer, 1);
}

TEST(RespParserLimits, RejectsLfOnlyLineEndings) {
  expect_error("+OK\n", protocol_errc::missing_crlf, 3);
  expect_error("+OK\r\n:1\n", protocol_errc::missing_crlf, 7);
  expect_error("$3\nfoo\n", protocol_errc::missing_crlf, 2);
  expect_error("\r\n", protocol_errc::invalid_type_byte, 0);
  // The bulk payload must be followed by CRLF exactly.
  expect_error("$3\r\nfoo\n\n", protocol_errc::missing_crlf, 7);
  expect_error("$3\r\nfooXY", protocol_errc::missing_crlf, 7);
}

TEST(RespParserLimits, RejectsAmpersandTypeByte) {
  const ParseRun run = expect_error("&\r\n", protocol_errc::invalid_type_byte, 0);
  EXPECT_NE(run.detail.find("'&'"), std::string::npos) << run.detail;
  const ParseRun later =
      expect_error("+OK\r\n*2\r\n:1\r\n&\r\n", protocol_errc::invalid_type_byte, 13);
  EXPECT_EQ(later.nodes.size(), 3u);  // what came before the fault was delivered
  expect_error("\x80\r\n", protocol_errc::invalid_type_byte, 0);
  const ParseRun nul = expect_error("\0\r\n"s, protocol_errc::invalid_type_byte, 0);
  EXPECT_NE(nul.detail.find("0x00"), std::string::npos) << nul.detail;
}

TEST(RespParserLimits, RejectsAnHttpResponseAtItsFirstByteWithoutWaitingForCrlf) {
  const ParseRun run = expect_error("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
                                    protocol_errc::invalid_type_byte, 0);
  EXPECT_NE(run.detail.find("'H'"), std::string::npos) << run.detail;
  expect_error("HTTP/1.1 400", protocol_errc::invalid_type_byte, 0);
  expect_error("H", protocol_errc::invalid_type_byte, 0);
}

TEST(RespParserLimits, RejectsMalformedScalars) {
  expect_error("#x\r\n", protocol_errc::invalid_boolean, 1);
  expect_error("#tt\r\n", protocol_errc::invalid_boolean, 1);
  expect_error("_x\r\n", protocol_errc::invalid_null, 1);
  for (const char* d : {"", "abc", "1.2.3", "1e", "e5", ".", "-", "infinity", "1,5", "0x1p3"}) {
    expect_error(","s + d + "\r\n", protocol_errc::invalid_double, 1);
  }
  expect_error("(\r\n", protocol_errc::invalid_integer, 1);
  expect_error("(12a\r\n", protocol_errc::invalid_integer, 1);
  expect_error("(-\r\n", protocol_errc::invalid_integer, 1);
  expect_error("=3\r\ntxt\r\n", protocol_errc::invalid_verbatim, 4);
  expect_error("=5\r\ntxt-x\r\n", protocol_errc::invalid_verbatim, 4);
}

TEST(RespParserLimits, RejectsALineOverTheLimitWhetherOrNotItsCrlfArrived) {
  resp::Limits limits;
  limits.max_line = 8;
  EXPECT_FALSE(parse_one_shot("+12345678\r\n", limits).ec);
  expect_error("+123456789\r\n", protocol_errc::line_too_long, 0, limits);
  expect_error("+OK\r\n+1234567890", protocol_errc::line_too_long, 5, limits);  // no CRLF yet
  // A long line that ends with a bare LF is reported the same way however it is split.
  expect_error("+1234567890\n", protocol_errc::line_too_long, 0, limits);
  expect_error("+123456789\n", protocol_errc::missing_crlf, 10, limits);
  EXPECT_FALSE(parse_one_shot("+1234567\r", limits).ec);  // could still end within the limit
}

TEST(RespParserLimits, HeaderLinesObeyTheLineLimitToo) {
  resp::Limits limits;
  limits.max_line = 2;
  EXPECT_FALSE(parse_one_shot("$10\r\n0123456789\r\n:-1\r\n*99\r\n", limits).ec);
  expect_error("$100\r\n", protocol_errc::line_too_long, 0, limits);
  expect_error(":-10\r\n", protocol_errc::line_too_long, 0, limits);
  expect_error("*100\r\n", protocol_errc::line_too_long, 0, limits);
  expect_error("+abc\r\n", protocol_errc::line_too_long, 0, limits);
}

TEST(RespParserLimits, LongestLengthsAreCheckedLikeShortOnes) {
  // 18 and 19 digits: both over the bulk limit, neither may be taken as a valid header.
  expect_error("$100000000000000000\r\n", protocol_errc::bulk_too_large, 1);
  expect_error("$1000000000000000000\r\n", protocol_errc::bulk_too_large, 1);
  expect_error("*100000000000000000\r\n", protocol_errc::aggregate_too_large, 1);
  const ParseRun ints = parse_one_shot(":999999999999999999\r\n:-999999999999999999\r\n:-0\r\n");
  EXPECT_FALSE(ints.ec) << ints.detail;
  ASSERT_EQ(ints.nodes.size(), 3u);
  EXPECT_EQ(ints.nodes[1].value, "-999999999999999999");
  EXPECT_EQ(ints.nodes[2].value, "-0");
  expect_error(":-05\r\n", protocol_errc::invalid_integer, 1);
  expect_error(":--5\r\n", protocol_errc::invalid_integer, 1);
}

TEST(RespParserLimits, ErrorOffsetCountsBytesFromPreviousFeeds) {
  resp::Parser p;
  std::error_code ec;
  auto ignore = [](const resp::Node&, bool) {};
  EXPECT_EQ(p.feed("+OK\r\n:1\r\n", ignore, ec), 9u);
  EXPECT_EQ(p.feed("*1\r\n$-3\r\n", ignore, ec), 4u);
  EXPECT_EQ(ec, protocol_errc::invalid_length);
  EXPECT_NE(p.error_detail().find(at_byte(14)), std::string::npos) << p.error_detail();
}

}  // namespace
}  // namespace redwire::test
