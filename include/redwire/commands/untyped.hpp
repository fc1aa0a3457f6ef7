// The commands of the typed groups that deliberately have no typed method, each with the
// reason. A unit test (test/unit/command_registry_test.cpp) fails when a command of these
// groups in the command table has neither a typed method nor an entry here; docs/commands.md
// explains the list. Everything stays reachable through the generic command<T>(name, args...).
#pragma once

#include <string_view>

#include "redwire/command_info.hpp"

namespace redwire {

/// The groups whose every command must have a typed method or an entry in kUntypedCommands.
/// (The stream group is checked against StreamCommands' own registry when it has one.)
inline constexpr CommandGroup kTypedGroups[] = {
    CommandGroup::string,      CommandGroup::generic, CommandGroup::hash,
    CommandGroup::list,        CommandGroup::set,     CommandGroup::sorted_set,
    CommandGroup::hyperloglog, CommandGroup::bitmap,  CommandGroup::geo,
    CommandGroup::scripting,   CommandGroup::server,  CommandGroup::connection,
};

struct UntypedCommand {
  std::string_view name;  ///< as in the table: "GETSET", "CLIENT|REPLY"
  std::string_view reason;
};

/// Deliberate exclusions. Besides these, every "...|HELP" subcommand (text for humans) and
/// the bare containers (CLIENT, CONFIG, ...: checked through their subcommands) are exempt.
inline constexpr UntypedCommand kUntypedCommands[] = {
    // Deprecated by the server, with a typed replacement.
    {"GETSET", "deprecated since 6.2: set_get(key, value, {})"},
    {"SUBSTR", "deprecated since 2.0: getrange()"},
    {"HMSET", "deprecated since 4.0: hset() with field/value pairs"},
    {"RPOPLPUSH", "deprecated since 6.2: lmove(src, dst, ListEnd::right, ListEnd::left)"},
    {"BRPOPLPUSH", "deprecated since 6.2: blmove()"},
    {"ZRANGEBYSCORE", "deprecated since 6.2: zrange() with ZRangeOptions{.by = score}"},
    {"ZREVRANGEBYSCORE", "deprecated since 6.2: zrange() with ZRangeOptions{.by = score, .rev}"},
    {"ZRANGEBYLEX", "deprecated since 6.2: zrange() with ZRangeOptions{.by = lex}"},
    {"ZREVRANGEBYLEX", "deprecated since 6.2: zrange() with ZRangeOptions{.by = lex, .rev}"},
    {"GEORADIUS", "deprecated since 6.2: geosearch() / geosearchstore()"},
    {"GEORADIUS_RO", "deprecated since 6.2: geosearch()"},
    {"GEORADIUSBYMEMBER", "deprecated since 6.2: geosearch() with from_member"},
    {"GEORADIUSBYMEMBER_RO", "deprecated since 6.2: geosearch() with from_member"},
    {"SLAVEOF", "deprecated since 5.0: replicaof()"},
    // Internal to the server, replication or cluster.
    {"PFDEBUG", "internal HyperLogLog debugging (syscmd)"},
    {"PFSELFTEST", "internal HyperLogLog self test (syscmd)"},
    {"DEBUG", "internal debugging (syscmd); tests use the generic command<T>()"},
    {"PSYNC", "replication protocol between servers"},
    {"SYNC", "replication protocol between servers"},
    {"REPLCONF", "replication protocol between servers (syscmd)"},
    {"RESTORE-ASKING", "cluster-internal form of RESTORE (syscmd)"},
    // Answered locally from the compiled-in table.
    {"COMMAND|DOCS", "the command table (find_command) is compiled in"},
    {"COMMAND|INFO", "the command table (find_command) is compiled in"},
    {"COMMAND|GETKEYSANDFLAGS", "command_keys() answers locally, with the key flags"},
    // Would take over or break the shared, multiplexed link.
    {"MONITOR", "turns the link into a stream of every command the server runs"},
    {"SHUTDOWN", "ends the server; its only reply is a closed link"},
    {"SCRIPT|DEBUG", "an interactive Lua debugger session on the link"},
    {"SELECT", "switches the database under every caller; undone by reconnects: Options::db"},
    {"AUTH", "the handshake authenticates every link and replays it: Options::username/password"},
    {"HELLO", "the handshake owns the protocol version: Options::protocol"},
    {"QUIT", "use Client::close()"},
    {"RESET", "would drop the state the handshake set up (database, name, protocol)"},
    {"CLIENT|REPLY", "OFF/SKIP would leave callers waiting for replies that never come"},
    {"CLIENT|TRACKING", "client-side caching owns tracking (on its own link)"},
    {"CLIENT|CACHING", "client-side caching owns tracking (on its own link)"},
};

}  // namespace redwire
