// Keys and values are bytes: every byte value, CR/LF/NUL inside, and very large values.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using BinarySafety = ServerTest;

TEST_F(BinarySafety, AllByteValuesAndEmbeddedCrlfRoundTrip) {
  SyncClient redis{options()};
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  all += "\r\n$3\r\nfoo\r\n*1\r\n";  // looks like RESP: must stay data
  const std::string key = std::string("bin\0key\r\n", 9);
  redis.set(key, all);
  EXPECT_EQ(redis.get(key), all);
  redis.hset("h", std::string_view("f\0\n", 3), all);
  EXPECT_EQ(redis.hget("h", std::string_view("f\0\n", 3)), all);
  EXPECT_EQ(redis.rpush("list", {std::string_view("\0", 1), std::string_view("\r\n", 2)}), 2);
  EXPECT_EQ(redis.lrange("list", 0, -1), (std::vector<std::string>{std::string("\0", 1), "\r\n"}));
}

TEST_F(BinarySafety, SixtyFourMebibyteValueRoundTrips) {
  SyncClient redis{options()};
  std::string big(64u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131) ^ (i >> 9));
  EXPECT_TRUE(redis.set("big", big));
  auto got = redis.get("big");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), big.size());
  EXPECT_TRUE(*got == big);
  // The link is still in order afterwards.
  EXPECT_EQ(redis.echo("after"), "after");
}

}  // namespace
}  // namespace redwire::testing
