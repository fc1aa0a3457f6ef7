// Self-test of ClusterTopology: 3 masters + 3 replicas covering all slots.
#include <gtest/gtest.h>

#include <set>

#include "redwire/test/cluster_topology.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/raw_connection.hpp"

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

}  // namespace
}  // namespace redwire::test
