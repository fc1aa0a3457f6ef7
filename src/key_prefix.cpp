#include "redwire/detail/key_prefix.hpp"

#include <algorithm>
#include <vector>

#include "redwire/command_keys.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {

std::string apply_key_prefix(std::string_view payload, std::string_view prefix) {
  std::vector<EncodedCommand> commands;
  if (prefix.empty() || !split_commands(payload, commands)) return std::string(payload);
  std::string out;
  out.reserve(payload.size() + 16 * prefix.size());
  std::vector<std::size_t> targets;
  for (const auto& cmd : commands) {
    targets = key_positions(cmd.args);
    const auto patterns = sort_pattern_positions(cmd.args);
    targets.insert(targets.end(), patterns.begin(), patterns.end());
    if (targets.empty()) {
      out.append(payload.substr(cmd.offset, cmd.size));
      continue;
    }
    std::sort(targets.begin(), targets.end());
    resp::append_array_header(out, cmd.args.size());
    std::size_t next = 0;
    std::string prefixed;
    for (std::size_t i = 0; i < cmd.args.size(); ++i) {
      const auto arg = cmd.args[i];
      if (next < targets.size() && targets[next] == i) {
        while (next < targets.size() && targets[next] == i) ++next;
        prefixed.assign(prefix);
        prefixed.append(arg);
        resp::append_bulk(out, prefixed);
      } else {
        resp::append_bulk(out, arg);
      }
    }
  }
  return out;
}

}  // namespace redwire::detail
