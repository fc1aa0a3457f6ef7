// MOVED and ASK error replies: which slot, and which node to ask instead.
//
//   auto r = redwire::cluster::parse_redirect("MOVED 3999 127.0.0.1:6381");
//   r->kind == Redirect::Kind::moved; r->slot == 3999; r->target.port == 6381
//
// https://redis.io/docs/reference/cluster-spec/#moved-redirection
#pragma once

#include <optional>
#include <string_view>

#include "redwire/cluster/node_address.hpp"

namespace redwire::cluster {

struct Redirect {
  enum class Kind {
    moved,  ///< the slot lives elsewhere for good: update the slot map, ask there
    ask,    ///< the slot is migrating: ask there once (after ASKING), keep the map
  };
  Kind kind = Kind::moved;
  int slot = 0;
  /// The node to ask. An empty host means "the host of the node that answered" (the server
  /// announces an unknown endpoint as "?" or nothing: see cluster-preferred-endpoint-type).
  NodeAddress target;
};

/// Parses the text of an error reply ("MOVED 3999 127.0.0.1:6381", "ASK 3999 [::1]:7000",
/// "MOVED 3999 ::1:7000", "MOVED 3999 redis-2.example:6379", "MOVED 3999 ?:6379"). nullopt when
/// it is not a redirect or it is malformed (slot outside 0..16383, missing or bad port).
std::optional<Redirect> parse_redirect(std::string_view error_text);

}  // namespace redwire::cluster
