#include "redwire/command.hpp"
#include "ascii.hpp"

namespace redwire {
namespace {

using ascii::iequals;

// True when the encoded command has an argument equal to `word` (any case).
bool has_argument(std::string_view payload, std::string_view word) {
  // payload: *N\r\n($len\r\nbytes\r\n)*
  std::size_t pos = payload.find('\n') + 1;
  while (pos < payload.size() && payload[pos] == '$') {
    const auto eol = payload.find('\r', pos);
    std::size_t len = 0;
    for (std::size_t i = pos + 1; i < eol; ++i)
      len = len * 10 + static_cast<std::size_t>(payload[i] - '0');
    const auto start = eol + 2;
    if (iequals(payload.substr(start, len), word)) return true;
    pos = start + len + 2;
  }
  return false;
}

// The second argument of an encoded command (a container's subcommand), if any.
std::string_view second_argument(std::string_view payload) noexcept {
  std::size_t pos = payload.find('\n') + 1;
  for (int i = 0; i < 2 && pos < payload.size() && payload[pos] == '$'; ++i) {
    const auto eol = payload.find('\r', pos);
    if (eol == std::string_view::npos) return {};
    std::size_t len = 0;
    for (std::size_t j = pos + 1; j < eol; ++j)
      len = len * 10 + static_cast<std::size_t>(payload[j] - '0');
    const auto start = eol + 2;
    if (i == 1) return payload.substr(start, len);
    pos = start + len + 2;
  }
  return {};
}

}  // namespace

void Command::classify(std::string_view name) noexcept {
  const CommandInfo* info = find_command(name);
  // CLIENT KILL, CONFIG GET, ...: the subcommand has the facts.
  if (info != nullptr && info->is_container()) info = find_command(name, second_argument(payload_));
  flags_ = info ? info->flags : cmd_write;
  // XREAD and XREADGROUP block only with a BLOCK argument.
  if ((flags_ & cmd_blocking) != 0 && (iequals(name, "XREAD") || iequals(name, "XREADGROUP"))) {
    if (!has_argument(payload_, "BLOCK")) flags_ &= ~static_cast<std::uint32_t>(cmd_blocking);
  }
}

}  // namespace redwire
