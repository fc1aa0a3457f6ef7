// Sentinel: the guide's `new Redis({ sentinels: [...], name: 'mymaster' })` in redwire form,
// against a throwaway 1 master + 1 replica + 3 sentinels topology, then a manual failover
// that the client follows while it keeps counting.
#include <iostream>
#include <mutex>
#include <string>

#include "redwire/sentinel.hpp"
#include "redwire/test/sentinel_topology.hpp"
#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;

void run_sentinel_section() {
  heading("Sentinel");
  note("starting 1 master + 1 replica + 3 redis-sentinel processes (a few seconds)");
  redwire::test::SentinelTopology topo{{.replicas = 1, .sentinels = 3}};
  const auto ports = topo.sentinel_ports();
  std::cout << "  # sentinels on 127.0.0.1:" << ports[0] << ", :" << ports[1] << ", :" << ports[2]
            << "; master \"mymaster\" on 127.0.0.1:" << topo.master_address().second << "\n";

  redwire::SentinelOptions so;
  so.sentinels = {{"127.0.0.1", ports[0]}, {"127.0.0.1", ports[1]}};  // sentinels: [...]
  so.master_name = "mymaster";                                        // name: 'mymaster'
  // so.node.password = std::getenv("REDIS_PASSWORD");  // the data node's password, if any
  std::mutex print;
  so.node.on_event = [&](const redwire::Event& e) {
    if (e.type != redwire::EventType::ready && e.type != redwire::EventType::error) return;
    std::lock_guard lock(print);
    std::cout << "  [event] " << redwire::to_string(e.type) << " " << e.endpoint;
    if (!e.detail.empty()) std::cout << ": " << e.detail;
    std::cout << "\n";
  };
  redwire::SyncClient redis = redwire::sentinel_sync_client(so);
  show("redis.set(\"user:1001:name\", \"John\")", redis.set("user:1001:name", "John"));
  show("redis.incr(\"orders:count\")", redis.incr("orders:count"));

  note("SENTINEL FAILOVER mymaster: the client drops the old master as soon as a sentinel");
  note("announces the failover and connects to the node named by +switch-master");
  const std::uint16_t new_port = topo.failover(30s, false);
  std::cout << "  # the sentinels now name 127.0.0.1:" << new_port << "\n";
  show("redis.incr(\"orders:count\")  # on the new master", redis.incr("orders:count"));
  show("redis.get(\"user:1001:name\")", redis.get("user:1001:name"));
  show("(redis-cli on the new master) GET orders:count",
       topo.server_by_port(new_port)->cli("GET", "orders:count"));

  note("the old master rejoins as a replica of the new one (waiting for the sentinels to agree)");
  topo.wait_healthy();
  note("the URL form, reading from a replica:");
  const std::string url = "redis+sentinel://127.0.0.1:" + std::to_string(ports[2]) +
                          "/mymaster?role=replica&fallback_to_master=yes";
  std::cout << "  # " << url << "\n";
  redwire::SyncClient reader =
      redwire::sentinel_sync_client(redwire::SentinelOptions::from_url(url));
  show("reader.get(\"user:1001:name\")", reader.get("user:1001:name"));
  const auto role = reader.command<std::vector<redwire::Reply>>("ROLE");
  show("reader.command<std::vector<redwire::Reply>>(\"ROLE\")[0]", std::string(role.at(0).value()));
}

}  // namespace tour
