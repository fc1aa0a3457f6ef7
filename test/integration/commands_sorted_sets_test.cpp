// Every typed sorted set command against a real server, in RESP3 and RESP2 (scores come back
// as doubles in one and as strings in the other).
#include "fixture.hpp"

namespace redwire::testing {
namespace {

class SortedSetCommandsTest : public ServerTest, public ::testing::WithParamInterface<int> {
 protected:
  Options opts() const {
    auto o = options();
    o.protocol = GetParam();
    return o;
  }
};
using Strings = std::vector<std::string>;
using Scored = std::vector<ScoredMember>;

TEST_P(SortedSetCommandsTest, AddScoreAndCount) {
  SyncClient r{opts()};
  EXPECT_EQ(r.zadd("z", 1, "a"), 1);
  EXPECT_EQ(r.zadd("z", {{2, "b"}, {3, "c"}}), 2);
  EXPECT_EQ(r.zadd("z", {{10, "a"}, {4, "d"}}, {.condition = ZAddOptions::Condition::xx}), 0);
  EXPECT_EQ(r.zscore("z", "a"), 10);
  EXPECT_EQ(
      r.zadd("z", {{5, "a"}, {6, "e"}}, {.condition = ZAddOptions::Condition::gt, .ch = true}),
      1);  // e added; a not lowered
  EXPECT_EQ(r.zadd_incr("z", 1.5, "b", {}), 3.5);
  EXPECT_EQ(r.zadd_incr("z", 1, "none", {.condition = ZAddOptions::Condition::xx}), std::nullopt);
  EXPECT_DOUBLE_EQ(r.zincrby("z", 0.5, "b"), 4.0);
  EXPECT_EQ(r.zmscore("z", {"a", "none", "c"}),
            (std::vector<std::optional<double>>{10, std::nullopt, 3}));
  EXPECT_EQ(r.zcard("z"), 4);
  EXPECT_EQ(r.zcount("z", 3, "+inf"), 4);
  EXPECT_EQ(r.zcount("z", Bound::exclusive(3), 6), 2);
  EXPECT_EQ(r.zrank("z", "c"), 0);
  EXPECT_EQ(r.zrevrank("z", "c"), 3);
  EXPECT_EQ(r.zrevrank("z", "none"), std::nullopt);
  EXPECT_EQ(r.zrem("z", {"e", "none"}), 1);
}

TEST_P(SortedSetCommandsTest, RangesByRankScoreAndLex) {
  SyncClient r{opts()};
  r.zadd("z", {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}});
  EXPECT_EQ(r.zrange("z", 0, 1), (Strings{"a", "b"}));
  EXPECT_EQ(r.zrange_withscores("z", -1, -1), (Scored{{"d", 4}}));
  EXPECT_EQ(r.zrevrange("z", 0, 0), Strings{"d"});
  EXPECT_EQ(r.zrevrange_withscores("z", 0, 1), (Scored{{"d", 4}, {"c", 3}}));
  using By = ZRangeOptions::By;
  EXPECT_EQ(r.zrange("z", "(1", 3, {.by = By::score}), (Strings{"b", "c"}));
  EXPECT_EQ(r.zrange("z", "+inf", "-inf", {.by = By::score, .rev = true, .limit = {{0, 2}}}),
            (Strings{"d", "c"}));
  EXPECT_EQ(r.zrange_withscores("z", 2, 3, {.by = By::score}), (Scored{{"b", 2}, {"c", 3}}));
  EXPECT_EQ(r.zrange("z", 0, 1, {.rev = true}), (Strings{"d", "c"}));

  r.zadd("lex", {{0, "apple"}, {0, "banana"}, {0, "cherry"}});
  EXPECT_EQ(r.zrange("lex", "[b", "+", {.by = By::lex}), (Strings{"banana", "cherry"}));
  EXPECT_EQ(r.zlexcount("lex", "-", "(c"), 2);
  EXPECT_EQ(r.zrangestore("dst", "z", 2, "+inf", {.by = By::score, .limit = {{0, 2}}}), 2);
  EXPECT_EQ(r.zrange("dst", 0, -1), (Strings{"b", "c"}));
}

TEST_P(SortedSetCommandsTest, RemoveRangesAndRandomMembers) {
  SyncClient r{opts()};
  r.zadd("z", {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}, {5, "e"}});
  EXPECT_TRUE(r.zrandmember("z").has_value());
  EXPECT_EQ(r.zrandmember("none"), std::nullopt);
  EXPECT_EQ(r.zrandmember("z", 3).size(), 3u);
  const auto withscores = r.zrandmember_withscores("z", 2);
  ASSERT_EQ(withscores.size(), 2u);
  EXPECT_EQ(r.zscore("z", withscores[0].member), withscores[0].score);
  EXPECT_EQ(r.zremrangebyrank("z", 0, 0), 1);
  EXPECT_EQ(r.zremrangebyscore("z", "(4", "+inf"), 1);
  r.zadd("lex", {{0, "a"}, {0, "b"}, {0, "c"}});
  EXPECT_EQ(r.zremrangebylex("lex", "[a", "[b"), 2);
  EXPECT_EQ(r.zrange("z", 0, -1), (Strings{"b", "c", "d"}));
}

TEST_P(SortedSetCommandsTest, Pops) {
  SyncClient r{opts()};
  r.zadd("z", {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}, {5, "e"}, {6, "f"}});
  EXPECT_EQ(r.zpopmin("z"), (Scored{{"a", 1}}));
  EXPECT_EQ(r.zpopmax("z"), (Scored{{"f", 6}}));
  EXPECT_EQ(r.zpopmin("z", 2), (Scored{{"b", 2}, {"c", 3}}));
  EXPECT_EQ(r.zpopmax("z", 1), (Scored{{"e", 5}}));
  EXPECT_TRUE(r.zpopmin("none").empty());
  r.zadd("y", {{7, "g"}, {8, "h"}});
  const auto popped = r.zmpop({"empty", "y"}, ZSide::max, 5);
  ASSERT_TRUE(popped.has_value());
  EXPECT_EQ(popped->key, "y");
  EXPECT_EQ(popped->members, (Scored{{"h", 8}, {"g", 7}}));
  EXPECT_EQ(r.zmpop({"empty"}, ZSide::min, 1), std::nullopt);
}

TEST_P(SortedSetCommandsTest, BlockingPops) {
  SyncClient r{opts()};
  r.zadd("z", {{1, "a"}, {2, "b"}, {3, "c"}});
  const auto min = r.bzpopmin({"none", "z"}, 1s);
  ASSERT_TRUE(min.has_value());
  EXPECT_EQ(min->key, "z");
  EXPECT_EQ(min->member, "a");
  EXPECT_EQ(min->score, 1);
  EXPECT_EQ(r.bzpopmax("z", 1s)->member, "c");
  const auto m = r.bzmpop(1s, {"z"}, ZSide::min, 2);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->members, (Scored{{"b", 2}}));
  EXPECT_EQ(r.bzpopmin("z", 0.1s), std::nullopt);
  EXPECT_EQ(r.bzpopmax("z", 0.1s), std::nullopt);
  EXPECT_EQ(r.bzmpop(0.1s, {"z"}, ZSide::max, 1), std::nullopt);
}

TEST_P(SortedSetCommandsTest, Algebra) {
  SyncClient r{opts()};
  r.zadd("x", {{1, "a"}, {2, "b"}, {3, "c"}});
  r.zadd("y", {{10, "b"}, {20, "c"}, {30, "d"}});
  EXPECT_EQ(r.zdiff({"x", "y"}), Strings{"a"});
  EXPECT_EQ(r.zdiff_withscores({"x", "y"}), (Scored{{"a", 1}}));
  EXPECT_EQ(r.zdiffstore("d", {"y", "x"}), 1);
  EXPECT_EQ(r.zinter({"x", "y"}, {}), (Strings{"b", "c"}));
  EXPECT_EQ(r.zinter_withscores({"x", "y"}, {.aggregate = ZCombineOptions::Aggregate::max}),
            (Scored{{"b", 10}, {"c", 20}}));
  EXPECT_EQ(r.zinterstore("i", {"x", "y"}, {.weights = {2, 1}}), 2);
  EXPECT_EQ(r.zscore("i", "c"), 26);
  EXPECT_EQ(r.zintercard({"x", "y"}, 0), 2);
  EXPECT_EQ(r.zintercard({"x", "y"}, 1), 1);
  EXPECT_EQ(r.zunion({"x", "y"}, {}).size(), 4u);
  EXPECT_EQ(r.zunion_withscores({"x", "y"}, {.aggregate = ZCombineOptions::Aggregate::min}),
            (Scored{{"a", 1}, {"b", 2}, {"c", 3}, {"d", 30}}));
  EXPECT_EQ(r.zunionstore("u", {"x", "y"}, {}), 4);
  EXPECT_EQ(r.zscore("u", "b"), 12);
}

TEST_P(SortedSetCommandsTest, ScanWithScores) {
  SyncClient r{opts()};
  r.zadd("z", {{1.5, "a"}, {2, "b"}});
  const auto page = r.zscan("z", 0, {.match = "a"});
  EXPECT_EQ(page.cursor, 0u);
  EXPECT_EQ(page.items, (Scored{{"a", 1.5}}));
}

INSTANTIATE_TEST_SUITE_P(Resp, SortedSetCommandsTest, ::testing::Values(3, 2),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return "Resp" + std::to_string(p.param);
                         });

}  // namespace
}  // namespace redwire::testing
