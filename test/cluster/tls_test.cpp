// A cluster whose nodes speak TLS to each other and to clients (`tls-cluster yes`): each node
// announces a plain "port" and a "tls-port" in CLUSTER SHARDS, and a client configured for TLS
// must be routed to the TLS ones. Runs on a 3-master cluster of its own.
#include "cluster_fixture.hpp"
#include "redwire/test/tls_certificates.hpp"

namespace redwire::cluster_testing {
namespace {

TEST(ClusterTls, ATlsClientIsRoutedToEveryNodesTlsPort) {
  ClusterTopology cluster({.masters = 3, .replicas_per_master = 0, .tls = true});
  ClusterOptions o;
  o.seeds = {{"127.0.0.1", cluster.nodes().front()->tls_port()}};
  o.refresh_interval = 0ms;
  o.node.tls.enabled = true;
  o.node.tls.ca_file = test::TlsCertificates::shared().ca_cert().string();
  SyncClusterClient r{o};
  for (int i = 0; i < 300; ++i) r.set("tls:key:" + std::to_string(i), std::to_string(i));
  for (int i = 0; i < 300; i += 37) {
    EXPECT_EQ(r.get("tls:key:" + std::to_string(i)), std::to_string(i));
  }
  long long total = 0;
  for (const auto& node : cluster.nodes()) {
    const long long keys = std::stoll(node->cli("DBSIZE"));
    EXPECT_GT(keys, 0) << "node " << node->port();
    total += keys;
    // The client's links to this node arrived on its TLS port.
    const std::string clients = node->cli("CLIENT", "LIST");
    EXPECT_NE(clients.find("laddr=127.0.0.1:" + std::to_string(node->tls_port())),
              std::string::npos)
        << "node " << node->port() << " (TLS " << node->tls_port() << "):\n"
        << clients;
  }
  EXPECT_EQ(total, 300);
  EXPECT_EQ(r.stats().failed_refreshes, 0u);
}

}  // namespace
}  // namespace redwire::cluster_testing
