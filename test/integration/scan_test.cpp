// SCAN-family iteration: the blocking range and the coroutine loop yield every element exactly
// once under a stable keyspace.
#include <unordered_set>

#include "fixture.hpp"
#include "redwire/scan.hpp"

namespace redwire::testing {
namespace {

using ScanIteration = ServerTest;
constexpr int kKeys = 100'000;

void populate(test::RedisServer& server) {
  ASSERT_EQ(server.cli("DEBUG", "POPULATE", kKeys, "key"), "OK");  // key:0 .. key:99999
}

TEST_F(ScanIteration, RangeYieldsEachOf100000KeysExactlyOnce) {
  populate(server);
  SyncClient r{options()};
  std::unordered_set<std::string> seen;
  std::size_t yielded = 0;
  for (const std::string& key : scan(r, {.count = 1000})) {
    seen.insert(key);
    ++yielded;
  }
  EXPECT_EQ(yielded, static_cast<std::size_t>(kKeys));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kKeys));
  for (int i = 0; i < kKeys; i += 9973) EXPECT_TRUE(seen.count("key:" + std::to_string(i))) << i;
}

TEST_F(ScanIteration, CoroutineLoopYieldsEachOf100000KeysExactlyOnce) {
  populate(server);
  asio::io_context io;
  Client redis{io, options()};
  std::unordered_set<std::string> seen;
  std::size_t yielded = 0;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    // Options and callbacks as named locals: g++ 12 miscompiles braced temporaries inside a
    // co_await expression (see docs/commands.md).
    ScanOptions opts{.count = 1000};
    auto visit = [&](std::string& key) {
      seen.insert(std::move(key));
      ++yielded;
    };
    co_await scan_each(redis, opts, visit, asio::use_awaitable);
  });
  EXPECT_EQ(yielded, static_cast<std::size_t>(kKeys));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kKeys));
}

TEST_F(ScanIteration, MatchTypeAndEarlyStop) {
  SyncClient r{options()};
  for (int i = 0; i < 50; ++i) r.set("user:" + std::to_string(i), "x");
  r.hset("user:h", "f", "v");
  r.set("other", "x");
  std::size_t users = 0;
  for (const auto& key : scan(r, {.match = "user:*"})) {
    EXPECT_EQ(key.rfind("user:", 0), 0u);
    ++users;
  }
  EXPECT_EQ(users, 51u);
  std::vector<std::string> hashes;
  for (auto& key : scan(r, {.type = "hash"})) hashes.push_back(key);
  EXPECT_EQ(hashes, std::vector<std::string>{"user:h"});
  // No match at all: pages are empty until the cursor comes back to 0.
  EXPECT_EQ(std::ranges::distance(scan(r, {.match = "nothing:*", .count = 5})), 0);

  asio::io_context io;
  Client redis{io, options()};
  std::size_t visited = 0;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    ScanOptions opts{.count = 10};
    auto visit = [&](std::string_view) { return ++visited < 3; };
    co_await scan_each(redis, opts, visit, asio::use_awaitable);
  });
  EXPECT_EQ(visited, 3u);
}

TEST_F(ScanIteration, HashSetAndSortedSetIteration) {
  SyncClient r{options()};
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> members;
  std::vector<std::pair<double, std::string>> scored;
  for (int i = 0; i < 500; ++i) {  // large enough for hashtable/skiplist encodings
    fields.emplace_back("f" + std::to_string(i), std::to_string(i));
    members.push_back("m" + std::to_string(i));
  }
  FieldValues fv(fields.begin(), fields.end());
  r.hset("h", fv);
  r.sadd("s", members);
  for (int i = 0; i < 500; ++i) r.zadd("z", i, members[i]);

  std::map<std::string, std::string> h;
  for (auto& [f, v] : hscan(r, "h", {.count = 50})) h.emplace(f, v);
  EXPECT_EQ(h.size(), 500u);
  EXPECT_EQ(h.at("f42"), "42");
  std::set<std::string> s;
  for (auto& m : sscan(r, "s", {.match = "m1*"})) s.insert(m);
  EXPECT_EQ(s.size(), 111u);  // m1, m10-m19, m100-m199
  std::map<std::string, double> z;
  for (auto& m : zscan(r, "z")) z.emplace(m.member, m.score);
  EXPECT_EQ(z.size(), 500u);
  EXPECT_EQ(z.at("m7"), 7);

  asio::io_context io;
  Client redis{io, options()};
  std::size_t hcount = 0, scount = 0, zcount = 0;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const ScanOptions all;
    auto on_field = [&](auto&) { ++hcount; };
    auto on_member = [&](auto&) { ++scount; };
    auto on_scored = [&](ScoredMember&) { ++zcount; };
    co_await hscan_each(redis, "h", all, on_field, asio::use_awaitable);
    co_await sscan_each(redis, "s", all, on_member, asio::use_awaitable);
    co_await zscan_each(redis, "z", all, on_scored, asio::use_awaitable);
  });
  EXPECT_EQ(hcount, 500u);
  EXPECT_EQ(scount, 500u);
  EXPECT_EQ(zcount, 500u);
}

TEST_F(ScanIteration, ErrorsSurface) {
  SyncClient r{options()};
  r.set("str", "x");
  EXPECT_THROW(for (auto& f : hscan(r, "str"))(void) f, ReplyError);  // WRONGTYPE

  asio::io_context io;
  Client redis{io, options()};
  std::error_code got;
  hscan_each(
      redis, "str", {}, [](auto&) {},
      [&](std::error_code ec) {
        got = ec;
        io.stop();
      });
  io.run_for(10s);
  EXPECT_EQ(got, server_errc::wrongtype);
}

}  // namespace
}  // namespace redwire::testing
