// Cluster: the guide's `new Redis.Cluster([...], { scaleReads: 'slave' })` in redwire form,
// against a throwaway 3 masters + 3 replicas cluster: where keys go, hash tags, a cross-slot
// MGET (split per slot, merged in order — ioredis refuses it) and a pipeline over every node.
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "redwire/cluster.hpp"
#include "redwire/test/cluster_topology.hpp"
#include "sections.hpp"
#include "show.hpp"

namespace tour {

void run_cluster_section() {
  heading("Cluster");
  note("starting a throwaway cluster: 3 masters + 3 replicas (redis-cli --cluster create)");
  redwire::test::ClusterTopology topology;

  redwire::ClusterOptions options;  // new Redis.Cluster([{ host, port }, ...], {...})
  for (const auto& node : topology.nodes()) options.seeds.push_back({node->host(), node->port()});
  options.scale_reads = redwire::cluster::ScaleReads::replica;  // scaleReads: 'slave'
  redwire::SyncClusterClient cluster{options};
  show("cluster.ping()  # the first command waits for the slot map (CLUSTER SHARDS)",
       cluster.command<std::string>("PING"));

  for (const auto& m : cluster.masters()) std::cout << "  master " << m.to_string() << "\n";
  note("every key hashes to one of 16384 slots (CRC16); each slot has one master");
  for (const char* key : {"user:1001:name", "user:1002:name", "session:abc"}) {
    const int slot = redwire::cluster::key_slot(key);
    const auto* master = cluster.async().slot_map().master_of(slot);
    std::cout << "  key_slot(\"" << key << "\") = " << slot << "  ->  master "
              << (master ? master->address.to_string() : "?") << "\n";
    show("cluster.set(\"" + std::string(key) + "\", \"John\")", cluster.set(key, "John"));
  }

  note("hash tags: only the part in {braces} is hashed, so related keys share a slot");
  show("key_slot(\"user:{1001}:name\")",
       static_cast<long long>(redwire::cluster::key_slot("user:{1001}:name")));
  show("key_slot(\"user:{1001}:email\")",
       static_cast<long long>(redwire::cluster::key_slot("user:{1001}:email")));
  cluster.set("user:{1001}:email", "john@example.com");
  auto tx = cluster.multi();  // one slot: a transaction is allowed
  tx.set("user:{1001}:name", "John");
  auto renamed = tx.command<std::string>("RENAME", "user:{1001}:email", "user:{1001}:mail");
  show("cluster.multi() SET + RENAME on user:{1001}:*", tx.exec().value(renamed));

  note("keys in different slots: MGET is split per slot, sent in parallel, merged in order");
  show("cluster.mget({\"user:1001:name\", \"user:1002:name\", \"missing\", \"session:abc\"})",
       cluster.mget({"user:1001:name", "user:1002:name", "missing", "session:abc"}));
  show("cluster.del({\"user:1001:name\", \"user:1002:name\", \"missing\"})",
       cluster.del({"user:1001:name", "user:1002:name", "missing"}));
  try {
    cluster.command<bool>("MSETNX", "a", "1", "b", "2");
  } catch (const redwire::ReplyError& e) {
    note(std::string("MSETNX across slots is refused before sending: ") + e.what());
  }

  note("a pipeline of 1000 INCRs over every node: split per node, results in queue order");
  auto p = cluster.pipeline();
  std::vector<redwire::Slot<long long>> slots;
  std::set<std::string> nodes_used;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "counter:" + std::to_string(i);
    slots.push_back(p.incrby(key, i));
    nodes_used.insert(
        cluster.async().slot_map().master_of(redwire::cluster::key_slot(key))->address.to_string());
  }
  auto results = p.exec();
  std::cout << "  p.exec()  ->  " << results.size() << " results over " << nodes_used.size()
            << " masters; results[0] = " << results.value(slots[0])
            << ", results[999] = " << results.value(slots[999]) << "\n";

  note(
      "scaleReads 'slave': reads go to online replicas (READONLY on their links), writes to "
      "masters");
  show("cluster.get(\"session:abc\")", cluster.get("session:abc"));
  const auto stats = cluster.stats();
  std::cout << "  cluster.stats()  ->  " << stats.nodes_linked << " nodes linked, " << stats.moved
            << " MOVED followed, " << stats.refreshes << " topology refreshes\n";
}

}  // namespace tour
