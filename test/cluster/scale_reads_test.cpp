// scale_reads (FAULTS row 24): reads go to replicas (READONLY sent on their links), writes to
// masters — counted with INFO commandstats on every node.
#include <atomic>
#include <span>

#include "cluster_fixture.hpp"

namespace redwire::cluster_testing {
namespace {

struct Counts {
  long long master_gets = 0, replica_gets = 0, master_sets = 0, replica_readonly = 0;
};

Counts count_commands() {
  Counts c;
  for (RedisServer* m : topology().masters()) {
    c.master_gets += info_counter(*m, "commandstats", "cmdstat_get", "calls");
    c.master_sets += info_counter(*m, "commandstats", "cmdstat_set", "calls");
  }
  for (RedisServer* r : topology().replicas()) {
    c.replica_gets += info_counter(*r, "commandstats", "cmdstat_get", "calls");
    c.replica_readonly += info_counter(*r, "commandstats", "cmdstat_readonly", "calls");
  }
  return c;
}

void reset_stats() {
  for (const auto& n : topology().nodes()) {
    if (n->running()) n->cli("CONFIG", "RESETSTAT");
  }
}

TEST(ClusterScaleReads, ReplicaModeReadsFromReplicasAndWritesToMasters) {
  ClusterOptions opts = cluster_options();
  opts.scale_reads = cluster::ScaleReads::replica;
  SyncClusterClient r{opts};
  constexpr int n = 300;
  for (int i = 0; i < n; ++i) r.set("reads:" + std::to_string(i), std::to_string(i));
  for (RedisServer* m : topology().masters()) m->wait_replicated(1);  // replicas caught up
  reset_stats();
  for (int i = 0; i < n; ++i) r.set("reads:w:" + std::to_string(i), "x");
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(r.get("reads:" + std::to_string(i)), std::to_string(i)) << i;
  }
  const Counts c = count_commands();
  EXPECT_EQ(c.master_gets, 0);
  EXPECT_EQ(c.replica_gets, n);
  EXPECT_EQ(c.master_sets, n);
  RecordProperty("replica_gets", static_cast<int>(c.replica_gets));
}

TEST(ClusterScaleReads, ReplicaLinksSendReadonlyInTheirHandshake) {
  ClusterOptions opts = cluster_options();
  opts.scale_reads = cluster::ScaleReads::replica;
  reset_stats();
  SyncClusterClient r{opts};
  for (int i = 0; i < 50; ++i) r.get("ro:" + std::to_string(i));
  EXPECT_GE(count_commands().replica_readonly, 3);  // one link per replica at least
}

TEST(ClusterScaleReads, MasterModeKeepsEveryReadOnMasters) {
  SyncClusterClient r{cluster_options()};
  reset_stats();
  for (int i = 0; i < 100; ++i) r.get("mreads:" + std::to_string(i));
  const Counts c = count_commands();
  EXPECT_EQ(c.master_gets, 100);
  EXPECT_EQ(c.replica_gets, 0);
}

TEST(ClusterScaleReads, AReadRouterDecidesForEveryRead) {
  ClusterOptions opts = cluster_options();
  std::atomic<int> asked{0};
  opts.read_router = [&](std::span<const cluster::ClusterNode* const> candidates,
                         std::string_view command) {
    ++asked;
    EXPECT_EQ(command, "GET");
    EXPECT_EQ(candidates.front()->role, cluster::NodeRole::master);
    return candidates.size() > 1 ? std::size_t{1} : std::size_t{0};  // the first replica
  };
  SyncClusterClient r{opts};
  r.set("router:k", "v");
  topology().master_of_slot(cluster::key_slot("router:k")).wait_replicated(1);
  reset_stats();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(r.get("router:k"), "v");
  EXPECT_EQ(asked.load(), 20);
  EXPECT_EQ(count_commands().replica_gets, 20);
}

}  // namespace
}  // namespace redwire::cluster_testing
