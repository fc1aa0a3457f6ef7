// A throwaway Sentinel deployment: 1 master + 2 replicas + 3 redis-sentinel processes on free
// loopback ports, master name "mymaster", quorum 2, down-after 1000 ms, failover-timeout
// 3000 ms. Up when every sentinel knows the master, both replicas and the other sentinels.
//
//   SentinelTopology topo;                             // ~3-5 s (sentinel hello period: 2 s)
//   auto [host, port] = topo.master_address();         // asked from the sentinels
//   std::uint16_t new_port = topo.failover();          // SENTINEL FAILOVER + wait
//   topo.sentinel(0).pause();                          // an unresponsive sentinel
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "redwire/test/redis_server.hpp"

namespace redwire::test {

struct SentinelOptions {
  std::string master_name = "mymaster";
  int replicas = 2;
  int sentinels = 3;
  int quorum = 2;
  std::chrono::milliseconds down_after = std::chrono::milliseconds(1000);
  std::chrono::milliseconds failover_timeout = std::chrono::milliseconds(3000);
  /// requirepass + masterauth on the data nodes, `sentinel auth-pass` on the sentinels.
  std::string requirepass{};
  /// Extra config directives for the data nodes.
  std::vector<std::string> config{};
  /// `SENTINEL DEBUG info-period 1000 publish-period 500` on every sentinel (runtime only:
  /// call fast_timers(i) again after restarting sentinel i). Without it a sentinel refreshes
  /// a node's INFO every 10 s, so re-converging after a failover takes ~20 s instead of ~2 s.
  bool fast_timers = true;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
};

class SentinelTopology {
 public:
  /// Starts the data nodes, waits for the replicas' links, starts the sentinels and waits until
  /// they agree (see wait_healthy). Throws std::runtime_error on timeout.
  explicit SentinelTopology(SentinelOptions options = {});
  ~SentinelTopology();
  SentinelTopology(const SentinelTopology&) = delete;
  SentinelTopology& operator=(const SentinelTopology&) = delete;

  const std::string& master_name() const noexcept { return options_.master_name; }
  /// Data nodes in start order: [0] was the first master (roles change on failover).
  RedisServer& server(std::size_t i) { return *servers_.at(i); }
  const std::vector<std::unique_ptr<RedisServer>>& servers() const noexcept { return servers_; }
  RedisServer& sentinel(std::size_t i) { return *sentinels_.at(i); }
  const std::vector<std::unique_ptr<RedisServer>>& sentinels() const noexcept { return sentinels_; }
  std::vector<std::uint16_t> sentinel_ports() const;
  /// The data node listening on `port`, or nullptr.
  RedisServer* server_by_port(std::uint16_t port);

  /// SENTINEL GET-MASTER-ADDR-BY-NAME from the first sentinel that answers.
  std::pair<std::string, std::uint16_t> master_address();
  /// The data node the sentinels name as master.
  RedisServer& master();
  /// The data nodes other than master().
  std::vector<RedisServer*> replicas();
  /// Applies the fast INFO/hello periods (see SentinelOptions::fast_timers) to sentinel `i`.
  void fast_timers(std::size_t i);
  /// SENTINEL MASTER <name> from sentinel `i` as field -> value.
  std::map<std::string, std::string> sentinel_master_state(std::size_t i);

  /// SENTINEL FAILOVER through the first running sentinel, then waits until every running
  /// sentinel reports a new master, that node says role:master and (unless told not to) the
  /// other data nodes replicate from it. Returns the new master's port.
  std::uint16_t failover(std::chrono::milliseconds timeout = std::chrono::seconds(30),
                         bool wait_for_replicas = true);
  /// Polls until every running sentinel reports a master other than `old_port` and the node
  /// there says role:master. Returns its port.
  std::uint16_t wait_for_new_master(std::uint16_t old_port,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// Polls until every running sentinel agrees on the master, sees it up, knows all the
  /// replicas (up) and the other sentinels, every replica's link is up, and every replica has
  /// acknowledged a write made on the master after that (see wait_streaming).
  void wait_healthy(std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  std::string healthy_problem();
  /// A link that is up is not yet a replication stream: after a diskless full sync, Redis 7.0
  /// starts streaming to a replica on its first REPLCONF ACK, which can come up to a second
  /// later (an ACK that arrives before the master has finished the transfer is not counted).
  /// A failover in that second promotes a replica without any of the writes since its sync.
  /// Publishes on the master and waits until every running replica has acknowledged it.
  void wait_streaming(std::chrono::milliseconds timeout);

  SentinelOptions options_;
  std::vector<std::unique_ptr<RedisServer>> servers_;
  std::vector<std::unique_ptr<RedisServer>> sentinels_;
};

}  // namespace redwire::test
