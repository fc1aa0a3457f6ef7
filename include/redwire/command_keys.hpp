// Which arguments of a command are keys, from the command table's key specifications — for
// cluster routing and the key prefix. Works on argument lists, on a Command and on a raw payload
// holding several commands back-to-back (a pipeline, a transaction).
//
//   redwire::Command cmd("MSET", "a", "1", "b", "2");
//   redwire::key_positions(cmd);                        // {1, 3}
//   for (auto& k : redwire::payload_keys(batch_bytes)) route(k.command, k.name);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace redwire {

class Command;

/// One key of a command.
struct CommandKey {
  std::size_t arg = 0;      ///< argument index (0 is the command name)
  std::string_view name;    ///< the key, a view into the arguments
  std::uint16_t flags = 0;  ///< KeyFlag bits of the spec that found it
  bool operator==(const CommandKey&) const = default;
};

/// The keys of one command given as its arguments (args[0] is the name), in argument order,
/// each once. Arguments flagged key_not_key (SSUBSCRIBE/SPUBLISH shard channels: they route
/// like keys but are not keys) are included only with `include_not_keys`.
///
/// Key specs are followed as the server does (index or keyword, then range or key count);
/// the commands whose specs are incomplete or unknown are completed by hand as the server's
/// own getkeys functions do: MIGRATE (the KEYS form) and SORT (the STORE destination).
/// Unknown commands have no keys.
std::vector<CommandKey> command_keys(std::span<const std::string_view> args,
                                     bool include_not_keys = false);

/// Argument indices of the keys (command_keys without the details).
std::vector<std::size_t> key_positions(std::span<const std::string_view> args);
/// The same for an encoded command.
std::vector<std::size_t> key_positions(const Command& cmd);

/// SORT / SORT_RO: argument indices of the BY and GET patterns (not GET #). They name keys
/// indirectly ("weight_*", "object_*->field"); the key prefix applies to them.
std::vector<std::size_t> sort_pattern_positions(std::span<const std::string_view> args);

/// One command of an encoded payload.
struct EncodedCommand {
  std::size_t offset = 0;              ///< where its bytes start in the payload
  std::size_t size = 0;                ///< how many bytes it takes
  std::vector<std::string_view> args;  ///< views into the payload
};

/// Splits a payload of back-to-back RESP arrays of bulk strings (what Command, pipelines and
/// transactions encode). Returns false when the payload is anything else; `out` then holds the
/// commands before the malformed part.
bool split_commands(std::string_view payload, std::vector<EncodedCommand>& out);

/// One key of a command inside a payload.
struct PayloadKey {
  std::size_t command = 0;  ///< which command of the payload (0-based)
  std::size_t arg = 0;      ///< argument index within that command
  std::string_view name;
  std::uint16_t flags = 0;
  bool operator==(const PayloadKey&) const = default;
};

/// Every key of every command in the payload, in order (empty for a malformed payload).
std::vector<PayloadKey> payload_keys(std::string_view payload, bool include_not_keys = false);

}  // namespace redwire
