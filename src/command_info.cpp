// Lookups in the generated command table (src/generated/command_table.cpp).
#include "redwire/command_info.hpp"

#include <algorithm>
#include <cctype>

namespace redwire {
namespace {

// Upper-cases `in` into `buf`; empty when it does not fit (no command name is that long).
template <std::size_t N>
std::string_view upper(std::string_view in, char (&buf)[N]) noexcept {
  if (in.size() > N) return {};
  for (std::size_t i = 0; i < in.size(); ++i) {
    buf[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(in[i])));
  }
  return {buf, in.size()};
}

const CommandInfo* search(std::span<const CommandInfo> table, std::string_view upper_name) {
  const auto it =
      std::lower_bound(table.begin(), table.end(), upper_name,
                       [](const CommandInfo& c, std::string_view k) { return c.name < k; });
  if (it == table.end() || it->name != upper_name) return nullptr;
  return &*it;
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
  const auto sep = name.find_first_of("| ");
  if (sep != std::string_view::npos) return find_command(name.substr(0, sep), name.substr(sep + 1));
  char buf[32];
  const auto key = upper(name, buf);
  if (key.empty()) return nullptr;
  return search(command_table(), key);
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
