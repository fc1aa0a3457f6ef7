// Self-test of SentinelTopology: the sentinels agree, and a manual failover moves the master.
#include <gtest/gtest.h>

#include "redwire/test/gtest.hpp"
#include "redwire/test/sentinel_topology.hpp"

namespace redwire::test {
namespace {

TEST(SentinelTopology, SentinelsAgreeAndManualFailoverChangesTheMaster) {
  SentinelTopology topo;
  ASSERT_EQ(topo.servers().size(), 3u);
  ASSERT_EQ(topo.sentinels().size(), 3u);
  EXPECT_EQ(topo.master_name(), "mymaster");

  const auto [host, port] = topo.master_address();
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, topo.server(0).port());
  for (std::size_t i = 0; i < topo.sentinels().size(); ++i) {
    auto state = topo.sentinel_master_state(i);
    EXPECT_EQ(state["num-slaves"], "2");
    EXPECT_EQ(state["num-other-sentinels"], "2");
    EXPECT_EQ(state["quorum"], "2");
    EXPECT_EQ(state["down-after-milliseconds"], "1000");
    EXPECT_EQ(state["failover-timeout"], "3000");
  }
  topo.master().cli("SET", "before", "failover");
  topo.master().wait_replicated(2);                // both replicas have it
  const std::uint16_t new_port = topo.failover();  // waits for the replicas to follow too
  EXPECT_NE(new_port, port);
  EXPECT_EQ(topo.master().port(), new_port);
  EXPECT_EQ(topo.master().info_field("replication", "role"), "master");
  EXPECT_EQ(topo.master().cli("GET", "before"), "failover");
  // The old master was turned into a replica of the new one.
  EXPECT_EQ(topo.server(0).info_field("replication", "master_port"), std::to_string(new_port));
  EXPECT_EQ(topo.replicas().size(), 2u);
}

}  // namespace
}  // namespace redwire::test
