// Self-test of ClusterTopology: 3 masters + 3 replicas covering all slots.
#include <gtest/gtest.h>

#include <set>

#include "redwire/test/cluster_topology.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/raw_connection.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::test {
namespace {

TEST(ClusterTopology, ComesUpWithThreeMastersThreeReplicasAndAllSlots) {
  ClusterTopology& cluster = shared_cluster();
  ASSERT_EQ(cluster.size(), 6u);
  const auto masters = cluster.masters();
  const auto replicas = cluster.replicas();
  EXPECT_EQ(masters.size(), 3u);
  EXPECT_EQ(replicas.size(), 3u);

  int covered = 0;
  std::set<std::string> master_ids;
  const auto nodes = cluster.cluster_nodes();
  for (const auto& n : nodes) {
    if (!n.master) continue;
    master_ids.insert(n.id);
    for (auto [first, last] : n.slot_ranges) covered += last - first + 1;
  }
  EXPECT_EQ(covered, 16384);
  for (const auto& n : nodes) {
    if (!n.master) {
      EXPECT_TRUE(master_ids.contains(n.master_id)) << n.id;
    }
  }
  for (const auto& node : cluster.nodes()) {
    EXPECT_EQ(node->info_field("cluster", "cluster_enabled"), "1");
    EXPECT_NE(node->cluster_bus_port(), 0);
  }
  EXPECT_EQ(cluster.seed_url(), "redis://127.0.0.1:" + std::to_string(cluster.ports()[0]));
}

TEST(ClusterTopology, KeysLandOnTheMasterOfTheirSlotAndRedirectElsewhere) {
  ClusterTopology& cluster = shared_cluster();
  const int slot = cluster.key_slot("user:1001");
  RedisServer& owner = cluster.master_of_slot(slot);
  EXPECT_EQ(owner.cli("SET", "user:1001", "John"), "OK");
  for (RedisServer* m : cluster.masters()) {
    if (m == &owner) continue;
    RawConnection c = RawConnection::connect(m->host(), m->port());
    const std::string reply = c.command({"GET", "user:1001"});
    EXPECT_EQ(reply, "-MOVED " + std::to_string(slot) +
                         " 127.0.0.1:" + std::to_string(owner.port()) + "\r\n");
  }
}

TEST(ClusterTopology, KilledMasterIsReplacedAndRejoinsAsAReplicaAfterRestart) {
  using namespace std::chrono_literals;
  ClusterTopology cluster;  // its own: this test changes the roles
  const int slot = cluster.key_slot("k");
  RedisServer& old_owner = cluster.master_of_slot(slot);
  old_owner.cli("SET", "k", "v");
  old_owner.wait_replicated(1);

  old_owner.kill9();
  RedisServer* new_owner = nullptr;
  wait_until(
      [&] {
        new_owner = &cluster.master_of_slot(slot);
        return new_owner != &old_owner;
      },
      20s, "a replica to take over the slot", 100ms);
  EXPECT_EQ(new_owner->cli("GET", "k"), "v");

  old_owner.restart();  // same port and nodes.conf: it rejoins as a replica of the new master
  cluster.wait_healthy();
  EXPECT_EQ(old_owner.info_field("replication", "role"), "slave");
  EXPECT_EQ(old_owner.info_field("replication", "master_port"), std::to_string(new_owner->port()));
}

}  // namespace
}  // namespace redwire::test
