// Every typed string command against a real server (blocking facade; the async forms share
// the same methods and are covered by client_api_test and the coroutine cases here).
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using StringCommandsTest = ServerTest;

TEST_F(StringCommandsTest, SetGetAndTheirVariants) {
  SyncClient r{options()};
  EXPECT_TRUE(r.set("s:k", "v1"));
  EXPECT_EQ(r.get("s:k"), "v1");
  EXPECT_FALSE(r.set("s:k", "v2", nx()));
  EXPECT_EQ(r.set_get("s:k", "v3", {}), "v1");
  EXPECT_TRUE(r.setnx("s:new", "x"));
  EXPECT_FALSE(r.setnx("s:new", "y"));
  r.setex("s:ex", 100s, "e");
  EXPECT_GT(r.ttl("s:ex"), 90);
  r.psetex("s:px", 100000ms, "p");
  EXPECT_GT(r.pttl("s:px"), 90000);
  EXPECT_EQ(r.getdel("s:new"), "x");
  EXPECT_EQ(r.get("s:new"), std::nullopt);
  EXPECT_EQ(r.getex("s:k", ex(50s)), "v3");
  EXPECT_GT(r.ttl("s:k"), 40);
  EXPECT_EQ(r.getex_persist("s:k"), "v3");
  EXPECT_EQ(r.ttl("s:k"), -1);
  EXPECT_THROW(r.getex("s:k", nx()), Error);  // rejected before sending
}

TEST_F(StringCommandsTest, RangesLengthsAndCounters) {
  SyncClient r{options()};
  EXPECT_EQ(r.append("s:a", "Hello"), 5);
  EXPECT_EQ(r.append("s:a", " World"), 11);
  EXPECT_EQ(r.strlen("s:a"), 11);
  EXPECT_EQ(r.getrange("s:a", 0, 4), "Hello");
  EXPECT_EQ(r.setrange("s:a", 6, "Redis"), 11);
  EXPECT_EQ(r.get("s:a"), "Hello Redis");
  EXPECT_EQ(r.incr("s:n"), 1);
  EXPECT_EQ(r.incrby("s:n", 10), 11);
  EXPECT_EQ(r.decr("s:n"), 10);
  EXPECT_EQ(r.decrby("s:n", 4), 6);
  EXPECT_DOUBLE_EQ(r.incrbyfloat("s:n", 0.5), 6.5);
}

TEST_F(StringCommandsTest, MultiKeyCommands) {
  SyncClient r{options()};
  r.mset({{"s:m1", "a"}, {"s:m2", "b"}});
  const std::vector<std::optional<std::string>> expected{"a", "b", std::nullopt};
  EXPECT_EQ(r.mget({"s:m1", "s:m2", "s:none"}), expected);
  EXPECT_FALSE(r.msetnx({{"s:m1", "x"}, {"s:m3", "y"}}));
  EXPECT_TRUE(r.msetnx({{"s:m3", "y"}, {"s:m4", "z"}}));
  EXPECT_EQ(r.get("s:m4"), "z");
}

TEST_F(StringCommandsTest, LongestCommonSubsequence) {
  SyncClient r{options()};
  r.mset({{"s:l1", "ohmytext"}, {"s:l2", "mynewtext"}});
  EXPECT_EQ(r.lcs("s:l1", "s:l2"), "mytext");
  EXPECT_EQ(r.lcs_len("s:l1", "s:l2"), 6);
  const auto idx = r.lcs_idx("s:l1", "s:l2", {.min_match_len = 0, .with_match_len = true});
  EXPECT_EQ(idx.length, 6);
  ASSERT_EQ(idx.matches.size(), 2u);
  EXPECT_EQ(idx.matches[0].first, (std::pair<long long, long long>{4, 7}));
  EXPECT_EQ(idx.matches[0].second, (std::pair<long long, long long>{5, 8}));
  EXPECT_EQ(idx.matches[0].length, 4);
  const auto longer = r.lcs_idx("s:l1", "s:l2", {.min_match_len = 3});
  EXPECT_EQ(longer.matches.size(), 1u);
}

TEST_F(StringCommandsTest, CoroutineFormsAndRespTwo) {
  asio::io_context io;
  auto o = options();
  o.protocol = 2;
  Client redis{io, o};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const FieldValues pairs{{"c:a", "ab"}, {"c:b", "xb"}};
    co_await redis.mset(pairs, asio::use_awaitable);
    EXPECT_EQ(co_await redis.lcs_len("c:a", "c:b", asio::use_awaitable), 1);
    const LcsOptions none;
    const auto idx = co_await redis.lcs_idx("c:a", "c:b", none, asio::use_awaitable);
    EXPECT_EQ(idx.length, 1);
    EXPECT_DOUBLE_EQ(co_await redis.incrbyfloat("c:f", 1.25, asio::use_awaitable), 1.25);
    EXPECT_EQ(co_await redis.getex("c:a", px(100000ms), asio::use_awaitable), "ab");
  });
}

}  // namespace
}  // namespace redwire::testing
