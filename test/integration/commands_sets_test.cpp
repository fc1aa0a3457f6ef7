// Every typed set command against a real server.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using SetCommandsTest = ServerTest;

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}
using Strings = std::vector<std::string>;

TEST_F(SetCommandsTest, MembersAndMembership) {
  SyncClient r{options()};
  EXPECT_EQ(r.sadd("s", {"a", "b", "c"}), 3);
  EXPECT_EQ(r.sadd("s", "a"), 0);
  EXPECT_EQ(r.scard("s"), 3);
  EXPECT_TRUE(r.sismember("s", "b"));
  EXPECT_EQ(r.smismember("s", {"a", "x", "c"}), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(sorted(r.smembers("s")), (Strings{"a", "b", "c"}));
  EXPECT_EQ(r.srem("s", {"c", "x"}), 1);
  EXPECT_TRUE(r.smove("s", "t", "b"));
  EXPECT_FALSE(r.smove("s", "t", "none"));
  EXPECT_EQ(r.smembers("t"), Strings{"b"});
}

TEST_F(SetCommandsTest, RandomMembersAndPops) {
  SyncClient r{options()};
  r.sadd("s", {"a", "b", "c", "d"});
  EXPECT_TRUE(r.srandmember("s").has_value());
  EXPECT_EQ(r.srandmember("none"), std::nullopt);
  EXPECT_EQ(r.srandmember("s", 3).size(), 3u);
  EXPECT_EQ(r.srandmember("s", -6).size(), 6u);
  EXPECT_TRUE(r.spop("s").has_value());
  EXPECT_EQ(r.spop("s", 2).size(), 2u);
  EXPECT_EQ(r.scard("s"), 1);
  EXPECT_EQ(r.spop("none"), std::nullopt);
}

TEST_F(SetCommandsTest, Algebra) {
  SyncClient r{options()};
  r.sadd("x", {"a", "b", "c"});
  r.sadd("y", {"b", "c", "d"});
  EXPECT_EQ(sorted(r.sinter({"x", "y"})), (Strings{"b", "c"}));
  EXPECT_EQ(sorted(r.sunion({"x", "y"})), (Strings{"a", "b", "c", "d"}));
  EXPECT_EQ(r.sdiff({"x", "y"}), Strings{"a"});
  EXPECT_EQ(r.sinterstore("i", {"x", "y"}), 2);
  EXPECT_EQ(r.sunionstore("u", {"x", "y"}), 4);
  EXPECT_EQ(r.sdiffstore("d", {"y", "x"}), 1);
  EXPECT_EQ(r.smembers("d"), Strings{"d"});
  EXPECT_EQ(r.sintercard({"x", "y"}, 0), 2);
  EXPECT_EQ(r.sintercard({"x", "y"}, 1), 1);
}

TEST_F(SetCommandsTest, ScanLargeSetPageByPage) {
  SyncClient r{options()};
  std::vector<std::string> members;
  for (int i = 0; i < 1000; ++i) members.push_back("m" + std::to_string(i));
  r.sadd("big", members);
  std::set<std::string> seen;
  std::uint64_t cursor = 0;
  int pages = 0;
  do {
    auto page = r.sscan("big", cursor, {.count = 100});
    seen.insert(page.items.begin(), page.items.end());
    cursor = page.cursor;
    ++pages;
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_GT(pages, 1);
}

}  // namespace
}  // namespace redwire::testing
