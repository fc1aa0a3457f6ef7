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

template <class Derived>
class Commands : public StringCommands<Derived>,
                 public KeyCommands<Derived>,
                 public HashCommands<Derived>,
                 public ListCommands<Derived>,
                 public SetCommands<Derived>,
                 public SortedSetCommands<Derived>,
                 public SortedSetOpCommands<Derived>,
                 public HyperLogLogCommands<Derived>,
                 public BitmapCommands<Derived>,
                 public GeoCommands<Derived>,
                 public ScriptingCommands<Derived>,
                 public ServerCommands<Derived>,
                 public DiagnosticCommands<Derived>,
                 public AdminCommands<Derived>,
                 public ConnectionCommands<Derived>,
                 public PubSubCommands<Derived>,
                 public StreamCommands<Derived> {};

}  // namespace redwire
