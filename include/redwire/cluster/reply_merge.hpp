// Combining the replies of a command that ran in parts (a multi-key command split per slot, a
// keyless command sent to every master) into the one reply the caller asked for. No I/O.
//
//   // MGET a b c, split as MGET a c (slot 1) and MGET b (slot 2):
//   Reply r = merge_replies(MergeKind::mget, parts, {{0, 2}, {1}}, 3);   // [a, b, c]
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "redwire/resp/reply.hpp"

namespace redwire::cluster {

enum class MergeKind {
  mget,    ///< arrays whose elements go to the given positions of one array
  sum,     ///< integers added up (DEL, UNLINK, EXISTS, TOUCH, DBSIZE)
  all_ok,  ///< the first part's reply (MSET, FLUSHALL, SCRIPT LOAD, ...)
  concat,  ///< arrays appended in part order (KEYS)
};

/// The merged reply. When a part's reply is an error reply, the first one (in part order) is
/// the result, as the server would have answered a command that failed. A part whose reply
/// has the wrong shape yields an "ERR" error reply that says which part and why.
/// `positions` (mget only): for each part, the position of each of its elements in the merged
/// array of `total` elements.
Reply merge_replies(MergeKind kind, std::span<const Reply> parts,
                    std::span<const std::vector<std::size_t>> positions = {},
                    std::size_t total = 0);

/// Appends the subtree under `v` to `builder` (node by node).
void append_subtree(resp::ReplyBuilder& builder, ReplyView v);

}  // namespace redwire::cluster
