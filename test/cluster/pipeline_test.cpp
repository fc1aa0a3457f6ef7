// Cluster pipelines: split per node, sent in parallel, results in the caller's order; cross-slot
// commands inside them split or refused per command; transactions and scripts on one slot.
#include <set>

#include "cluster_fixture.hpp"

namespace redwire::cluster_testing {
namespace {

TEST(ClusterPipeline, TenThousandCommandsOverEveryNodeComeBackInOrder) {
  SyncClusterClient r{cluster_options()};
  constexpr int n = 10'000;
  auto writes = r.pipeline();
  std::set<int> slots;
  for (int i = 0; i < n; ++i) {
    const std::string key = "pipe:" + std::to_string(i);
    slots.insert(cluster::key_slot(key));
    writes.set(key, std::to_string(i * 3));
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto written = writes.exec();
  ASSERT_EQ(written.size(), static_cast<std::size_t>(n));
  EXPECT_TRUE(written.all_ok());

  auto mixed = r.pipeline();
  std::vector<Slot<std::optional<std::string>>> gets;
  std::vector<Slot<long long>> incrs;
  for (int i = 0; i < n; ++i) {
    const std::string key = "pipe:" + std::to_string(i);
    if (i % 2 == 0) {
      gets.push_back(mixed.get(key));
    } else {
      incrs.push_back(mixed.incr(key));
    }
  }
  auto results = mixed.exec();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_EQ(results.size(), static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < gets.size(); ++k) {
    ASSERT_EQ(results.value(gets[k]), std::to_string(static_cast<int>(k) * 2 * 3)) << k;
  }
  for (std::size_t k = 0; k < incrs.size(); ++k) {
    ASSERT_EQ(results.value(incrs[k]), (static_cast<long long>(k) * 2 + 1) * 3 + 1) << k;
  }
  EXPECT_GT(slots.size(), 5000u);
  RecordProperty(
      "two_pipelines_of_10000_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  EXPECT_EQ(r.stats().moved, 0u);
}

TEST(ClusterPipeline, CrossSlotCommandsInsideAreSplitOrRefusedOnTheirOwn) {
  SyncClusterClient r{cluster_options()};
  auto p = r.pipeline();
  p.mset({{"pc:a", "1"}, {"pc:b", "2"}, {"pc:c", "3"}});
  auto values = p.mget({"pc:c", "pc:a", "pc:none", "pc:b"});
  auto refused = p.command<bool>("MSETNX", "pc:x", "1", "pc:y", "2");
  auto count = p.del({"pc:a", "pc:b"});
  auto script = p.run_script<long long>(Script("return #KEYS + tonumber(ARGV[1])"),
                                        {"{pc}k1", "{pc}k2"}, {40});
  auto keyless = p.command<std::string>("PING");
  auto results = p.exec();
  EXPECT_EQ(results.value(values),
            (std::vector<std::optional<std::string>>{"3", "1", std::nullopt, "2"}));
  EXPECT_EQ(results[refused.index].error(), server_errc::crossslot);
  EXPECT_TRUE(results[refused.index].error_text().starts_with("CROSSSLOT"));
  EXPECT_EQ(results.value(count), 2);
  EXPECT_EQ(results.value(script), 42);
  EXPECT_EQ(results.value(keyless), "PONG");
  EXPECT_FALSE(r.get("pc:x"));
}

TEST(ClusterPipeline, StateChangingCommandsFailTheWholeExec) {
  SyncClusterClient r{cluster_options()};
  auto p = r.pipeline();
  p.set("pw:a", "1");
  p.command<void>("WATCH", "pw:a");
  try {
    p.exec();
    ADD_FAILURE() << "expected invalid_argument";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
  }
  EXPECT_FALSE(r.get("pw:a"));
}

TEST(ClusterTransaction, RunsOnTheMasterOfItsSlot) {
  SyncClusterClient r{cluster_options()};
  r.set("{acct:7}:balance", 100);
  auto tx = r.multi();
  auto left = tx.decrby("{acct:7}:balance", 30);
  auto spent = tx.incrby("{acct:7}:spent", 30);
  auto ping = tx.command<std::string>("PING");  // keyless commands are fine
  auto res = tx.exec();
  EXPECT_EQ(res.value(left), 70);
  EXPECT_EQ(res.value(spent), 30);
  EXPECT_EQ(res.value(ping), "PONG");
  RedisServer& owner = topology().master_of_slot(cluster::key_slot("acct:7"));
  EXPECT_EQ(owner.cli("GET", "{acct:7}:balance"), "70");
}

TEST(ClusterTransaction, KeysInSeveralSlotsAreRefusedWithCrossslot) {
  SyncClusterClient r{cluster_options()};
  auto tx = r.multi();
  tx.set("txa", "1");
  tx.set("txb", "2");
  try {
    tx.exec();
    ADD_FAILURE() << "expected CROSSSLOT";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::crossslot);
    EXPECT_NE(std::string(e.what()).find("use a {hash tag}"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(r.get("txa"));
}

TEST(ClusterScripts, KeysMustShareASlot) {
  SyncClusterClient r{cluster_options()};
  const Script script("return redis.call('MGET', KEYS[1], KEYS[2])");
  try {
    r.run_script<std::vector<std::optional<std::string>>>(script, {"sa", "sb"}, {});
    ADD_FAILURE() << "expected CROSSSLOT";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::crossslot);
  }
  r.set("{s}a", "1");
  EXPECT_EQ(r.run_script<std::vector<std::optional<std::string>>>(script, {"{s}a", "{s}b"}, {}),
            (std::vector<std::optional<std::string>>{"1", std::nullopt}));
}

}  // namespace
}  // namespace redwire::cluster_testing
