// Typed commands, each written once. Client (async: the last argument is a completion token),
// SyncClient (blocking: no token, returns the value or throws) and Pipeline inherit these
// groups; `Derived::execute<T>(Command, token...)` decides what a call returns.
//
//   co_await redis.set("user:1001:name", "John", redwire::ex(3600s), asio::use_awaitable);
//   std::optional<std::string> name = sync.get("user:1001:name");
//
// A group is a CRTP mixin in include/redwire/commands/<group>.hpp with a `typed_commands`
// registry; a unit test checks the registries against the command table (docs/commands.md).
#pragma once

#include <type_traits>

#include "redwire/commands/admin.hpp"
#include "redwire/commands/bitmaps.hpp"
#include "redwire/commands/connection.hpp"
#include "redwire/commands/diagnostics.hpp"
#include "redwire/commands/geo.hpp"
#include "redwire/commands/hashes.hpp"
#include "redwire/commands/hyperloglog.hpp"
#include "redwire/commands/keys.hpp"
#include "redwire/commands/lists.hpp"
#include "redwire/commands/pubsub.hpp"
#include "redwire/commands/scripting.hpp"
#include "redwire/commands/server.hpp"
#include "redwire/commands/sets.hpp"
#include "redwire/commands/sorted_set_ops.hpp"
#include "redwire/commands/sorted_sets.hpp"
#include "redwire/commands/streams.hpp"
#include "redwire/commands/strings.hpp"

namespace redwire {

/// The typed command groups, listed once: Commands<Derived> inherits them all, and the checks
/// that walk every group's `typed_commands` registry (the unit test against the command table,
/// the integration suite's coverage check) visit them through for_each_group.
template <template <class> class... Groups>
struct CommandGroupList {
  template <class Derived>
  class Inherit : public Groups<Derived>... {};
  /// Calls visit(std::type_identity<Group<Derived>>{}) for every group, in order.
  template <class Derived, class Visitor>
  static void for_each_group(Visitor&& visit) {
    (visit(std::type_identity<Groups<Derived>>{}), ...);
  }
};

using TypedCommandGroups =
    CommandGroupList<StringCommands, KeyCommands, HashCommands, ListCommands, SetCommands,
                     SortedSetCommands, SortedSetOpCommands, HyperLogLogCommands, BitmapCommands,
                     GeoCommands, ScriptingCommands, ServerCommands, DiagnosticCommands,
                     AdminCommands, ConnectionCommands, PubSubCommands, StreamCommands>;

template <class Derived>
class Commands : public TypedCommandGroups::Inherit<Derived> {};

}  // namespace redwire
