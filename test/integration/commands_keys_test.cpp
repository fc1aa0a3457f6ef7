// Every typed generic key command against a real server.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using KeyCommandsTest = ServerTest;

TEST_F(KeyCommandsTest, ExistenceTypesAndDeletion) {
  SyncClient r{options()};
  r.mset({{"k:a", "1"}, {"k:b", "2"}, {"k:c", "3"}});
  EXPECT_EQ(r.exists({"k:a", "k:b", "k:none"}), 2);
  EXPECT_EQ(r.touch({"k:a", "k:none"}), 1);
  EXPECT_EQ(r.type("k:a"), "string");
  EXPECT_EQ(r.type("k:none"), "none");
  EXPECT_EQ(r.del({"k:a", "k:none"}), 1);
  EXPECT_EQ(r.unlink("k:b"), 1);
  EXPECT_EQ(r.randomkey(), "k:c");
  EXPECT_EQ(r.keys("k:*"), std::vector<std::string>{"k:c"});
}

TEST_F(KeyCommandsTest, ExpiryWithConditions) {
  SyncClient r{options()};
  r.set("k:e", "v");
  EXPECT_TRUE(r.expire("k:e", 100s));
  EXPECT_FALSE(r.expire("k:e", 200s, ExpireCondition::nx));  // already has one
  EXPECT_TRUE(r.expire("k:e", 200s, ExpireCondition::gt));
  EXPECT_FALSE(r.expire("k:e", 50s, ExpireCondition::gt));
  EXPECT_TRUE(r.pexpire("k:e", 150000ms));
  EXPECT_TRUE(r.pexpire("k:e", 100000ms, ExpireCondition::lt));
  EXPECT_LE(r.pttl("k:e"), 100000);
  const auto in_an_hour = std::chrono::system_clock::now() + 1h;
  EXPECT_TRUE(r.expireat("k:e", in_an_hour));
  EXPECT_FALSE(r.expireat("k:e", in_an_hour, ExpireCondition::nx));
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(in_an_hour.time_since_epoch());
  EXPECT_EQ(r.expiretime("k:e"), s.count());
  EXPECT_TRUE(r.pexpireat("k:e", in_an_hour));
  EXPECT_TRUE(r.pexpireat("k:e", in_an_hour + 1s, ExpireCondition::xx));
  EXPECT_GT(r.pexpiretime("k:e"), s.count() * 1000);
  EXPECT_TRUE(r.persist("k:e"));
  EXPECT_EQ(r.ttl("k:e"), -1);
  EXPECT_EQ(r.expiretime("k:none"), -2);
}

TEST_F(KeyCommandsTest, RenameCopyAndMove) {
  SyncClient r{options()};
  r.set("k:src", "v");
  r.rename("k:src", "k:dst");
  EXPECT_EQ(r.get("k:dst"), "v");
  r.set("k:other", "o");
  EXPECT_FALSE(r.renamenx("k:dst", "k:other"));
  EXPECT_TRUE(r.renamenx("k:dst", "k:fresh"));
  EXPECT_TRUE(r.copy("k:fresh", "k:copy"));
  EXPECT_FALSE(r.copy("k:fresh", "k:copy"));
  EXPECT_TRUE(r.copy("k:fresh", "k:copy", {.replace = true}));
  EXPECT_TRUE(r.copy("k:fresh", "k:copy", {.db = 1}));
  EXPECT_TRUE(r.move("k:copy", 2));
  EXPECT_EQ(r.exists("k:copy"), 0);
  EXPECT_EQ(r.command<long long>("DBSIZE"), 2);
}

TEST_F(KeyCommandsTest, ObjectIntrospection) {
  SyncClient r{options()};
  r.set("k:int", "12345");
  r.rpush("k:list", {"a", "b"});
  EXPECT_EQ(r.object_encoding("k:int"), "int");
  EXPECT_TRUE(r.object_encoding("k:list").has_value());
  EXPECT_EQ(r.object_encoding("k:none"), std::nullopt);
  EXPECT_GE(r.object_refcount("k:list").value_or(-1), 1);
  EXPECT_GE(r.object_idletime("k:list").value_or(-1), 0);
  r.config_set("maxmemory-policy", "allkeys-lfu");
  EXPECT_GE(r.object_freq("k:list").value_or(-1), 0);
}

TEST_F(KeyCommandsTest, DumpAndRestoreAreBinarySafe) {
  SyncClient r{options()};
  const std::string value("a\0b\r\nc", 6);
  r.set("k:bin", value);
  const auto dumped = r.dump("k:bin");
  ASSERT_TRUE(dumped.has_value());
  EXPECT_EQ(r.dump("k:none"), std::nullopt);
  r.restore("k:restored", 0ms, *dumped);
  EXPECT_EQ(r.get("k:restored"), value);
  EXPECT_THROW(r.restore("k:restored", 0ms, *dumped), ReplyError);  // BUSYKEY
  r.restore("k:restored", 60000ms, *dumped, {.replace = true, .idletime = 10});
  EXPECT_GT(r.pttl("k:restored"), 0);
}

TEST_F(KeyCommandsTest, SortWithPatternsAndStore) {
  SyncClient r{options()};
  r.rpush("k:ids", {"3", "1", "2"});
  r.mset({{"k:w_1", "30"}, {"k:w_2", "20"}, {"k:w_3", "10"}, {"k:o_1", "one"}, {"k:o_3", "three"}});
  using V = std::vector<std::optional<std::string>>;
  EXPECT_EQ(r.sort("k:ids"), (V{"1", "2", "3"}));
  EXPECT_EQ(r.sort("k:ids", {.order = SortOptions::Order::desc}), (V{"3", "2", "1"}));
  EXPECT_EQ(r.sort("k:ids", {.by = "k:w_*"}), (V{"3", "2", "1"}));
  EXPECT_EQ(r.sort("k:ids", {.get = {"#", "k:o_*"}}),
            (V{"1", "one", "2", std::nullopt, "3", "three"}));
  EXPECT_EQ(r.sort("k:ids", {.limit = {{1, 1}}}), (V{"2"}));
  EXPECT_EQ(r.sort_ro("k:ids", {.alpha = true}), (V{"1", "2", "3"}));
  EXPECT_EQ(r.sort_store("k:ids", "k:sorted", {.by = "k:w_*"}), 3);
  EXPECT_EQ(r.lrange("k:sorted", 0, -1), (std::vector<std::string>{"3", "2", "1"}));
}

TEST_F(KeyCommandsTest, ScanPageByPage) {
  SyncClient r{options()};
  r.mset({{"k:s1", "1"}, {"k:s2", "2"}, {"other", "3"}});
  r.hset("k:h", "f", "v");
  std::set<std::string> seen;
  std::uint64_t cursor = 0;
  do {
    auto page = r.scan(cursor, {.match = "k:*", .count = 1});
    seen.insert(page.items.begin(), page.items.end());
    cursor = page.cursor;
  } while (cursor != 0);
  EXPECT_EQ(seen, (std::set<std::string>{"k:h", "k:s1", "k:s2"}));
  const auto hashes = r.scan(0, {.count = 100, .type = "hash"});
  EXPECT_EQ(hashes.items, std::vector<std::string>{"k:h"});
}

TEST_F(KeyCommandsTest, WaitAndMigrate) {
  SyncClient r{options()};
  r.set("k:w", "1");
  EXPECT_EQ(r.wait(0, 100ms), 0);  // no replicas: returns at once

  test::RedisServer target;
  r.mset({{"k:m1", "a"}, {"k:m2", "b"}});
  EXPECT_EQ(r.migrate(target.host(), target.port(), {"k:m1", "k:m2"}, 0, 5000ms), "OK");
  EXPECT_EQ(r.exists({"k:m1", "k:m2"}), 0);
  EXPECT_EQ(target.cli("GET", "k:m2"), "b");
  EXPECT_EQ(r.migrate(target.host(), target.port(), {"k:none"}, 0, 5000ms), "NOKEY");
  r.set("k:m3", "c");
  EXPECT_EQ(r.migrate(target.host(), target.port(), "k:m3", 0, 5000ms, {.copy = true}), "OK");
  EXPECT_EQ(r.get("k:m3"), "c");
}

TEST_F(KeyCommandsTest, WaitRespectsItsBlockWindowOverTheCommandTimeout) {
  // One replica that will never acknowledge (it is not one): WAIT 1 blocks for its timeout,
  // longer than the command timeout, and still completes.
  auto o = options();
  o.command_timeout = 250ms;
  SyncClient r{o};
  r.set("k:w", "1");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(r.wait(1, 1000ms), 0);
  // A lower bound only: the server cannot answer before its timeout.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 900ms);
}

}  // namespace
}  // namespace redwire::testing
