// Command encoding: exact bytes, binary safety, and every argument kind the encoder accepts.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "redwire/resp/encoder.hpp"
#include "resp_test_support.hpp"

namespace redwire::test {
namespace {

using namespace std::string_literals;

template <class... Args>
std::string encode(const Args&... args) {
  std::string out;
  resp::append_command(out, args...);
  return out;
}

// Parses an encoded command back into its arguments, checking it is one array of bulk strings.
std::vector<std::string> decode(const std::string& wire) {
  const ParseRun run = parse_one_shot(wire);
  EXPECT_FALSE(run.ec) << run.detail;
  EXPECT_EQ(run.consumed, wire.size());
  std::vector<std::string> args;
  if (run.nodes.empty()) return args;
  EXPECT_EQ(run.nodes[0].type, resp::Type::array);
  EXPECT_EQ(run.nodes[0].size, run.nodes.size() - 1);
  for (std::size_t i = 1; i < run.nodes.size(); ++i) {
    EXPECT_EQ(run.nodes[i].type, resp::Type::bulk_string);
    EXPECT_EQ(run.nodes[i].depth, 1u);
    args.push_back(run.nodes[i].value);
  }
  EXPECT_TRUE(run.nodes.back().reply_done);
  return args;
}

TEST(RespEncoder, EncodesACommandAsAnArrayOfBulkStrings) {
  EXPECT_EQ(encode("SET", "key", "value"), "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  EXPECT_EQ(encode("PING"), "*1\r\n$4\r\nPING\r\n");
}

TEST(RespEncoder, AcceptsEveryStringLikeType) {
  const std::string s = "str";
  const std::string_view sv = "view";
  const char* cstr = "cstr";
  const char array[] = "arr";
  EXPECT_EQ(decode(encode(s, sv, cstr, array, "lit")),
            (std::vector<std::string>{"str", "view", "cstr", "arr", "lit"}));
}

TEST(RespEncoder, AppendsToTheBufferSoCommandsPipeline) {
  std::string out = "prefix";
  resp::append_command(out, "GET", "a");
  resp::append_command(out, "GET", "b");
  EXPECT_EQ(out, "prefix*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n");
}

TEST(RespEncoder, EmptyArgumentIsAZeroLengthBulk) {
  EXPECT_EQ(encode("SET", "k", ""), "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(RespEncoder, AllByteValuesRoundTripInOneArgument) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string wire = encode("SET", all, all + all);
  EXPECT_EQ(wire.substr(0, 21), "*3\r\n$3\r\nSET\r\n$256\r\n\0\x01"s);
  EXPECT_EQ(decode(wire), (std::vector<std::string>{"SET", all, all + all}));
}

TEST(RespEncoder, EachSingleByteValueRoundTripsAsItsOwnArgument) {
  std::vector<std::string> args;
  for (int i = 0; i < 256; ++i) args.emplace_back(1, static_cast<char>(i));
  EXPECT_EQ(decode(encode(args)), args);
}

TEST(RespEncoder, CrlfAndNulInsideArgumentsPassThroughUnchanged) {
  const std::string tricky = "a\r\nb\0c\r\n*1\r\n$3\r\n"s;
  EXPECT_EQ(encode(tricky), "*1\r\n$16\r\n"s + tricky + "\r\n");
  EXPECT_EQ(decode(encode("\r\n", "\0"s, "\n", "\r", tricky)),
            (std::vector<std::string>{"\r\n", "\0"s, "\n", "\r", tricky}));
}

TEST(RespEncoder, IntegersOfEveryWidthAreDecimal) {
  EXPECT_EQ(decode(encode("INCRBY", "k", 42)), (std::vector<std::string>{"INCRBY", "k", "42"}));
  EXPECT_EQ(decode(encode(std::numeric_limits<std::int64_t>::min(),
                          std::numeric_limits<std::int64_t>::max(),
                          std::numeric_limits<std::uint64_t>::max(), short{-7}, 0u,
                          static_cast<unsigned char>(255), std::int8_t{-128})),
            (std::vector<std::string>{"-9223372036854775808", "9223372036854775807",
                                      "18446744073709551615", "-7", "0", "255", "-128"}));
}

TEST(RespEncoder, DoublesUseTheShortestRoundTripForm) {
  EXPECT_EQ(decode(encode(1.5, 0.1, -2.0, 1e300, 3.0f, 0.0)),
            (std::vector<std::string>{"1.5", "0.1", "-2", "1e+300", "3", "0"}));
  const double third = 1.0 / 3.0;
  const auto args = decode(encode(third));
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(std::stod(args[0]), third);
}

TEST(RespEncoder, InfinitiesUseTheServersSpelling) {
  EXPECT_EQ(decode(encode("ZADD", "z", std::numeric_limits<double>::infinity(), "m",
                          -std::numeric_limits<double>::infinity(), "n")),
            (std::vector<std::string>{"ZADD", "z", "+inf", "m", "-inf", "n"}));
}

TEST(RespEncoder, RangesExpandToOneArgumentPerElement) {
  const std::vector<std::string> keys{"a", "b", "c"};
  EXPECT_EQ(decode(encode("DEL", keys)), (std::vector<std::string>{"DEL", "a", "b", "c"}));
  const std::array<std::string_view, 2> views{"x", "y"};
  const std::list<int> ints{1, 2, 3};
  const std::span<const std::string> span(keys.data(), 2);
  EXPECT_EQ(decode(encode("CMD", views, ints, span)),
            (std::vector<std::string>{"CMD", "x", "y", "1", "2", "3", "a", "b"}));
}

TEST(RespEncoder, EmptyRangeContributesNoArgument) {
  EXPECT_EQ(encode("DEL", std::vector<std::string>{}), "*1\r\n$3\r\nDEL\r\n");
}

TEST(RespEncoder, PairsTuplesAndMapsExpandInOrder) {
  EXPECT_EQ(decode(encode("HSET", "h", std::pair<std::string, int>{"f", 1})),
            (std::vector<std::string>{"HSET", "h", "f", "1"}));
  EXPECT_EQ(decode(encode(std::tuple<const char*, int, double>{"a", 2, 2.5})),
            (std::vector<std::string>{"a", "2", "2.5"}));
  const std::map<std::string, int> fields{{"f1", 1}, {"f2", 2}};
  EXPECT_EQ(decode(encode("HSET", "h", fields)),
            (std::vector<std::string>{"HSET", "h", "f1", "1", "f2", "2"}));
  const std::vector<std::pair<double, std::string>> scored{{1.5, "m1"}, {2, "m2"}};
  EXPECT_EQ(decode(encode("ZADD", "z", scored)),
            (std::vector<std::string>{"ZADD", "z", "1.5", "m1", "2", "m2"}));
}

TEST(RespEncoder, CountArgsMatchesTheArrayHeader) {
  const std::vector<std::string> v{"a", "b"};
  const std::map<std::string, std::string> m{{"k", "v"}};
  EXPECT_EQ(resp::count_args("MSET", v, m, std::pair{1, 2}), 7u);
  EXPECT_EQ(encode("MSET", v, m, std::pair{1, 2}).substr(0, 4), "*7\r\n");
}

// append_command() reserves what ArgTraits<T>::size() promises: exact for strings, an upper
// bound for numbers and the composite kinds.
template <class T>
std::size_t written(const T& v) {
  std::string out;
  resp::ArgTraits<T>::write(out, v);
  return out.size();
}

TEST(RespEncoder, ArgumentSizesCoverWhatIsWritten) {
  EXPECT_EQ(resp::arg_size(std::string_view("")), written(std::string_view("")));
  EXPECT_EQ(resp::arg_size(std::string(9, 'x')), written(std::string(9, 'x')));
  EXPECT_EQ(resp::arg_size(std::string(10, 'x')), written(std::string(10, 'x')));
  EXPECT_EQ(resp::arg_size(std::string(1 << 20, 'x')), written(std::string(1 << 20, 'x')));
  for (const long long n : {0LL, -1LL, 42LL, std::numeric_limits<long long>::min(),
                            std::numeric_limits<long long>::max()}) {
    EXPECT_GE(resp::arg_size(n), written(n)) << n;
  }
  EXPECT_GE(resp::arg_size(std::numeric_limits<std::uint64_t>::max()),
            written(std::numeric_limits<std::uint64_t>::max()));
  for (const double d :
       {0.0, -1.5, 1e-300, -std::numeric_limits<double>::max(),
        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::infinity()}) {
    EXPECT_GE(resp::arg_size(d), written(d)) << d;
  }
  const std::vector<std::string> v{"a", std::string(100, 'b')};
  EXPECT_EQ(resp::arg_size(v), written(v));
  const std::map<std::string, long long> m{{"k", -123456789}};
  EXPECT_GE(resp::arg_size(m), written(m));
  const auto t = std::make_tuple("x", 1, 2.5);
  EXPECT_GE(resp::arg_size(t), written(t));
}

TEST(RespEncoder, AppendingAfterTheReservationKeepsEveryCommand) {
  std::string out;
  resp::append_command(out, "SET", std::string(100, 'k'), std::string(1000, 'v'), 42);
  EXPECT_GE(out.capacity(), out.size());
  EXPECT_EQ(decode(out).size(), 4u);
  const std::size_t first = out.size();
  // The next command reserves on top of what the buffer holds.
  resp::append_command(out, "GET", "k");
  const std::string get = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  ASSERT_EQ(out.size(), first + get.size());
  EXPECT_EQ(out.substr(first), get);
  EXPECT_EQ(decode(out.substr(0, first)).size(), 4u);
}

TEST(RespEncoder, LargeArgumentHasAnExactLengthHeader) {
  const std::string big(1 << 20, 'x');
  const std::string wire = encode(big);
  EXPECT_EQ(wire.substr(0, 14), "*1\r\n$1048576\r\n");
  EXPECT_EQ(wire.size(), 14 + big.size() + 2);
}

struct Point {
  int x;
  int y;
};

}  // namespace
}  // namespace redwire::test

// A user type encoded through the documented customization point.
template <>
struct redwire::resp::ArgTraits<redwire::test::Point> {
  static std::size_t count(const redwire::test::Point&) { return 2; }
  static void write(std::string& out, const redwire::test::Point& p) {
    ArgTraits<int>::write(out, p.x);
    ArgTraits<int>::write(out, p.y);
  }
};

namespace redwire::test {
namespace {

TEST(RespEncoder, UserTypesEncodeThroughArgTraits) {
  EXPECT_EQ(decode(encode("GEOLIKE", Point{3, -4})),
            (std::vector<std::string>{"GEOLIKE", "3", "-4"}));
  const std::vector<Point> points{{1, 2}, {5, 6}};
  EXPECT_EQ(decode(encode(points)), (std::vector<std::string>{"1", "2", "5", "6"}));
}

}  // namespace
}  // namespace redwire::test
