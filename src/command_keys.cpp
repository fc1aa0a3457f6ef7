// Key extraction from key specifications, following the server's getKeysUsingKeySpecs()
// (src/db.c) so that the client finds exactly the keys the server will.
#include "redwire/command_keys.hpp"

#include <algorithm>
#include <charconv>

#include "ascii.hpp"
#include "redwire/command.hpp"
#include "redwire/command_info.hpp"

namespace redwire {
namespace {

using ascii::iequals;

void add(std::vector<CommandKey>& out, std::span<const std::string_view> args, long i,
         std::uint16_t flags) {
  const auto at = static_cast<std::size_t>(i);
  out.push_back({at, args[at], flags});
}

// The keys one spec finds; nothing for an unknown spec or arguments that do not fit it.
void apply_spec(const KeySpec& spec, std::span<const std::string_view> args,
                std::vector<CommandKey>& out) {
  const long argc = static_cast<long>(args.size());
  long first = 0;
  switch (spec.begin) {
    case KeySpec::Begin::unknown:
      return;
    case KeySpec::Begin::index:
      first = spec.begin_at;
      break;
    case KeySpec::Begin::keyword: {
      long start = spec.begin_at;
      long end = argc - 1;
      long step = 1;
      if (start < 0) {
        start += argc;
        end = 0;
        step = -1;
      }
      for (long i = start; i != end; i += step) {
        if (i >= argc || i < 1) break;
        if (iequals(args[static_cast<std::size_t>(i)], spec.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first == 0) return;  // keyword absent: no keys from this spec
      break;
    }
  }
  long last = 0;
  long step = 1;
  switch (spec.find) {
    case KeySpec::Find::unknown:
      return;
    case KeySpec::Find::range:
      if (spec.lastkey >= 0) {
        last = first + spec.lastkey;
      } else if (spec.limit == 0) {
        last = argc + spec.lastkey;
      } else {
        last = first + ((argc - first) / spec.limit + spec.lastkey);
      }
      step = spec.keystep;
      break;
    case KeySpec::Find::keynum: {
      const long at = first + spec.keynumidx;
      if (at >= argc) return;
      const auto text = args[static_cast<std::size_t>(at)];
      long long numkeys = 0;
      const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), numkeys);
      if (ec != std::errc{} || p != text.data() + text.size() || numkeys < 0) return;
      if (numkeys > argc) return;  // the server rejects it too
      first += spec.firstkey;
      last = first + static_cast<long>(numkeys) - 1;
      step = spec.keystep;
      break;
    }
  }
  if (step <= 0) return;
  for (long i = first; i <= last; i += step) {
    if (i >= argc || i < 1) break;
    add(out, args, i, spec.flags);
  }
}

// MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k...]:
// the server's migrateGetKeys().
void migrate_keys(const CommandInfo& info, std::span<const std::string_view> args,
                  std::vector<CommandKey>& out) {
  const std::uint16_t flags = info.key_specs().empty() ? 0 : info.key_specs()[0].flags;
  const long argc = static_cast<long>(args.size());
  long first = 3;
  long num = argc > 3 ? 1 : 0;
  for (long i = 6; i < argc; ++i) {
    const auto a = args[static_cast<std::size_t>(i)];
    if (iequals(a, "KEYS")) {
      if (!args[3].empty()) return;  // the server refuses KEYS with a key
      first = i + 1;
      num = argc - first;
      break;
    }
    if (iequals(a, "AUTH")) {
      i += 1;
    } else if (iequals(a, "AUTH2")) {
      i += 2;
    }
  }
  for (long i = first; i < first + num && i < argc; ++i) add(out, args, i, flags);
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE dest]:
// the server's sortGetKeys() (the last STORE wins). Calls on_pattern for BY/GET patterns.
template <class OnPattern>
std::size_t walk_sort(std::span<const std::string_view> args, OnPattern on_pattern) {
  std::size_t store = 0;
  for (std::size_t i = 2; i < args.size(); ++i) {
    const auto a = args[i];
    if (iequals(a, "LIMIT")) {
      i += 2;
    } else if (iequals(a, "BY") || iequals(a, "GET")) {
      if (i + 1 < args.size() && !(iequals(a, "GET") && args[i + 1] == "#")) on_pattern(i + 1);
      i += 1;
    } else if (iequals(a, "STORE") && i + 1 < args.size()) {
      store = i + 1;
      i += 1;
    }
  }
  return store;
}

}  // namespace

std::vector<CommandKey> command_keys(std::span<const std::string_view> args,
                                     bool include_not_keys) {
  std::vector<CommandKey> out;
  const CommandInfo* info = find_command(args);
  if (info == nullptr) return out;
  if (info->name == "MIGRATE") {
    migrate_keys(*info, args, out);
  } else {
    for (const auto& spec : info->key_specs()) apply_spec(spec, args, out);
    if (info->name == "SORT") {
      const auto store = walk_sort(args, [](std::size_t) {});
      if (store != 0) add(out, args, static_cast<long>(store), key_ow | key_update);
    }
  }
  if (!include_not_keys) {
    std::erase_if(out, [](const CommandKey& k) { return (k.flags & key_not_key) != 0; });
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CommandKey& a, const CommandKey& b) { return a.arg < b.arg; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const CommandKey& a, const CommandKey& b) { return a.arg == b.arg; }),
            out.end());
  return out;
}

std::vector<std::size_t> key_positions(std::span<const std::string_view> args) {
  std::vector<std::size_t> out;
  for (const auto& k : command_keys(args)) out.push_back(k.arg);
  return out;
}

std::vector<std::size_t> key_positions(const Command& cmd) {
  std::vector<EncodedCommand> commands;
  if (!split_commands(cmd.payload(), commands) || commands.size() != 1) return {};
  return key_positions(commands[0].args);
}

std::vector<std::size_t> sort_pattern_positions(std::span<const std::string_view> args) {
  std::vector<std::size_t> out;
  const CommandInfo* info = find_command(args);
  if (info == nullptr || (info->name != "SORT" && info->name != "SORT_RO")) return out;
  walk_sort(args, [&](std::size_t i) { out.push_back(i); });
  return out;
}

bool split_commands(std::string_view payload, std::vector<EncodedCommand>& out) {
  // Reads "<c><decimal>\r\n" at pos; advances pos past it.
  const auto header = [&](std::size_t& pos, char c, std::size_t& value) {
    if (pos >= payload.size() || payload[pos] != c) return false;
    const auto eol = payload.find("\r\n", pos + 1);
    if (eol == std::string_view::npos || eol == pos + 1) return false;
    const auto [p, ec] = std::from_chars(payload.data() + pos + 1, payload.data() + eol, value);
    if (ec != std::errc{} || p != payload.data() + eol) return false;
    pos = eol + 2;
    return true;
  };
  std::size_t pos = 0;
  while (pos < payload.size()) {
    EncodedCommand cmd;
    cmd.offset = pos;
    std::size_t count = 0;
    if (!header(pos, '*', count) || count > payload.size()) return false;
    cmd.args.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t len = 0;
      if (!header(pos, '$', len)) return false;
      if (len > payload.size() - pos || payload.size() - pos - len < 2 ||
          payload.compare(pos + len, 2, "\r\n") != 0) {
        return false;
      }
      cmd.args.push_back(payload.substr(pos, len));
      pos += len + 2;
    }
    cmd.size = pos - cmd.offset;
    out.push_back(std::move(cmd));
  }
  return true;
}

std::vector<PayloadKey> payload_keys(std::string_view payload, bool include_not_keys) {
  std::vector<PayloadKey> out;
  std::vector<EncodedCommand> commands;
  if (!split_commands(payload, commands)) return out;
  for (std::size_t c = 0; c < commands.size(); ++c) {
    for (const auto& k : command_keys(commands[c].args, include_not_keys)) {
      out.push_back({c, k.arg, k.name, k.flags});
    }
  }
  return out;
}

}  // namespace redwire
