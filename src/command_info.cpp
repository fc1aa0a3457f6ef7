// Lookups in the generated command table (src/generated/command_table.cpp).
#include "redwire/command_info.hpp"

#include <algorithm>
#include <cstdint>

namespace redwire {
namespace {

constexpr char ascii_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c;
}

// Upper-cases `in` into `buf`; empty when it does not fit (no command name is that long).
template <std::size_t N>
std::string_view upper(std::string_view in, char (&buf)[N]) noexcept {
  if (in.size() > N) return {};
  for (std::size_t i = 0; i < in.size(); ++i) buf[i] = ascii_upper(in[i]);
  return {buf, in.size()};
}

const CommandInfo* search(std::span<const CommandInfo> table, std::string_view upper_name) {
  const auto it =
      std::lower_bound(table.begin(), table.end(), upper_name,
                       [](const CommandInfo& c, std::string_view k) { return c.name < k; });
  if (it == table.end() || it->name != upper_name) return nullptr;
  return &*it;
}

// The top-level commands by a case-insensitive hash of their name, built once from the generated
// table (open addressing, linear probing): a lookup hashes the name once and compares one or two
// entries, instead of upper-casing it and binary-searching with memcmp.
class CommandIndex {
 public:
  CommandIndex() noexcept {
    for (const CommandInfo& c : command_table()) {
      std::size_t i = hash(c.name) & kMask;
      while (slots_[i] != nullptr) i = (i + 1) & kMask;
      slots_[i] = &c;
    }
  }

  // nullptr for unknown names. Sets `split` (and returns nullptr) when `name` holds a '|' or a
  // ' ' ("CLIENT|KILL", "client kill"): those are looked up as a command and a subcommand.
  const CommandInfo* find(std::string_view name, bool& split) const noexcept {
    std::uint32_t h = kBasis;
    for (const char c : name) {
      if (c == '|' || c == ' ') {
        split = true;
        return nullptr;
      }
      h = step(h, c);
    }
    for (std::size_t i = finish(h) & kMask;; i = (i + 1) & kMask) {
      const CommandInfo* c = slots_[i];
      if (c == nullptr) return nullptr;
      if (c->name.size() == name.size() && iequals_upper(name, c->name)) return c;
    }
  }

 private:
  static constexpr std::size_t kSlots = 1024;  // a power of two, over 4x the commands
  static constexpr std::size_t kMask = kSlots - 1;
  static constexpr std::uint32_t kBasis = 2166136261u;

  // FNV-1a, case-insensitive for ASCII letters (clearing bit 5 maps 'a'..'z' onto 'A'..'Z');
  // other characters may collide, which the comparison sorts out.
  static std::uint32_t step(std::uint32_t h, char c) noexcept {
    return (h ^ (static_cast<unsigned char>(c) & 0xDFu)) * 16777619u;
  }
  static std::size_t finish(std::uint32_t h) noexcept { return h ^ (h >> 15); }
  static std::size_t hash(std::string_view s) noexcept {
    std::uint32_t h = kBasis;
    for (const char c : s) h = step(h, c);
    return finish(h);
  }
  // `upper` is a table name (upper case); same sizes.
  static bool iequals_upper(std::string_view s, std::string_view upper) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (ascii_upper(s[i]) != upper[i]) return false;
    }
    return true;
  }

  const CommandInfo* slots_[kSlots] = {};
};

const CommandIndex& command_index() noexcept {
  static const CommandIndex index;
  return index;
}

const CommandInfo* find_sub(const CommandInfo* container, std::string_view sub) noexcept {
  if (container == nullptr || !container->is_container() || sub.empty()) return container;
  char buf[64];
  const auto prefix = container->name.size() + 1;
  if (prefix + sub.size() > sizeof buf) return container;
  std::copy(container->name.begin(), container->name.end(), buf);
  buf[container->name.size()] = '|';
  char sub_buf[sizeof buf];
  const auto upper_sub = upper(sub, sub_buf);
  std::copy(upper_sub.begin(), upper_sub.end(), buf + prefix);
  const auto* found = search(container->subcommands(), {buf, prefix + upper_sub.size()});
  return found ? found : container;
}

}  // namespace

std::string_view to_string(CommandGroup g) noexcept {
  switch (g) {
    case CommandGroup::bitmap:
      return "bitmap";
    case CommandGroup::cluster:
      return "cluster";
    case CommandGroup::connection:
      return "connection";
    case CommandGroup::generic:
      return "generic";
    case CommandGroup::geo:
      return "geo";
    case CommandGroup::hash:
      return "hash";
    case CommandGroup::hyperloglog:
      return "hyperloglog";
    case CommandGroup::list:
      return "list";
    case CommandGroup::pubsub:
      return "pubsub";
    case CommandGroup::scripting:
      return "scripting";
    case CommandGroup::sentinel:
      return "sentinel";
    case CommandGroup::server:
      return "server";
    case CommandGroup::set:
      return "set";
    case CommandGroup::sorted_set:
      return "sorted-set";
    case CommandGroup::stream:
      return "stream";
    case CommandGroup::string:
      return "string";
    case CommandGroup::transactions:
      return "transactions";
  }
  return "unknown";
}

const CommandInfo* find_command(std::string_view name) noexcept {
  bool split = false;
  const CommandInfo* found = command_index().find(name, split);
  if (!split) return found;
  const auto sep = name.find_first_of("| ");
  return find_command(name.substr(0, sep), name.substr(sep + 1));
}

const CommandInfo* find_command(std::string_view name, std::string_view sub) noexcept {
  if (name.find_first_of("| ") != std::string_view::npos) return nullptr;
  return find_sub(find_command(name), sub);
}

const CommandInfo* find_command(std::span<const std::string_view> args) noexcept {
  if (args.empty()) return nullptr;
  const CommandInfo* info = find_command(args[0]);
  return args.size() > 1 ? find_sub(info, args[1]) : info;
}

}  // namespace redwire
