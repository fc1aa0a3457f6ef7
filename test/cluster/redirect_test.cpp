// Redirects on a live cluster, slot migrations done by hand (FAULTS rows 20, 21, 22, 25): ASK
// is followed with ASKING and leaves the slot map alone; TRYAGAIN is retried until the
// migration ends; a MIGRATING-without-IMPORTING loop is capped with a clear error; a MOVED to
// a node the client has not seen is followed once a refresh shows it is a member.
#include <future>
#include <thread>

#include "cluster_fixture.hpp"
#include "redwire/test/child_process.hpp"

namespace redwire::cluster_testing {
namespace {

TEST(ClusterRedirects, AskIsFollowedWithAskingAndTheMapStays) {
  SyncClusterClient r{cluster_options()};
  const int slot = cluster::key_slot("ask");
  RedisServer& source = topology().master_of_slot(slot);
  RedisServer& target = other_master(source);
  for (int i = 0; i < 5; ++i) r.set("{ask}" + std::to_string(i), "v" + std::to_string(i));
  SlotMigration migration(slot, source, target);
  migration.begin();
  migration.move_key("{ask}0");
  const auto before = r.stats();

  EXPECT_EQ(r.get("{ask}0"), "v0");         // source: ASK -> target, with ASKING
  EXPECT_EQ(r.get("{ask}1"), "v1");         // still on the source
  EXPECT_TRUE(r.set("{ask}new", "fresh"));  // absent on the source: created on the target
  EXPECT_EQ(target.cli("CLUSTER", "COUNTKEYSINSLOT", slot), "2");
  const auto during = r.stats();
  EXPECT_GE(during.ask, before.ask + 2);
  EXPECT_EQ(during.moved, before.moved);
  EXPECT_EQ(r.async().slot_map().master_of(slot)->address.port, source.port());  // no map update

  for (int i = 1; i < 5; ++i) migration.move_key("{ask}" + std::to_string(i));
  migration.finish();
  EXPECT_EQ(r.get("{ask}3"), "v3");  // MOVED now: the map learns the new owner
  EXPECT_GE(r.stats().moved, before.moved + 1);
  EXPECT_EQ(r.async().slot_map().master_of(slot)->address.port, target.port());
  EXPECT_EQ(r.get("{ask}new"), "fresh");
}

TEST(ClusterRedirects, TryagainOnAMultiKeyCommandIsRetriedUntilTheMigrationEnds) {
  SyncClusterClient r{cluster_options()};
  const int slot = cluster::key_slot("try");
  RedisServer& source = topology().master_of_slot(slot);
  RedisServer& target = other_master(source);
  r.mset({{"{try}a", "A"}, {"{try}b", "B"}});
  SlotMigration migration(slot, source, target);
  migration.begin();
  migration.move_key("{try}a");  // one key here, one there: MGET gets TRYAGAIN
  EXPECT_TRUE(source.cli("MGET", "{try}a", "{try}b").starts_with("TRYAGAIN"));
  const auto before = r.stats();
  auto pending = std::async(std::launch::async, [&] { return r.mget({"{try}a", "{try}b"}); });
  std::this_thread::sleep_for(300ms);
  migration.move_key("{try}b");
  migration.finish();
  ASSERT_EQ(pending.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(pending.get(), (std::vector<std::optional<std::string>>{"A", "B"}));
  EXPECT_GE(r.stats().retries, before.retries + 2);
}

TEST(ClusterRedirects, ARedirectLoopIsCappedWithAClearError) {
  ClusterOptions opts = cluster_options();
  opts.max_redirections = 5;
  SyncClusterClient r{opts};
  const int slot = cluster::key_slot("loop");
  RedisServer& source = topology().master_of_slot(slot);
  RedisServer& target = other_master(source);
  r.set("{loop}here", "1");
  SlotMigration migration(slot, source, target);
  migration.begin(false);  // MIGRATING without IMPORTING: ASK -> MOVED -> ASK -> ...
  try {
    r.get("{loop}absent");
    ADD_FAILURE() << "expected too_many_redirections";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::too_many_redirections);
    const std::string what = e.what();
    EXPECT_NE(what.find("more than 5 redirections"), std::string::npos) << what;
    EXPECT_NE(what.find("ASK " + std::to_string(slot) +
                        " from 127.0.0.1:" + std::to_string(source.port())),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("MOVED " + std::to_string(slot) +
                        " from 127.0.0.1:" + std::to_string(target.port())),
              std::string::npos)
        << what;
  }
  EXPECT_EQ(r.get("{loop}here"), "1");  // keys still on the source are served
  migration.abort();
  EXPECT_FALSE(r.get("{loop}absent"));
}

TEST(ClusterRedirects, ATransactionRefusedWithMovedIsSentToTheNewMaster) {
  SyncClusterClient r{cluster_options()};
  const int slot = cluster::key_slot("txmove");
  RedisServer& source = topology().master_of_slot(slot);
  RedisServer& target = other_master(source);
  r.set("{txmove}n", 1);
  SlotMigration migration(slot, source, target);
  migration.begin();
  migration.move_key("{txmove}n");
  migration.finish();  // the client's map still says `source`
  auto tx = r.multi();
  auto n = tx.incr("{txmove}n");
  auto res = tx.exec();
  EXPECT_EQ(res.value(n), 2);  // exactly once: the refused attempt never ran
  EXPECT_EQ(target.cli("GET", "{txmove}n"), "2");
}

TEST(ClusterRedirects, MovedToANodeNotYetKnownIsFollowedAfterAMembershipCheck) {
  SyncClusterClient r{cluster_options()};
  const int slot = cluster::key_slot("newnode");
  RedisServer& source = topology().master_of_slot(slot);
  r.set("{newnode}k", "before");
  ASSERT_EQ(r.nodes().size(), 6u);

  RedisServer extra{
      {.name = "cluster-node-extra", .cluster = true, .config = {"cluster-node-timeout 2000"}}};
  const auto add = test::run_command(
      {"redis-cli", "--cluster", "add-node", "127.0.0.1:" + std::to_string(extra.port()),
       "127.0.0.1:" + std::to_string(source.port())},
      30s);
  ASSERT_EQ(add.exit_code, 0) << add.out << add.err;
  test::wait_until(
      [&] {
        for (const auto& n : topology().nodes()) {
          if (test::parse_info_field(n->cli("CLUSTER", "INFO"), "cluster_known_nodes") != "7")
            return false;
        }
        const std::string info = extra.cli("CLUSTER", "INFO");
        return test::parse_info_field(info, "cluster_known_nodes") == "7" &&
               test::parse_info_field(info, "cluster_state") == "ok";
      },
      20s, "every node to know the new one, and it the cluster");
  SlotMigration to_extra(slot, source, extra);
  to_extra.begin();
  to_extra.move_key("{newnode}k");
  to_extra.finish();
  extra.cli("CLUSTER", "SETSLOT", slot, "NODE", node_id(extra));

  const auto before = r.stats();
  EXPECT_EQ(r.get("{newnode}k"), "before");  // MOVED to an unknown node: refresh, then follow
  EXPECT_TRUE(r.set("{newnode}k", "after"));
  EXPECT_EQ(extra.cli("GET", "{newnode}k"), "after");
  const auto after = r.stats();
  EXPECT_GE(after.refreshes, before.refreshes + 1);
  EXPECT_EQ(r.nodes().size(), 7u);

  // Put things back: the slot returns to its master, the extra node leaves the cluster.
  SlotMigration back(slot, extra, source);
  back.begin();
  back.move_key("{newnode}k");
  back.finish();
  extra.cli("CLUSTER", "SETSLOT", slot, "NODE", node_id(source));
  const auto del = test::run_command({"redis-cli", "--cluster", "del-node",
                                      "127.0.0.1:" + std::to_string(source.port()), node_id(extra)},
                                     30s);
  EXPECT_EQ(del.exit_code, 0) << del.out << del.err;
  topology().wait_healthy(30s);
  EXPECT_EQ(r.get("{newnode}k"), "after");
}

}  // namespace
}  // namespace redwire::cluster_testing
