#include "redwire/test/sentinel_topology.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

bool usable(RedisServer& s) {
  return s.running() && !s.paused();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// One replica entry of SENTINEL REPLICAS (redis-cli flattens the nested arrays: each entry is
// a run of field/value lines starting with "name").
struct ReplicaView {
  std::map<std::string, std::string> fields;
};

std::vector<ReplicaView> parse_replicas(const std::string& text) {
  std::vector<ReplicaView> out;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i + 1 < lines.size(); i += 2) {
    if (lines[i] == "name") out.emplace_back();
    if (!out.empty()) out.back().fields[lines[i]] = lines[i + 1];
  }
  return out;
}

}  // namespace

SentinelTopology::SentinelTopology(SentinelOptions options) : options_(std::move(options)) {
  const auto deadline = Clock::now() + options_.start_timeout;
  const auto data_node = [this](const std::string& name, std::vector<std::string> extra) {
    RedisServerOptions o;
    o.name = name;
    o.requirepass = options_.requirepass;
    o.config = options_.config;
    if (!options_.requirepass.empty()) {
      o.config.push_back("masterauth \"" + options_.requirepass + "\"");
    }
    o.config.insert(o.config.end(), extra.begin(), extra.end());
    return std::make_unique<RedisServer>(std::move(o));
  };
  servers_.push_back(data_node("sentinel-master", {}));
  const std::string master_port = std::to_string(servers_.front()->port());
  for (int i = 0; i < options_.replicas; ++i) {
    servers_.push_back(
        data_node("sentinel-replica-" + std::to_string(i), {"replicaof 127.0.0.1 " + master_port}));
  }
  const std::string& name = options_.master_name;
  for (int i = 0; i < options_.sentinels; ++i) {
    RedisServerOptions o;
    o.name = "sentinel-" + std::to_string(i);
    o.sentinel = true;
    o.config = {
        "sentinel monitor " + name + " 127.0.0.1 " + master_port + " " +
            std::to_string(options_.quorum),
        "sentinel down-after-milliseconds " + name + " " +
            std::to_string(options_.down_after.count()),
        "sentinel failover-timeout " + name + " " +
            std::to_string(options_.failover_timeout.count()),
        "sentinel parallel-syncs " + name + " 1",
    };
    if (!options_.requirepass.empty()) {
      o.config.push_back("sentinel auth-pass " + name + " \"" + options_.requirepass + "\"");
    }
    sentinels_.push_back(std::make_unique<RedisServer>(std::move(o)));
    if (options_.fast_timers) fast_timers(sentinels_.size() - 1);
  }
  wait_healthy(remaining(deadline));
}

SentinelTopology::~SentinelTopology() {
  sentinels_.clear();  // first, so that they do not react to the data nodes going away
  servers_.clear();
}

std::vector<std::uint16_t> SentinelTopology::sentinel_ports() const {
  std::vector<std::uint16_t> ports;
  for (const auto& s : sentinels_) ports.push_back(s->port());
  return ports;
}

RedisServer* SentinelTopology::server_by_port(std::uint16_t port) {
  for (auto& s : servers_) {
    if (s->port() == port) return s.get();
  }
  return nullptr;
}

std::pair<std::string, std::uint16_t> SentinelTopology::master_address() {
  std::string last_error = "no sentinel is running";
  for (auto& s : sentinels_) {
    if (!usable(*s)) continue;
    const auto lines = split_lines(s->cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", master_name()));
    if (lines.size() == 2) {
      return {lines[0], static_cast<std::uint16_t>(std::stoi(lines[1]))};
    }
    last_error = "unexpected reply from sentinel " + std::to_string(s->port());
  }
  throw std::runtime_error("SentinelTopology::master_address: " + last_error);
}

RedisServer& SentinelTopology::master() {
  const auto [host, port] = master_address();
  RedisServer* s = server_by_port(port);
  if (s == nullptr) {
    throw std::runtime_error("SentinelTopology: sentinels name an unknown master port " +
                             std::to_string(port));
  }
  return *s;
}

std::vector<RedisServer*> SentinelTopology::replicas() {
  RedisServer* m = &master();
  std::vector<RedisServer*> out;
  for (auto& s : servers_) {
    if (s.get() != m) out.push_back(s.get());
  }
  return out;
}

void SentinelTopology::fast_timers(std::size_t i) {
  const std::string reply =
      sentinel(i).cli("SENTINEL", "DEBUG", "info-period", 1000, "publish-period", 500);
  if (reply != "OK") throw std::runtime_error("SENTINEL DEBUG answered: " + reply);
}

std::map<std::string, std::string> SentinelTopology::sentinel_master_state(std::size_t i) {
  std::map<std::string, std::string> fields;
  const auto lines = split_lines(sentinel(i).cli("SENTINEL", "MASTER", master_name()));
  for (std::size_t k = 0; k + 1 < lines.size(); k += 2) fields[lines[k]] = lines[k + 1];
  return fields;
}

std::string SentinelTopology::healthy_problem() {
  const auto [host, port] = master_address();
  RedisServer* m = server_by_port(port);
  if (m == nullptr || !usable(*m)) return "master " + std::to_string(port) + " is not running";
  if (m->info_field("replication", "role") != "master") {
    return "node " + std::to_string(port) + " is not a master yet";
  }
  std::size_t live_replicas = 0;
  for (auto& s : servers_) {
    if (s.get() == m || !usable(*s)) continue;
    ++live_replicas;
    const std::string info = s->info("replication");
    if (parse_info_field(info, "master_port") != std::to_string(port) ||
        parse_info_field(info, "master_link_status") != "up") {
      return "replica " + std::to_string(s->port()) + " is not attached to " + std::to_string(port);
    }
  }
  for (std::size_t i = 0; i < sentinels_.size(); ++i) {
    RedisServer& s = *sentinels_[i];
    if (!usable(s)) continue;
    const std::string who = "sentinel " + std::to_string(s.port());
    auto state = sentinel_master_state(i);
    if (state["port"] != std::to_string(port)) return who + " still names " + state["port"];
    if (state["flags"] != "master") return who + " sees the master as " + state["flags"];
    if (state["num-other-sentinels"] != std::to_string(sentinels_.size() - 1)) {
      return who + " knows " + state["num-other-sentinels"] + " other sentinels";
    }
    std::size_t up = 0;
    for (const auto& r : parse_replicas(s.cli("SENTINEL", "REPLICAS", master_name()))) {
      const auto& f = r.fields;
      if (f.count("flags") && f.at("flags") == "slave" && f.count("master-link-status") &&
          f.at("master-link-status") == "ok" && f.count("master-port") &&
          f.at("master-port") == std::to_string(port)) {
        ++up;
      }
    }
    if (up < live_replicas) {
      return who + " sees " + std::to_string(up) + " of " + std::to_string(live_replicas) +
             " replicas up";
    }
  }
  return {};
}

void SentinelTopology::wait_streaming(std::chrono::milliseconds timeout) {
  RedisServer& m = master();
  std::size_t live_replicas = 0;
  for (auto& s : servers_) {
    if (s.get() != &m && usable(*s)) ++live_replicas;
  }
  // PUBLISH is propagated to replicas and touches no key.
  m.cli("PUBLISH", "redwire:harness:replicated", "1");
  m.wait_replicated(live_replicas, timeout);
}

void SentinelTopology::wait_healthy(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    std::string problem;
    try {
      problem = healthy_problem();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (problem.empty()) return wait_streaming(remaining(deadline));
    if (Clock::now() >= deadline) {
      throw std::runtime_error("SentinelTopology: not healthy after " +
                               std::to_string(timeout.count()) + " ms: " + problem);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::uint16_t SentinelTopology::wait_for_new_master(std::uint16_t old_port,
                                                    std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::string problem;
  for (;;) {
    try {
      std::uint16_t agreed = 0;
      problem.clear();
      for (auto& s : sentinels_) {
        if (!usable(*s)) continue;
        const auto lines =
            split_lines(s->cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", master_name()));
        const std::uint16_t port =
            lines.size() == 2 ? static_cast<std::uint16_t>(std::stoi(lines[1])) : 0;
        if (port == old_port || port == 0 || (agreed != 0 && port != agreed)) {
          problem = "sentinel " + std::to_string(s->port()) + " names " + std::to_string(port);
          break;
        }
        agreed = port;
      }
      if (problem.empty()) {
        RedisServer* m = server_by_port(agreed);
        if (m != nullptr && m->info_field("replication", "role") == "master") return agreed;
        problem = "node " + std::to_string(agreed) + " is not a master yet";
      }
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("SentinelTopology: no new master after " +
                               std::to_string(timeout.count()) + " ms: " + problem);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::uint16_t SentinelTopology::failover(std::chrono::milliseconds timeout,
                                         bool wait_for_replicas) {
  const auto deadline = Clock::now() + timeout;
  const std::uint16_t old_port = master_address().second;
  for (;;) {
    std::string reply = "no sentinel is running";
    for (auto& s : sentinels_) {
      if (!usable(*s)) continue;
      reply = s->cli("SENTINEL", "FAILOVER", master_name());
      break;
    }
    if (reply == "OK") break;
    // INPROG / NOGOODSLAVE right after a previous failover: retry until the bound.
    if (Clock::now() >= deadline) {
      throw std::runtime_error("SentinelTopology: SENTINEL FAILOVER answered: " + reply);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::uint16_t new_port = wait_for_new_master(old_port, remaining(deadline));
  if (wait_for_replicas) wait_healthy(remaining(deadline));
  return new_port;
}

}  // namespace redwire::test
