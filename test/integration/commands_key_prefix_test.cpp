// Options::key_prefix end to end: keys of multi-key commands, script KEYS and SORT patterns get
// the prefix; values and patterns of KEYS/SCAN MATCH do not.
#include <asio/use_future.hpp>
#include <future>

#include "fixture.hpp"

namespace redwire::testing {
namespace {

using KeyPrefix = ServerTest;

Options prefixed(Options o) {
  o.key_prefix = "app:";
  return o;
}

TEST_F(KeyPrefix, MultiKeyCommandsWriteAndReadUnderThePrefix) {
  SyncClient r{prefixed(options())};
  r.mset({{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(server.cli("MGET", "app:a", "app:b"), "1\n2");  // values untouched
  EXPECT_EQ(server.cli("EXISTS", "a"), "0");
  const std::vector<std::optional<std::string>> both{"1", "2"};
  EXPECT_EQ(r.mget({"a", "b"}), both);
  EXPECT_EQ(r.exists({"a", "b", "c"}), 2);
  EXPECT_EQ(r.del({"a", "b"}), 2);
  EXPECT_EQ(server.cli("DBSIZE"), "0");
  r.rpush("list", {"x", "y"});
  EXPECT_EQ(r.lmove("list", "other", ListEnd::left, ListEnd::left), "x");
  EXPECT_EQ(server.cli("LRANGE", "app:other", "0", "-1"), "x");
  r.set("value-is-a-key-name", "a");
  EXPECT_EQ(server.cli("GET", "app:value-is-a-key-name"), "a");
}

TEST_F(KeyPrefix, ScriptKeysButNotArguments) {
  SyncClient r{prefixed(options())};
  const auto got = r.eval<std::vector<std::string>>(
      "redis.call('SET', KEYS[1], ARGV[1]) return {KEYS[1], ARGV[1]}", {"k"}, {"v"});
  EXPECT_EQ(got, (std::vector<std::string>{"app:k", "v"}));
  EXPECT_EQ(server.cli("GET", "app:k"), "v");
  const auto sha = r.script_load("return redis.call('GET', KEYS[1])");
  EXPECT_EQ(r.evalsha<std::string>(sha, {"k"}, {}), "v");
  r.function_load(R"(#!lua name=p
redis.register_function('getk', function(keys) return keys[1] end))");
  EXPECT_EQ(r.fcall<std::string>("getk", {"x"}, {}), "app:x");
}

TEST_F(KeyPrefix, SortByAndGetPatternsAsDocumented) {
  SyncClient r{prefixed(options())};
  r.rpush("ids", {"1", "2", "3"});
  r.mset({{"w_1", "30"}, {"w_2", "20"}, {"w_3", "10"}, {"name_1", "one"}, {"name_3", "three"}});
  using V = std::vector<std::optional<std::string>>;
  // BY app:w_* and GET app:name_* (GET # stays #).
  EXPECT_EQ(r.sort("ids", {.by = "w_*", .get = {"#", "name_*"}}),
            (V{"3", "three", "2", std::nullopt, "1", "one"}));
  EXPECT_EQ(r.sort_store("ids", "sorted", {.by = "w_*"}), 3);
  EXPECT_EQ(server.cli("LRANGE", "app:sorted", "0", "-1"), "3\n2\n1");
}

TEST_F(KeyPrefix, PatternsAreNotPrefixedAndRepliesKeepThePrefix) {
  SyncClient r{prefixed(options())};
  r.set("user:1", "x");
  server.cli("SET", "user:2", "unprefixed");
  EXPECT_EQ(r.keys("app:user:*"), std::vector<std::string>{"app:user:1"});
  EXPECT_EQ(r.keys("user:*"), std::vector<std::string>{"user:2"});
  const auto page = r.scan(0, {.match = "app:*", .count = 100});
  EXPECT_EQ(page.items, std::vector<std::string>{"app:user:1"});
}

TEST_F(KeyPrefix, PipelinedAndAsyncCommandsToo) {
  asio::io_context io;
  Client redis{io, prefixed(options())};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    // Issued without awaiting: they leave in one write (one payload of several commands).
    std::vector<std::future<long long>> pending;
    for (int i = 0; i < 10; ++i) pending.push_back(redis.incr("counter", asio::use_future));
    co_await redis.set("done", "1", asio::use_awaitable);
    EXPECT_EQ(co_await redis.get("counter", asio::use_awaitable), "10");
  });
  EXPECT_EQ(server.cli("GET", "app:counter"), "10");
}

}  // namespace
}  // namespace redwire::testing
