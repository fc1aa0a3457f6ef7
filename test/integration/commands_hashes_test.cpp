// Every typed hash command against a real server, in RESP3 and RESP2.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

class HashCommandsTest : public ServerTest, public ::testing::WithParamInterface<int> {
 protected:
  Options opts() const {
    auto o = options();
    o.protocol = GetParam();
    return o;
  }
};

TEST_P(HashCommandsTest, FieldsValuesAndCounters) {
  SyncClient r{opts()};
  EXPECT_EQ(r.hset("h", "name", "John"), 1);
  EXPECT_EQ(r.hset("h", {{"age", "30"}, {"city", "Paris"}}), 2);
  EXPECT_EQ(r.hset("h", std::map<std::string, std::string>{{"zip", "75001"}}), 1);
  EXPECT_FALSE(r.hsetnx("h", "name", "Jane"));
  EXPECT_TRUE(r.hsetnx("h", "nick", "JJ"));
  EXPECT_EQ(r.hget("h", "name"), "John");
  EXPECT_EQ(r.hget("h", "none"), std::nullopt);
  const std::vector<std::optional<std::string>> got{"John", std::nullopt, "30"};
  EXPECT_EQ(r.hmget("h", {"name", "none", "age"}), got);
  EXPECT_EQ(r.hlen("h"), 5);
  EXPECT_EQ(r.hstrlen("h", "city"), 5);
  EXPECT_TRUE(r.hexists("h", "zip"));
  EXPECT_EQ(r.hgetall("h").at("nick"), "JJ");
  auto keys = r.hkeys("h");
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"age", "city", "name", "nick", "zip"}));
  EXPECT_EQ(r.hvals("h").size(), 5u);
  EXPECT_EQ(r.hincrby("h", "age", 2), 32);
  EXPECT_DOUBLE_EQ(r.hincrbyfloat("h", "age", 0.5), 32.5);
  EXPECT_EQ(r.hdel("h", {"nick", "zip", "none"}), 2);
}

TEST_P(HashCommandsTest, RandomFieldsAndScan) {
  SyncClient r{opts()};
  r.hset("h", {{"a", "1"}, {"b", "2"}, {"c", "3"}});
  EXPECT_TRUE(r.hrandfield("h").has_value());
  EXPECT_EQ(r.hrandfield("none"), std::nullopt);
  EXPECT_EQ(r.hrandfield("h", 2).size(), 2u);
  EXPECT_EQ(r.hrandfield("h", -5).size(), 5u);  // repeats allowed
  const auto pairs = r.hrandfield_withvalues("h", 3);
  ASSERT_EQ(pairs.size(), 3u);
  for (const auto& [f, v] : pairs) EXPECT_EQ(r.hget("h", f), v);
  const auto page = r.hscan("h", 0, {.match = "[ab]"});
  EXPECT_EQ(page.cursor, 0u);
  const std::map<std::string, std::string> got(page.items.begin(), page.items.end());
  const std::map<std::string, std::string> expected{{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(got, expected);
}

INSTANTIATE_TEST_SUITE_P(Resp, HashCommandsTest, ::testing::Values(3, 2),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return "Resp" + std::to_string(p.param);
                         });

}  // namespace
}  // namespace redwire::testing
