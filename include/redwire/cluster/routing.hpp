// Routing decisions, without I/O: where a command goes in a cluster, from the command table's
// key specifications (command_keys.hpp) and the CRC16 slot of each key.
//
//   std::vector<std::string_view> args{"MGET", "a", "b"};
//   CommandRoute r = route_command(args);      // Kind::split, merge = SplitMerge::mget
//   auto parts = split_by_slot(args, r.merge); // one MGET per slot
//
// The rules (docs/cluster.md):
//   - every key in one slot            -> that slot's node
//   - no keys                          -> any master (reads: per scale_reads), except the
//                                         fan-out commands below, which go to every master
//   - keys in several slots            -> MGET, MSET, DEL, UNLINK, EXISTS, TOUCH are split per
//                                         slot and merged; anything else is refused locally
//                                         with server_errc::crossslot (nothing is sent)
//   - MULTI/EXEC/DISCARD/WATCH/UNWATCH, SELECT, ASKING, READONLY, READWRITE, MONITOR, CLIENT
//     REPLY/TRACKING/CACHING and (un)subscribe commands change the state of one shared link and
//     are refused (errc::invalid_argument): use multi(), the subscriber, or a node's own client.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/cluster/slot_map.hpp"

namespace redwire::cluster {

/// How a multi-key command whose keys span slots is split and its replies merged.
enum class SplitMerge {
  none,    ///< not splittable
  mget,    ///< MGET: one array, values in key order
  sum,     ///< DEL, UNLINK, EXISTS, TOUCH: the sum of the parts' integers
  all_ok,  ///< MSET: OK when every part said OK
};

/// Keyless commands sent to every master, and how their replies combine.
enum class FanOut {
  none,
  all_ok,  ///< FLUSHALL, FLUSHDB, SCRIPT LOAD/FLUSH, FUNCTION LOAD/FLUSH/DELETE: the first
           ///< master's reply when none failed (else the first error)
  sum,     ///< DBSIZE
  concat,  ///< KEYS: every master's keys, master by master
};

struct CommandRoute {
  enum class Kind {
    slot,         ///< every key hashes to `slot`
    keyless,      ///< no keys: any master (reads per scale_reads)
    all_masters,  ///< keyless fan-out, combined per `fan_out`
    split,        ///< keys in several slots; split per slot, merged per `merge`
    cross_slot,   ///< keys in several slots and not splittable: refused (`detail`)
    refused,      ///< not usable through a cluster client (`detail`)
  };
  Kind kind = Kind::keyless;
  int slot = -1;
  SplitMerge merge = SplitMerge::none;
  FanOut fan_out = FanOut::none;
  std::string detail;
};

/// Decides how a command (args[0] is the name) is routed. Shard channels (SPUBLISH) count as
/// keys. Unknown commands (modules) have no known keys and are routed as keyless.
CommandRoute route_command(std::span<const std::string_view> args);

/// The slot every key of `args` hashes to: -1 when there are no keys, -2 when they span slots
/// (then `detail` names two keys and their slots).
int common_slot(std::span<const std::string_view> args, std::string* detail = nullptr);

/// One per-slot part of a split command.
struct SplitPart {
  int slot = 0;
  std::string payload;                 ///< the encoded sub-command
  std::vector<std::size_t> positions;  ///< MGET: where each of its values goes in the merged reply
};

/// Splits MGET/DEL/UNLINK/EXISTS/TOUCH (one key per argument) or MSET (key value pairs) into
/// one command per slot, ordered by each slot's first key. Keys keep their relative order
/// inside a part; duplicates are kept (EXISTS counts them, as the server would).
std::vector<SplitPart> split_by_slot(std::span<const std::string_view> args, SplitMerge merge);

/// Where reads go (ioredis's scaleReads).
enum class ScaleReads {
  master,   ///< every command to the slot's master (the default: reads see every write)
  replica,  ///< read-only commands to a healthy replica (the master when there is none)
  any,      ///< read-only commands to any healthy node of the shard, the master included
};

/// The nodes a command may use: the master first, then the replicas that are online (loading
/// and failed ones are left out). Empty when the shard has no master.
std::vector<const ClusterNode*> read_candidates(const Shard& shard);

/// Picks the node of `shard` for a command. Writes (readonly == false) always go to the
/// master; reads per `mode`, choosing among candidates with `random` (any number). nullptr
/// when the shard has no master.
const ClusterNode* pick_node(const Shard& shard, bool readonly, ScaleReads mode,
                             std::uint64_t random);

}  // namespace redwire::cluster
