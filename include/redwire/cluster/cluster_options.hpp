// What a ClusterClient needs: where to start, how each node link behaves, and the cluster's own
// policies (redirects, retries, reads, address translation, topology refresh).
//
//   redwire::ClusterOptions opts;
//   opts.seeds = {{"127.0.0.1", 7000}, {"127.0.0.1", 7001}};
//   opts.node.password = "secret";                   // every node link: auth, timeouts, ...
//   opts.scale_reads = redwire::cluster::ScaleReads::replica;
//   opts.nat_map = {{"10.0.1.230:30001", {"203.0.113.7", 30001}}};
//
//   auto opts2 = redwire::ClusterOptions::from_url("redis://:secret@127.0.0.1:7000");
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "redwire/cluster/node_address.hpp"
#include "redwire/cluster/redirect_policy.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/cluster/slot_map.hpp"
#include "redwire/options.hpp"

namespace redwire {

/// Picks the node for a read-only command: `candidates` holds the slot's master first, then its
/// replicas that are online; `command` is the command's name. Return an index into
/// `candidates` (an index out of range means the master). Runs on the caller's thread; keep it
/// cheap and thread-safe.
using ReadRouter = std::function<std::size_t(
    std::span<const cluster::ClusterNode* const> candidates, std::string_view command)>;

/// Translates the address a node announces to the address to connect to (NAT, Docker port
/// maps, ...); nullopt keeps the announced one.
using NatMapper = std::function<std::optional<cluster::NodeAddress>(const cluster::NodeAddress&)>;

struct ClusterOptions {
  /// Startup nodes ("seeds"): any reachable member will do; the others are learned from it.
  std::vector<cluster::NodeAddress> seeds;
  /// Options of every node link: credentials, protocol, client name, timeouts, reconnect
  /// strategy, offline queue, key_prefix, on_event (called per node; Event::endpoint says
  /// which). host, port, path and db are ignored (a cluster has only db 0; db != 0 is refused);
  /// max_retries_per_request is 0 on node links: max_retries below owns the retries.
  Options node;

  /// MOVED/ASK hops one command may follow before it fails with errc::too_many_redirections.
  std::uint32_t max_redirections = 16;
  /// Retries of one command after TRYAGAIN, CLUSTERDOWN, or a link that failed before the
  /// command was written (a dead master, until its replica takes over), and the wait before
  /// each (50 ms doubling up to 500 ms). With the defaults a command rides out about 30 s of
  /// failover; the short cap lets it resume within half a second of the promotion.
  std::uint32_t max_retries = 64;
  cluster::RetryDelay retry_delay = cluster::exponential_retry_delay();

  /// Where read-only commands go (writes always go to masters). Replica links send READONLY
  /// in their handshake.
  cluster::ScaleReads scale_reads = cluster::ScaleReads::master;
  /// When set, decides the node of every read-only command instead of scale_reads.
  ReadRouter read_router;

  /// Announced address ("host:port", as the cluster announces it) -> address to connect to.
  std::map<std::string, cluster::NodeAddress> nat_map;
  /// Consulted when nat_map has no entry for an address.
  NatMapper nat_mapper;

  /// Topology refreshes (CLUSTER SHARDS, or CLUSTER SLOTS on servers before 7.0) follow
  /// MOVED, CLUSTERDOWN and link failures, at most once per this interval.
  std::chrono::milliseconds min_refresh_interval{250};
  /// Also refresh every so often (0 = only when something suggests the topology changed).
  std::chrono::milliseconds refresh_interval{10'000};
  /// Bound on one node's answer to a topology query (then the next node is asked).
  std::chrono::milliseconds refresh_timeout{2'000};

  /// Parses a redis:// URL into `node` options (credentials, protocol, name, timeouts) and one
  /// seed (its host and port). Sets ec (errc::invalid_url) on failure.
  static ClusterOptions from_url(std::string_view url, std::error_code& ec);
  /// Same, throwing std::system_error.
  static ClusterOptions from_url(std::string_view url);

  /// The address to connect to for an announced one (nat_map, then nat_mapper).
  cluster::NodeAddress translate(const cluster::NodeAddress& announced) const;
  /// Checks the options: seeds present, db 0, no unix socket. Returns the reason otherwise.
  std::error_code validate(std::string& detail) const;
};

}  // namespace redwire
