#include "redwire/test/cluster_topology.hpp"

#include "redwire/test/tls_certificates.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#include "redwire/test/child_process.hpp"

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kSlots = 16384;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

int to_int(std::string_view s) {
  int v = -1;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::vector<ClusterNodeInfo> parse_cluster_nodes(std::string_view text) {
  std::vector<ClusterNodeInfo> nodes;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, addr, flags, master, ping, pong, epoch, link;
    if (!(fields >> id >> addr >> flags >> master >> ping >> pong >> epoch >> link)) continue;
    ClusterNodeInfo n;
    n.id = id;
    const std::size_t colon = addr.rfind(':', addr.find('@'));
    if (colon != std::string::npos) {
      const std::size_t end = addr.find_first_of("@,", colon);
      n.port = static_cast<std::uint16_t>(to_int(addr.substr(colon + 1, end - colon - 1)));
    }
    n.myself = flags.find("myself") != std::string::npos;
    n.master = flags.find("master") != std::string::npos;
    n.failed = flags.find("fail") != std::string::npos;
    n.master_id = master == "-" ? "" : master;
    std::from_chars(epoch.data(), epoch.data() + epoch.size(), n.config_epoch);
    n.connected = link == "connected";
    std::string range;
    while (fields >> range) {
      if (range.empty() || range.front() == '[') continue;  // migrating/importing marker
      const std::size_t dash = range.find('-');
      if (dash == std::string::npos) {
        n.slot_ranges.emplace_back(to_int(range), to_int(range));
      } else {
        n.slot_ranges.emplace_back(to_int(range.substr(0, dash)), to_int(range.substr(dash + 1)));
      }
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

ClusterTopology::ClusterTopology(ClusterOptions options) : options_(std::move(options)) {
  const auto deadline = Clock::now() + options_.start_timeout;
  const int total = options_.masters * (1 + options_.replicas_per_master);
  std::vector<std::string> create{"redis-cli", "--cluster", "create"};
  for (int i = 0; i < total; ++i) {
    RedisServerOptions o;
    o.name = "cluster-node-" + std::to_string(i);
    o.cluster = true;
    o.appendonly = options_.appendonly;
    o.config = {"cluster-node-timeout " + std::to_string(options_.node_timeout.count())};
    if (options_.tls) {
      o.tls = true;
      o.tls_auth_clients = "no";
      // The bus always asks the connecting node for a certificate, whatever tls-auth-clients
      // says; the server certificate is for serverAuth only, so nodes present the client one.
      const TlsCertificates& certs = TlsCertificates::shared();
      o.config.insert(o.config.end(),
                      {"tls-cluster yes", "tls-replication yes",
                       "tls-client-cert-file \"" + certs.client_cert().string() + "\"",
                       "tls-client-key-file \"" + certs.client_key().string() + "\""});
    }
    o.config.insert(o.config.end(), options_.config.begin(), options_.config.end());
    nodes_.push_back(std::make_unique<RedisServer>(std::move(o)));
    create.push_back("127.0.0.1:" + std::to_string(nodes_.back()->port()));
  }
  create.insert(create.end(), {"--cluster-replicas", std::to_string(options_.replicas_per_master),
                               "--cluster-yes"});
  const CommandResult r = run_command(create, remaining(deadline));
  if (r.exit_code != 0) {
    throw std::runtime_error("ClusterTopology: redis-cli --cluster create failed:\n" + r.out +
                             r.err);
  }
  wait_healthy(remaining(deadline));
}

ClusterTopology::~ClusterTopology() = default;

std::vector<std::uint16_t> ClusterTopology::ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& n : nodes_) ports.push_back(n->port());
  return ports;
}

RedisServer* ClusterTopology::node_by_port(std::uint16_t port) {
  for (auto& n : nodes_) {
    if (n->port() == port) return n.get();
  }
  return nullptr;
}

std::string ClusterTopology::seed_url() const {
  return "redis://127.0.0.1:" + std::to_string(nodes_.front()->port());
}

std::vector<ClusterNodeInfo> ClusterTopology::cluster_nodes() {
  for (auto& n : nodes_) {
    if (!n->running() || n->paused()) continue;
    return parse_cluster_nodes(n->cli("CLUSTER", "NODES"));
  }
  throw std::runtime_error("ClusterTopology: no node is running");
}

std::vector<RedisServer*> ClusterTopology::masters() {
  std::vector<RedisServer*> out;
  for (const auto& info : cluster_nodes()) {
    if (info.master && !info.failed && !info.slot_ranges.empty()) {
      if (RedisServer* s = node_by_port(info.port)) out.push_back(s);
    }
  }
  return out;
}

std::vector<RedisServer*> ClusterTopology::replicas() {
  std::vector<RedisServer*> out;
  for (const auto& info : cluster_nodes()) {
    if (!info.master && !info.failed) {
      if (RedisServer* s = node_by_port(info.port)) out.push_back(s);
    }
  }
  return out;
}

RedisServer& ClusterTopology::master_of_slot(int slot) {
  for (const auto& info : cluster_nodes()) {
    if (!info.master || info.failed) continue;
    for (auto [first, last] : info.slot_ranges) {
      if (slot >= first && slot <= last) {
        if (RedisServer* s = node_by_port(info.port)) return *s;
      }
    }
  }
  throw std::runtime_error("ClusterTopology: no master serves slot " + std::to_string(slot));
}

int ClusterTopology::key_slot(std::string_view key) {
  for (auto& n : nodes_) {
    if (n->running() && !n->paused()) return std::stoi(n->cli("CLUSTER", "KEYSLOT", key));
  }
  throw std::runtime_error("ClusterTopology: no node is running");
}

std::string ClusterTopology::healthy_problem() {
  problem_node_ = nullptr;
  std::size_t running = 0;
  for (auto& n : nodes_) {
    if (!n->running()) continue;
    ++running;
    problem_node_ = n.get();
    const std::string info = n->cli("CLUSTER", "INFO");
    if (parse_info_field(info, "cluster_state") != "ok") {
      return "node " + std::to_string(n->port()) + " is not ok";
    }
    if (parse_info_field(info, "cluster_slots_ok") != std::to_string(kSlots)) {
      return "node " + std::to_string(n->port()) + " does not see all slots ok";
    }
    if (parse_info_field(info, "cluster_known_nodes") != std::to_string(nodes_.size())) {
      return "node " + std::to_string(n->port()) + " does not know every node yet";
    }
  }
  problem_node_ = nullptr;
  if (running != nodes_.size()) return "not every node is running";
  // Every node has the same picture of the cluster: the same current epoch, and for every node
  // the same role, master, config epoch and slots. After a failover or a slot move, gossip
  // spreads the new epochs node by node, and a node that acts on an old picture (a replica
  // asking for votes with a stale epoch, a client redirected to a former owner) fails.
  using NodeView = std::tuple<std::string, bool, std::string, std::uint64_t, bool,
                              std::vector<std::pair<int, int>>>;
  std::vector<NodeView> first_view;
  std::optional<std::string> first_epoch;
  for (auto& n : nodes_) {
    const auto epoch = parse_info_field(n->cli("CLUSTER", "INFO"), "cluster_current_epoch");
    std::vector<NodeView> view;
    for (auto& info : parse_cluster_nodes(n->cli("CLUSTER", "NODES"))) {
      view.emplace_back(info.id, info.master, info.master_id, info.config_epoch, info.failed,
                        std::move(info.slot_ranges));
    }
    std::sort(view.begin(), view.end());
    if (n == nodes_.front()) {
      first_view = std::move(view);
      first_epoch = epoch;
    } else if (epoch != first_epoch) {
      problem_node_ = n.get();
      return "node " + std::to_string(n->port()) + " has current epoch " + epoch.value_or("?") +
             ", node " + std::to_string(nodes_.front()->port()) + " " + first_epoch.value_or("?");
    } else if (view != first_view) {
      problem_node_ = n.get();
      return "node " + std::to_string(n->port()) +
             " sees other roles, config epochs or slot owners than node " +
             std::to_string(nodes_.front()->port());
    }
  }
  const auto infos = cluster_nodes();
  int masters = 0;
  for (const auto& m : infos) {
    if (!m.master || m.slot_ranges.empty()) continue;
    ++masters;
    int attached = 0;
    for (const auto& r : infos) {
      if (r.master_id != m.id || r.failed) continue;
      RedisServer* replica = node_by_port(r.port);
      if (replica != nullptr &&
          replica->info_field("replication", "master_link_status") == std::optional("up")) {
        ++attached;
      }
    }
    if (attached < options_.replicas_per_master) {
      problem_node_ = node_by_port(m.port);
      return "master " + std::to_string(m.port) + " has " + std::to_string(attached) +
             " attached replicas";
    }
  }
  if (masters != options_.masters) return std::to_string(masters) + " masters serve slots";
  return {};
}

std::string ClusterTopology::describe(RedisServer* suspect) {
  const auto ask = [](RedisServer& n, std::string_view what, std::string_view arg) {
    const CommandResult r = n.try_cli({std::string(what), std::string(arg)});
    return r.exit_code == 0 ? r.out : "(" + r.out + r.err + ")";
  };
  std::string out;
  for (auto& n : nodes_) {
    out += "--- node " + std::to_string(n->port()) + (n->running() ? "" : " (not running)");
    if (n.get() == suspect) out += " (the failing node)";
    out += "\n";
    if (!n->running()) continue;
    out += "CLUSTER NODES:\n" + ask(*n, "CLUSTER", "NODES");
    if (n.get() != suspect) continue;
    out += "CLUSTER INFO:\n" + ask(*n, "CLUSTER", "INFO");
  }
  if (suspect != nullptr) {
    const std::string log = suspect->log();
    std::size_t at = log.size();
    for (int lines = 0; lines < 41 && at != std::string::npos && at > 0; ++lines) {
      at = log.rfind('\n', at - 1);
    }
    out += "--- last lines of the log of node " + std::to_string(suspect->port()) + ":\n" +
           (at == std::string::npos ? log : log.substr(at + 1));
  }
  return out;
}

void ClusterTopology::wait_healthy(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    std::string problem;
    try {
      problem = healthy_problem();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (problem.empty()) return;
    if (Clock::now() >= deadline) {
      throw std::runtime_error("ClusterTopology: not healthy after " +
                               std::to_string(timeout.count()) + " ms: " + problem + "\n" +
                               describe(problem_node_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

ClusterTopology& shared_cluster() {
  static ClusterTopology cluster;
  return cluster;
}

}  // namespace redwire::test
