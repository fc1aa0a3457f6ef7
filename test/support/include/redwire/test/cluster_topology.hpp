// A throwaway Redis Cluster: 3 masters + 3 replicas (by default) on free loopback ports, joined
// with `redis-cli --cluster create`, up when every node reports cluster_state:ok, all 16384
// slots are served and every replica's link to its master is up.
//
//   ClusterTopology cluster;                     // ~2-4 s
//   cluster.masters()[0]->cli("CLUSTER", "INFO");
//   RedisServer& owner = cluster.master_of_slot(cluster.key_slot("user:1"));
//
// Starting it once per test binary: shared_cluster() creates one on first use and stops it at
// exit. Note that gtest_discover_tests runs each test in its own process, so "once per binary"
// means once per ctest entry unless the cluster tests run as one entry (see docs/testing.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/test/redis_server.hpp"

namespace redwire::test {

struct ClusterOptions {
  int masters = 3;
  int replicas_per_master = 1;
  std::chrono::milliseconds node_timeout = std::chrono::milliseconds(2000);
  /// Extra config directives for every node.
  std::vector<std::string> config{};
  bool appendonly = false;
  /// Every node also listens with TLS (RedisServerOptions::tls) and the cluster bus and
  /// replication run over TLS (`tls-cluster yes`, `tls-replication yes`; nodes present the
  /// TlsCertificates client certificate to each other; clients need none). Nodes then announce
  /// their TLS port as "tls-port" in CLUSTER SHARDS next to the plain "port"; ports() and the
  /// harness keep using the plain ones.
  bool tls = false;
  /// Bound on the whole bring-up (start, create, converge).
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
};

/// One line of CLUSTER NODES.
struct ClusterNodeInfo {
  std::string id;
  std::uint16_t port = 0;
  bool myself = false;
  bool master = false;
  bool failed = false;             ///< flags contain fail or fail?
  std::string master_id{};         ///< for replicas
  std::uint64_t config_epoch = 0;  ///< a replica shows its master's
  bool connected = false;
  std::vector<std::pair<int, int>> slot_ranges{};  ///< inclusive
};

class ClusterTopology {
 public:
  /// Starts and joins the nodes; throws std::runtime_error (with redis-cli's output and the
  /// nodes' state) when the cluster does not converge within options.start_timeout.
  explicit ClusterTopology(ClusterOptions options = {});
  ~ClusterTopology();
  ClusterTopology(const ClusterTopology&) = delete;
  ClusterTopology& operator=(const ClusterTopology&) = delete;

  std::size_t size() const noexcept { return nodes_.size(); }
  RedisServer& node(std::size_t i) { return *nodes_.at(i); }
  const std::vector<std::unique_ptr<RedisServer>>& nodes() const noexcept { return nodes_; }
  std::vector<std::uint16_t> ports() const;
  /// The node listening on `port`, or nullptr.
  RedisServer* node_by_port(std::uint16_t port);
  /// Current roles, read from CLUSTER NODES of a running node (they change on failover).
  std::vector<RedisServer*> masters();
  std::vector<RedisServer*> replicas();
  /// The master serving `slot` now.
  RedisServer& master_of_slot(int slot);
  /// CLUSTER KEYSLOT through redis-cli.
  int key_slot(std::string_view key);
  /// "redis://127.0.0.1:<port of node 0>", a seed for the client.
  std::string seed_url() const;
  /// CLUSTER NODES as seen by the first running node, parsed.
  std::vector<ClusterNodeInfo> cluster_nodes();

  /// Polls until every running node reports cluster_state:ok, all slots are assigned, every
  /// node has the same picture of the cluster (current epoch; each node's role, master, config
  /// epoch and slots), and the expected number of masters each have their replicas attached
  /// (link up). Throws on timeout.
  void wait_healthy(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::string healthy_problem();
  /// Every node's CLUSTER NODES; for `suspect` also its CLUSTER INFO and the tail of its log.
  std::string describe(RedisServer* suspect);

  ClusterOptions options_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
  RedisServer* problem_node_ = nullptr;  ///< the node healthy_problem() last complained about
};

/// One cluster per process, created on first call (thread-safe), stopped at exit.
ClusterTopology& shared_cluster();

/// Parses CLUSTER NODES output.
std::vector<ClusterNodeInfo> parse_cluster_nodes(std::string_view text);

}  // namespace redwire::test
