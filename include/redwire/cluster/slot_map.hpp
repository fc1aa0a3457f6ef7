// Which node serves which hash slot: shards (a master, its replicas, their slots) as CLUSTER
// SHARDS (Redis 7) or CLUSTER SLOTS describes them, and a slot -> shard table. Plain data: the
// cluster client keeps one, updates single slots on MOVED and replaces it on a refresh.
//
//   std::vector<Shard> shards;
//   std::string detail;
//   if (auto ec = parse_cluster_shards(reply.view(), shards, detail)) { ... }
//   SlotMap map(std::move(shards));
//   const ClusterNode* m = map.master_of(key_slot("user:1"));
//
// https://redis.io/commands/cluster-shards  https://redis.io/commands/cluster-slots
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "redwire/cluster/crc16.hpp"
#include "redwire/cluster/node_address.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire::cluster {

enum class NodeRole { master, replica };
enum class NodeHealth {
  online,
  loading,  ///< a replica still syncing: not used for reads
  failed,   ///< "fail" / "failed": not used at all
};

struct ClusterNode {
  std::string id;  ///< 40 hex characters (may be empty from old CLUSTER SLOTS replies)
  NodeAddress address;
  NodeRole role = NodeRole::replica;
  NodeHealth health = NodeHealth::online;
  bool operator==(const ClusterNode&) const = default;
};

struct Shard {
  std::vector<std::pair<int, int>> slot_ranges;  ///< inclusive
  std::vector<ClusterNode> nodes;                ///< the master first (when it has one)

  /// The master, or nullptr when the shard lists none.
  const ClusterNode* master() const noexcept;
  bool operator==(const Shard&) const = default;
};

class SlotMap {
 public:
  /// An empty map: every slot unassigned.
  SlotMap();
  /// Shards whose ranges overlap: the later one wins the overlapping slots.
  explicit SlotMap(std::vector<Shard> shards);

  std::span<const Shard> shards() const noexcept { return shards_; }
  /// The shard serving `slot`, or nullptr when it is unassigned (or `slot` is out of range).
  const Shard* shard_of(int slot) const noexcept;
  /// Its master, or nullptr.
  const ClusterNode* master_of(int slot) const noexcept;
  /// True when all 16384 slots are assigned.
  bool covers_all_slots() const noexcept;
  /// True when `address` is a node of the cluster (any role, any health).
  bool is_member(const NodeAddress& address) const noexcept;
  /// The node at `address`, or nullptr.
  const ClusterNode* find(const NodeAddress& address) const noexcept;
  /// Masters serving at least one slot, in shard order.
  std::vector<NodeAddress> masters() const;
  /// Every node, in shard order.
  std::vector<NodeAddress> nodes() const;

  /// A MOVED reply: `slot` is now served by `master`. The slot joins the shard whose master is
  /// at that address; when no shard has that master (a node learned from the redirect alone), a
  /// shard is added for it. The other slots are left as they are. (Shard::slot_ranges keep
  /// describing the last full topology; the slot -> shard table is what routing uses.)
  void assign(int slot, const NodeAddress& master);

 private:
  std::vector<Shard> shards_;
  std::array<std::int16_t, slot_count> owner_{};  // index into shards_, -1: unassigned
};

/// Parses a CLUSTER SHARDS reply (RESP2 flat key/value arrays or RESP3 maps). Node addresses
/// use the "endpoint" field (the server's preferred endpoint), else "ip"; the port is "port",
/// else "tls-port" — or, with `prefer_tls` (a client that connects with TLS), "tls-port", else
/// "port". (With `tls-cluster yes` a node announces both.) Shards without slots are kept (they hold
/// replicas of a failed master). An endpoint of "?" or "" (the server does not know how it is
/// reached) becomes `fallback_host`, the host of the node that answered. Returns
/// protocol_errc::unexpected_reply with a detail when the shape is wrong.
std::error_code parse_cluster_shards(ReplyView reply, std::string_view fallback_host,
                                     std::vector<Shard>& out, std::string& detail,
                                     bool prefer_tls = false);

/// Parses a CLUSTER SLOTS reply: [start, end, [host, port, id, ...], [replica...], ...] per
/// range. Ranges of the same master are merged into one shard. Health is reported as online.
std::error_code parse_cluster_slots(ReplyView reply, std::string_view fallback_host,
                                    std::vector<Shard>& out, std::string& detail);

}  // namespace redwire::cluster
