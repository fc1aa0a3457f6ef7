// What the client knows about every Redis 7.0 command and subcommand: arity, flags, group and
// where its keys are. The table (src/generated/command_table.cpp) is generated from the server's
// own COMMAND INFO / COMMAND DOCS output by tools/gen_commands/gen_commands.py (see
// docs/commands.md); this header is its hand-written shape.
//
//   const CommandInfo* get = redwire::find_command("get");        // any case
//   const CommandInfo* kill = redwire::find_command("CLIENT", "KILL");
//   bool safe = get->flags & redwire::cmd_readonly;
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace redwire {

/// Command flags. Most mirror the server's flags of the same name; readonly, write, pubsub and
/// connection_state are the client's own reading of them (see docs/commands.md, "Flags").
enum CommandFlag : std::uint32_t {
  cmd_readonly = 1u << 0,          ///< changes neither data nor connection state: safe to resend
  cmd_write = 1u << 1,             ///< may modify data (server "write", plus EVAL/EVALSHA/FCALL)
  cmd_blocking = 1u << 2,          ///< may block the link (always, or with a BLOCK argument)
  cmd_pubsub = 1u << 3,            ///< (un)subscribe family: turns the link into a subscriber
  cmd_connection_state = 1u << 4,  ///< SELECT, MULTI, WATCH, CLIENT REPLY, ... (not multiplexable)
  cmd_admin = 1u << 5,
  cmd_noscript = 1u << 6,            ///< not allowed from scripts
  cmd_fast = 1u << 7,                ///< O(1) or O(log N)
  cmd_denyoom = 1u << 8,             ///< refused when the server is out of memory
  cmd_movablekeys = 1u << 9,         ///< key positions depend on the arguments
  cmd_loading = 1u << 10,            ///< allowed while the server loads its dataset
  cmd_stale = 1u << 11,              ///< allowed on a replica with stale data
  cmd_no_multi = 1u << 12,           ///< not allowed inside MULTI
  cmd_allow_busy = 1u << 13,         ///< allowed while a script or function is busy
  cmd_no_auth = 1u << 14,            ///< allowed before authentication
  cmd_skip_monitor = 1u << 15,       ///< not shown by MONITOR
  cmd_no_mandatory_keys = 1u << 16,  ///< may take zero keys
  cmd_pubsub_server = 1u << 17,      ///< the server's "pubsub" flag (PUBLISH, PUBSUB *, ...)
  cmd_deprecated = 1u << 18,         ///< deprecated by COMMAND DOCS
  cmd_syscmd = 1u << 19,             ///< internal (replication, tests): not for clients
};

/// Key specification flags (COMMAND DOCS "key specifications").
enum KeyFlag : std::uint16_t {
  key_ro = 1u << 0,               ///< read only
  key_rw = 1u << 1,               ///< read and write
  key_ow = 1u << 2,               ///< overwrite
  key_rm = 1u << 3,               ///< remove
  key_access = 1u << 4,           ///< the value is returned or used
  key_update = 1u << 5,           ///< the value is updated
  key_insert = 1u << 6,           ///< data is added
  key_delete = 1u << 7,           ///< data is removed
  key_not_key = 1u << 8,          ///< not a key (shard channels): used for routing, never prefixed
  key_incomplete = 1u << 9,       ///< the spec may miss keys (the client completes it by hand)
  key_variable_flags = 1u << 10,  ///< the flags depend on the arguments
};

/// Where one group of keys is: first a start (an index, or the argument after a keyword), then
/// a range or a count (the server's begin_search / find_keys). Indices count the command name
/// as argument 0.
struct KeySpec {
  enum class Begin : std::uint8_t { index, keyword, unknown };
  enum class Find : std::uint8_t { range, keynum, unknown };

  std::uint16_t flags = 0;  ///< KeyFlag bits
  Begin begin = Begin::unknown;
  /// Begin::index: the argument index. Begin::keyword: where the search starts (negative:
  /// from the end, searching backwards).
  int begin_at = 0;
  std::string_view keyword;  ///< Begin::keyword
  Find find = Find::unknown;
  /// Find::range: the last key relative to the start (negative: from the end), the step and,
  /// with lastkey -1, the divisor of the remaining arguments (XREAD STREAMS: 2).
  int lastkey = 0;
  int keystep = 1;
  int limit = 0;
  /// Find::keynum: where the key count is and where the first key is, relative to the start.
  int keynumidx = 0;
  int firstkey = 0;

  // Constructors named after the server's begin_search / find_keys types (the generated table
  // is written with these).
  static constexpr KeySpec index_range(std::uint16_t flags, int index, int lastkey, int keystep,
                                       int limit) {
    KeySpec s;
    s.flags = flags;
    s.begin = Begin::index;
    s.begin_at = index;
    s.find = Find::range;
    s.lastkey = lastkey;
    s.keystep = keystep;
    s.limit = limit;
    return s;
  }
  static constexpr KeySpec index_keynum(std::uint16_t flags, int index, int keynumidx, int firstkey,
                                        int keystep) {
    KeySpec s;
    s.flags = flags;
    s.begin = Begin::index;
    s.begin_at = index;
    s.find = Find::keynum;
    s.keynumidx = keynumidx;
    s.firstkey = firstkey;
    s.keystep = keystep;
    return s;
  }
  static constexpr KeySpec keyword_range(std::uint16_t flags, std::string_view keyword,
                                         int startfrom, int lastkey, int keystep, int limit) {
    KeySpec s = index_range(flags, startfrom, lastkey, keystep, limit);
    s.begin = Begin::keyword;
    s.keyword = keyword;
    return s;
  }
  static constexpr KeySpec keyword_keynum(std::uint16_t flags, std::string_view keyword,
                                          int startfrom, int keynumidx, int firstkey, int keystep) {
    KeySpec s = index_keynum(flags, startfrom, keynumidx, firstkey, keystep);
    s.begin = Begin::keyword;
    s.keyword = keyword;
    return s;
  }
  static constexpr KeySpec unknown_keys(std::uint16_t flags) {
    KeySpec s;
    s.flags = flags;
    return s;
  }
};

/// Command groups as COMMAND DOCS names them.
enum class CommandGroup : std::uint8_t {
  bitmap,
  cluster,
  connection,
  generic,
  geo,
  hash,
  hyperloglog,
  list,
  pubsub,
  scripting,
  sentinel,
  server,
  set,
  sorted_set,
  stream,
  string,
  transactions,
};

/// "sorted-set", "string", ... (the server's names).
std::string_view to_string(CommandGroup g) noexcept;

struct CommandInfo {
  std::string_view name;    ///< upper case; subcommands as "CLIENT|KILL"
  int arity = 0;            ///< argument count with the name; negative: at least -arity
  std::uint32_t flags = 0;  ///< CommandFlag bits
  CommandGroup group = CommandGroup::generic;
  const KeySpec* key_specs_data = nullptr;
  std::uint8_t key_spec_count = 0;
  const CommandInfo* subcommands_data = nullptr;
  std::uint8_t subcommand_count = 0;

  std::span<const KeySpec> key_specs() const noexcept { return {key_specs_data, key_spec_count}; }
  /// Sorted by name; empty for commands without subcommands.
  std::span<const CommandInfo> subcommands() const noexcept {
    return {subcommands_data, subcommand_count};
  }
  bool is_container() const noexcept { return subcommand_count != 0; }
  /// "KILL" for "CLIENT|KILL"; the name itself for top-level commands.
  std::string_view subcommand_name() const noexcept {
    const auto bar = name.find('|');
    return bar == std::string_view::npos ? name : name.substr(bar + 1);
  }
};

/// Every top-level command, sorted by name (subcommands hang off their container).
std::span<const CommandInfo> command_table() noexcept;

/// Looks a command up by name, any case: "get", "CLIENT|KILL" or "client kill". nullptr for
/// unknown commands (the client treats those as writes).
const CommandInfo* find_command(std::string_view name) noexcept;
/// A subcommand of a container ("CLIENT", "KILL"); the container itself when `sub` is not one
/// of its subcommands or it has none; nullptr for unknown commands.
const CommandInfo* find_command(std::string_view name, std::string_view sub) noexcept;
/// The command an argument list runs: args[0] is the name, args[1] the subcommand of a
/// container. nullptr for unknown commands or an empty list.
const CommandInfo* find_command(std::span<const std::string_view> args) noexcept;

}  // namespace redwire
