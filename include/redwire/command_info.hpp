// What the client needs to know about a command: is it read-only (safe to resend after a lost
// reply, eligible for replicas), does it block the connection (BLPOP, XREAD BLOCK, ...), does it
// change the connection's state (SELECT, SUBSCRIBE, MULTI, ...).
#pragma once

#include <cstdint>
#include <string_view>

namespace redwire {

enum CommandFlag : std::uint32_t {
  cmd_readonly = 1u << 0,   ///< never modifies data
  cmd_write = 1u << 1,      ///< may modify data
  cmd_blocking = 1u << 2,   ///< may block the link (always, or with a BLOCK argument)
  cmd_pubsub = 1u << 3,     ///< (un)subscribe family
  cmd_connection_state = 1u << 4,  ///< SELECT, MULTI, WATCH, CLIENT REPLY, ... (not multiplexable)
  cmd_admin = 1u << 5,
  cmd_noscript = 1u << 6,
};

struct CommandInfo {
  std::string_view name;  ///< upper case
  std::uint32_t flags;
};

/// Looks a command up by name (any case). nullptr for unknown commands (treated as writes).
const CommandInfo* find_command(std::string_view name) noexcept;

}  // namespace redwire
