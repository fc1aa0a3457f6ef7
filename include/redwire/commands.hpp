// Typed commands, each written once. Client (async: the last argument is a completion token),
// SyncClient (blocking: no token, returns the value or throws) and Pipeline inherit these
// groups; `Derived::execute<T>(Command, token...)` decides what a call returns.
//
//   co_await redis.set("user:1001:name", "John", redwire::ex(3600s), asio::use_awaitable);
//   std::optional<std::string> name = sync.get("user:1001:name");
//
// A group is a CRTP mixin in include/redwire/commands/<group>.hpp.
#pragma once

#include "redwire/commands/core.hpp"
#include "redwire/commands/streams.hpp"

namespace redwire {

template <class Derived>
class Commands : public CoreCommands<Derived>, public StreamCommands<Derived> {};

}  // namespace redwire
