// Conversions of replies to C++ types, and the messages a failed conversion gives.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "redwire/convert.hpp"
#include "resp_test_support.hpp"

namespace redwire::test {
namespace {

using namespace std::string_literals;

// Converts the first reply in `wire` to T, expecting success.
template <class T>
T as(const std::string& wire) {
  const Reply r = reply_of(wire);
  T out{};
  std::string detail;
  const std::error_code ec = from_reply(r.view(), out, &detail);
  EXPECT_FALSE(ec) << wire << ": " << ec.message() << ": " << detail;
  return out;
}

struct Failure {
  std::error_code ec;
  std::string detail;
};

template <class T>
Failure fail_as(const std::string& wire) {
  const Reply r = reply_of(wire);
  T out{};
  Failure f;
  f.ec = from_reply(r.view(), out, &f.detail);
  EXPECT_TRUE(f.ec) << wire << " converted";
  return f;
}

TEST(ConvertString, FromEveryStringLikeType) {
  EXPECT_EQ(as<std::string>("$3\r\nbar\r\n"), "bar");
  EXPECT_EQ(as<std::string>("+OK\r\n"), "OK");
  EXPECT_EQ(as<std::string>("=8\r\ntxt:abcd\r\n"), "abcd");  // format prefix stripped
  EXPECT_EQ(as<std::string>(":42\r\n"), "42");
  EXPECT_EQ(as<std::string>(",1.5\r\n"), "1.5");
  EXPECT_EQ(as<std::string>("(123456789012345678901234567890\r\n"),
            "123456789012345678901234567890");
  EXPECT_EQ(as<std::string>("$3\r\n\0\r\n\r\n"s), "\0\r\n"s);
}

TEST(ConvertString, StringViewBorrowsFromTheReply) {
  const Reply r = reply_of("$5\r\nhello\r\n");
  std::string_view out;
  ASSERT_FALSE(from_reply(r.view(), out));
  EXPECT_EQ(out, "hello");
  EXPECT_EQ(out.data(), r.value().data());
}

TEST(ConvertString, NullAndAggregatesAreRejectedWithTheirType) {
  const Failure null = fail_as<std::string>("$-1\r\n");
  EXPECT_EQ(null.ec, conversion_errc::unexpected_null);
  EXPECT_EQ(null.detail, "expected string, got null");
  const Failure array = fail_as<std::string>("*2\r\n:1\r\n:2\r\n");
  EXPECT_EQ(array.ec, conversion_errc::unexpected_type);
  EXPECT_EQ(array.detail, "expected string, got array of 2 elements");
  EXPECT_EQ(fail_as<std::string>("#t\r\n").detail, "expected string, got boolean 't'");
}

TEST(ConvertInteger, FromIntegersAndNumericStrings) {
  EXPECT_EQ(as<long long>(":-9223372036854775808\r\n"), std::numeric_limits<long long>::min());
  EXPECT_EQ(as<std::uint64_t>("$20\r\n18446744073709551615\r\n"),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(as<int>("+12\r\n"), 12);
  EXPECT_EQ(as<int>(":+7\r\n"), 7);  // RESP3 allows the explicit sign
  EXPECT_EQ(as<short>("(-300\r\n"), -300);
}

TEST(ConvertInteger, ExpectedIntegerGotBulkStringNamesTheValue) {
  const Failure f = fail_as<int>("$3\r\nabc\r\n");
  EXPECT_EQ(f.ec, conversion_errc::invalid_number);
  EXPECT_EQ(f.detail, "expected integer, got bulk string 'abc'");
  EXPECT_EQ(fail_as<int>("$3\r\n12x\r\n").ec, conversion_errc::invalid_number);
  EXPECT_EQ(fail_as<int>("$0\r\n\r\n").ec, conversion_errc::invalid_number);
  EXPECT_EQ(fail_as<int>(",1.5\r\n").ec, conversion_errc::invalid_number);
}

TEST(ConvertInteger, OutOfRangeForTheTargetType) {
  const Failure f = fail_as<std::int8_t>(":300\r\n");
  EXPECT_EQ(f.ec, conversion_errc::out_of_range);
  EXPECT_EQ(f.detail, "expected integer in range, got integer '300'");
  EXPECT_EQ(fail_as<unsigned>(":-1\r\n").ec, conversion_errc::invalid_number);
  EXPECT_EQ(fail_as<long long>("(99999999999999999999999\r\n").ec, conversion_errc::out_of_range);
  // Out of range and malformed: malformed wins.
  EXPECT_EQ(fail_as<int>("$12\r\n99999999999x\r\n").ec, conversion_errc::invalid_number);
}

TEST(ConvertInteger, NullAndWrongTypes) {
  const Failure null = fail_as<int>("_\r\n");
  EXPECT_EQ(null.ec, conversion_errc::unexpected_null);
  EXPECT_EQ(null.detail, "expected integer, got null");
  const Failure map = fail_as<int>("%1\r\n+a\r\n:1\r\n");
  EXPECT_EQ(map.ec, conversion_errc::unexpected_type);
  EXPECT_EQ(map.detail, "expected integer, got map of 1 elements");
  EXPECT_EQ(fail_as<int>("#t\r\n").detail, "expected integer, got boolean 't'");
}

TEST(ConvertInteger, DetailEscapesBinaryAndTruncatesLongValues) {
  EXPECT_EQ(fail_as<int>("$4\r\na\r\n\xff\r\n"s).detail,
            "expected integer, got bulk string 'a\\x0d\\x0a\\xff'");
  const Failure f = fail_as<int>("$100\r\n" + std::string(100, 'z') + "\r\n");
  EXPECT_EQ(f.detail, "expected integer, got bulk string '" + std::string(64, 'z') + "...'");
}

TEST(ConvertDouble, FromDoublesIncludingInfinitiesAndNan) {
  EXPECT_EQ(as<double>(",3.25\r\n"), 3.25);
  EXPECT_EQ(as<double>(",inf\r\n"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(as<double>(",+inf\r\n"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(as<double>(",-inf\r\n"), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(as<double>(",nan\r\n")));
  EXPECT_TRUE(std::isnan(as<double>(",-nan\r\n")));
  EXPECT_EQ(as<double>(":7\r\n"), 7.0);
  EXPECT_EQ(as<double>("$4\r\n-1.5\r\n"), -1.5);  // RESP2 ZSCORE
  EXPECT_EQ(as<float>(",0.5\r\n"), 0.5f);
}

TEST(ConvertDouble, OverflowIsInfinityAndUnderflowIsZero) {
  EXPECT_EQ(as<double>(",1e400\r\n"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(as<double>(",-1e400\r\n"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(as<double>(",0.0001e400\r\n"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(as<double>(",1e-400\r\n"), 0.0);
  EXPECT_EQ(as<double>(",123e-500\r\n"), 0.0);
  const double negative_zero = as<double>(",-1e-400\r\n");
  EXPECT_EQ(negative_zero, 0.0);
  EXPECT_TRUE(std::signbit(negative_zero));
  EXPECT_EQ(as<double>(",0.00000000000000000000000000001e-300\r\n"), 0.0);
  EXPECT_EQ(as<float>(",1e39\r\n"), std::numeric_limits<float>::infinity());
  EXPECT_EQ(as<float>(",1e-50\r\n"), 0.0f);
}

TEST(ConvertDouble, RejectsMalformedNumbers) {
  const Failure f = fail_as<double>("$3\r\nabc\r\n");
  EXPECT_EQ(f.ec, conversion_errc::invalid_number);
  EXPECT_EQ(f.detail, "expected number, got bulk string 'abc'");
  EXPECT_EQ(fail_as<double>("$8\r\n1e400xyz\r\n").ec, conversion_errc::invalid_number);
  EXPECT_EQ(fail_as<double>("_\r\n").ec, conversion_errc::unexpected_null);
}

TEST(ConvertBool, FromBooleanIntegerAndOk) {
  EXPECT_TRUE(as<bool>("#t\r\n"));
  EXPECT_FALSE(as<bool>("#f\r\n"));
  EXPECT_TRUE(as<bool>(":1\r\n"));
  EXPECT_FALSE(as<bool>(":0\r\n"));
  EXPECT_TRUE(as<bool>("+OK\r\n"));
  EXPECT_EQ(fail_as<bool>("+QUEUED\r\n").detail, "expected boolean, got simple string 'QUEUED'");
  EXPECT_EQ(fail_as<bool>("_\r\n").ec, conversion_errc::unexpected_null);
}

TEST(ConvertOptional, NullIsNulloptAndAValueIsConverted) {
  EXPECT_EQ(as<std::optional<std::string>>("$-1\r\n"), std::nullopt);
  EXPECT_EQ(as<std::optional<std::string>>("_\r\n"), std::nullopt);
  EXPECT_EQ(as<std::optional<std::string>>("$1\r\nv\r\n"), "v");
  EXPECT_EQ(as<std::optional<int>>(":5\r\n"), 5);
  EXPECT_EQ(fail_as<std::optional<int>>("$1\r\nx\r\n").ec, conversion_errc::invalid_number);
}

TEST(ConvertVector, FromArraysSetsAndPushes) {
  EXPECT_EQ(as<std::vector<std::string>>("*2\r\n$1\r\na\r\n+b\r\n"),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(as<std::vector<int>>("~3\r\n:1\r\n:2\r\n:3\r\n"), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(as<std::vector<std::string>>(">2\r\n+message\r\n+x\r\n"),
            (std::vector<std::string>{"message", "x"}));
  EXPECT_TRUE(as<std::vector<int>>("*0\r\n").empty());
}

TEST(ConvertVector, MgetWithMissingKeysNeedsOptionalElements) {
  EXPECT_EQ(as<std::vector<std::optional<std::string>>>("*3\r\n$1\r\na\r\n$-1\r\n$1\r\nc\r\n"),
            (std::vector<std::optional<std::string>>{"a", std::nullopt, "c"}));
  const Failure f = fail_as<std::vector<std::string>>("*2\r\n$1\r\na\r\n$-1\r\n");
  EXPECT_EQ(f.ec, conversion_errc::unexpected_null);
}

TEST(ConvertVector, NullOrScalarIsNotAnArray) {
  EXPECT_EQ(fail_as<std::vector<int>>("*-1\r\n").ec, conversion_errc::unexpected_null);
  const Failure f = fail_as<std::vector<int>>(":1\r\n");
  EXPECT_EQ(f.ec, conversion_errc::unexpected_type);
  EXPECT_EQ(f.detail, "expected array, got integer '1'");
}

TEST(ConvertVectorOfPairs, FromAResp3Map) {
  using Pairs = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(as<Pairs>("%2\r\n$1\r\na\r\n,1.5\r\n$1\r\nb\r\n,2\r\n"),
            (Pairs{{"a", 1.5}, {"b", 2.0}}));
}

TEST(ConvertVectorOfPairs, FromAResp2FlatArray) {
  using Pairs = std::vector<std::pair<std::string, double>>;
  // ZRANGE z 0 -1 WITHSCORES over RESP2.
  EXPECT_EQ(as<Pairs>("*4\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n"),
            (Pairs{{"a", 1.5}, {"b", 2.0}}));
}

TEST(ConvertVectorOfPairs, FromAResp3ArrayOfPairs) {
  using Pairs = std::vector<std::pair<std::string, double>>;
  // ZRANGE z 0 -1 WITHSCORES over RESP3.
  EXPECT_EQ(as<Pairs>("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n"),
            (Pairs{{"a", 1.5}, {"b", 2.0}}));
}

TEST(ConvertMap, FromAResp3MapAndAResp2FlatArray) {
  using Map = std::map<std::string, std::string>;
  EXPECT_EQ(as<Map>("%2\r\n+f1\r\n+v1\r\n+f2\r\n+v2\r\n"), (Map{{"f1", "v1"}, {"f2", "v2"}}));
  EXPECT_EQ(as<Map>("*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n"),
            (Map{{"f1", "v1"}, {"f2", "v2"}}));
  using Hash = std::unordered_map<std::string, int>;
  EXPECT_EQ(as<Hash>("%1\r\n+n\r\n:3\r\n"), (Hash{{"n", 3}}));
  EXPECT_TRUE(as<Map>("%0\r\n").empty());
}

TEST(ConvertMap, FromAResp3ArrayOfPairs) {
  using Scores = std::map<std::string, double>;
  // ZRANGE z 0 -1 WITHSCORES over RESP3.
  EXPECT_EQ(as<Scores>("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,inf\r\n"),
            (Scores{{"a", 1.5}, {"b", std::numeric_limits<double>::infinity()}}));
  const Failure f = fail_as<Scores>("*2\r\n*2\r\n+a\r\n,1\r\n*3\r\n+b\r\n,2\r\n,3\r\n");
  EXPECT_EQ(f.ec, conversion_errc::wrong_size);
  EXPECT_EQ(f.detail, "expected array of 2 elements (a key/value pair), got array of 3 elements");
  EXPECT_EQ(fail_as<Scores>("*2\r\n*2\r\n+a\r\n,1\r\n+b\r\n").ec, conversion_errc::unexpected_type);
}

TEST(ConvertMap, OddFlatArrayOrNullIsRejected) {
  const Failure odd = fail_as<std::map<std::string, std::string>>("*3\r\n+a\r\n+b\r\n+c\r\n");
  EXPECT_EQ(odd.ec, conversion_errc::unexpected_type);
  EXPECT_EQ(odd.detail, "expected map (or an array of key/value pairs), got array of 3 elements");
  EXPECT_EQ((fail_as<std::map<std::string, int>>("_\r\n").ec), conversion_errc::unexpected_null);
}

TEST(ConvertSet, FromASet) {
  EXPECT_EQ(as<std::set<std::string>>("~2\r\n+b\r\n+a\r\n"), (std::set<std::string>{"a", "b"}));
}

TEST(ConvertTuple, ElementsInOrder) {
  const auto t = as<std::tuple<std::string, int, double>>("*3\r\n$1\r\nk\r\n:7\r\n,2.5\r\n");
  EXPECT_EQ(t, std::make_tuple("k"s, 7, 2.5));
  EXPECT_EQ((as<std::pair<std::string, int>>("*2\r\n+a\r\n:1\r\n")), std::make_pair("a"s, 1));
}

TEST(ConvertTuple, SizeMismatchSaysWhatWasExpected) {
  const Failure f = fail_as<std::tuple<std::string, int, double>>("*2\r\n$1\r\nk\r\n:7\r\n");
  EXPECT_EQ(f.ec, conversion_errc::wrong_size);
  EXPECT_EQ(f.detail, "expected array of 3 elements, got array of 2 elements");
  const Failure element = fail_as<std::tuple<int, int>>("*2\r\n:1\r\n$1\r\nx\r\n");
  EXPECT_EQ(element.ec, conversion_errc::invalid_number);
  EXPECT_EQ(element.detail, "expected integer, got bulk string 'x'");
}

TEST(ConvertServerError, BecomesItsServerErrcForAnyOtherType) {
  const Failure f = fail_as<int>("-WRONGTYPE Operation against a key holding the wrong kind\r\n");
  EXPECT_EQ(f.ec, server_errc::wrongtype);
  EXPECT_EQ(f.detail, "WRONGTYPE Operation against a key holding the wrong kind");
  EXPECT_EQ(fail_as<std::string>("-MOVED 3999 127.0.0.1:6381\r\n").ec, server_errc::moved);
  EXPECT_EQ(fail_as<std::vector<int>>("!12\r\nNOSCRIPT bad\r\n").ec, server_errc::noscript);
  EXPECT_EQ(fail_as<std::optional<int>>("-ERR x\r\n").ec, server_errc::err);
  EXPECT_EQ(fail_as<Ignore>("-BUSY script\r\n").ec, server_errc::busy);  // Ignore still reports
  EXPECT_EQ(fail_as<int>("-CUSTOM thing\r\n").ec, server_errc::other);
}

TEST(ConvertServerError, ResultCapturesTheErrorWithItsPrefixAndMessage) {
  const auto r = as<Result<int>>("-WRONGTYPE Operation against a key\r\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, server_errc::wrongtype);
  EXPECT_EQ(r.error().prefix(), "WRONGTYPE");
  EXPECT_EQ(r.error().message(), "Operation against a key");
  EXPECT_EQ(r.error().text, "WRONGTYPE Operation against a key");
  const auto ok = as<Result<int>>(":3\r\n");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 3);
  EXPECT_EQ(fail_as<Result<int>>("$1\r\nx\r\n").ec, conversion_errc::invalid_number);
}

TEST(ConvertServerError, PerElementResultsInAnExecReply) {
  const auto v = as<std::vector<Result<long long>>>("*3\r\n:1\r\n-WRONGTYPE no\r\n:3\r\n");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(*v[0], 1);
  EXPECT_EQ(v[1].error().code, server_errc::wrongtype);
  EXPECT_EQ(*v[2], 3);
}

TEST(ConvertReply, CopiesTheSubtreeAndAcceptsErrors) {
  const Reply err = as<Reply>("-ERR x\r\n");
  EXPECT_TRUE(err.is_error());
  const Reply r = reply_of("*2\r\n:1\r\n*1\r\n+in\r\n");
  Reply sub;
  ASSERT_FALSE(from_reply(r.view()[1], sub));
  EXPECT_EQ(sub.node_count(), 2u);
  EXPECT_EQ(sub.view()[0].value(), "in");
}

TEST(ConvertNested, MapOfVectorsAndAttributesIgnored) {
  using M = std::map<std::string, std::vector<int>>;
  EXPECT_EQ(as<M>("|1\r\n+meta\r\n+x\r\n%1\r\n+k\r\n*2\r\n:1\r\n|1\r\n+a\r\n+b\r\n:2\r\n"),
            (M{{"k", {1, 2}}}));
}

struct Celsius {
  double degrees = 0;
};

}  // namespace
}  // namespace redwire::test

// A user type through the documented customization point.
template <>
struct redwire::FromReply<redwire::test::Celsius> {
  static std::error_code convert(ReplyView v, redwire::test::Celsius& out, std::string& detail) {
    return from_reply(v, out.degrees, &detail);
  }
};

namespace redwire::test {
namespace {

TEST(ConvertCustom, UserTypesConvertThroughFromReply) {
  EXPECT_EQ(as<Celsius>(",21.5\r\n").degrees, 21.5);
  EXPECT_EQ(as<std::vector<Celsius>>("*2\r\n:1\r\n,2.5\r\n")[1].degrees, 2.5);
  EXPECT_EQ(fail_as<Celsius>("-ERR x\r\n").ec, server_errc::err);
}

}  // namespace
}  // namespace redwire::test
