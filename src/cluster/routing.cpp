#include "redwire/cluster/routing.hpp"

#include <algorithm>

#include "ascii.hpp"
#include "redwire/cluster/crc16.hpp"
#include "redwire/command_info.hpp"
#include "redwire/command_keys.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::cluster {
namespace {

using ascii::iequals;

SplitMerge split_kind(std::string_view name) noexcept {
  if (iequals(name, "MGET")) return SplitMerge::mget;
  if (iequals(name, "MSET")) return SplitMerge::all_ok;
  if (iequals(name, "DEL") || iequals(name, "UNLINK") || iequals(name, "EXISTS") ||
      iequals(name, "TOUCH")) {
    return SplitMerge::sum;
  }
  return SplitMerge::none;
}

// `info` is the resolved (sub)command, e.g. "SCRIPT|LOAD".
FanOut fan_out_kind(const CommandInfo& info) noexcept {
  const std::string_view n = info.name;
  if (n == "FLUSHALL" || n == "FLUSHDB" || n == "SCRIPT|LOAD" || n == "SCRIPT|FLUSH" ||
      n == "FUNCTION|LOAD" || n == "FUNCTION|FLUSH" || n == "FUNCTION|DELETE") {
    return FanOut::all_ok;
  }
  if (n == "DBSIZE") return FanOut::sum;
  if (n == "KEYS") return FanOut::concat;
  return FanOut::none;
}

// Commands that change the state of the (shared, multiplexed) link they run on.
const char* refusal(const CommandInfo& info) noexcept {
  const std::string_view n = info.name;
  if (n == "MULTI" || n == "EXEC" || n == "DISCARD" || n == "WATCH" || n == "UNWATCH") {
    return "transactions run through multi() on a cluster client";
  }
  if ((info.flags & cmd_pubsub) != 0) return "subscriptions run through a subscriber";
  if ((info.flags & cmd_connection_state) != 0) {
    return "it changes the state of a link that the cluster client shares and manages";
  }
  return nullptr;
}

}  // namespace

int common_slot(std::span<const std::string_view> args, std::string* detail) {
  const auto keys = command_keys(args, true);
  int slot = -1;
  std::string_view first_key;
  for (const auto& k : keys) {
    const int s = key_slot(k.name);
    if (slot < 0) {
      slot = s;
      first_key = k.name;
    } else if (s != slot) {
      if (detail != nullptr) {
        *detail = "CROSSSLOT Keys in request don't hash to the same slot ('" +
                  std::string(first_key) + "' is in slot " + std::to_string(slot) + ", '" +
                  std::string(k.name) + "' in slot " + std::to_string(s) +
                  "; use a {hash tag} to keep them together)";
      }
      return -2;
    }
  }
  return slot;
}

CommandRoute route_command(std::span<const std::string_view> args) {
  CommandRoute route;
  if (args.empty()) {
    route.kind = CommandRoute::Kind::refused;
    route.detail = "empty command";
    return route;
  }
  const CommandInfo* info = find_command(args);
  if (info != nullptr) {
    if (const char* why = refusal(*info)) {
      route.kind = CommandRoute::Kind::refused;
      route.detail = std::string(info->name) + " cannot be sent through a cluster client: " + why;
      return route;
    }
  }
  const int slot = common_slot(args, &route.detail);
  if (slot >= 0) {
    route.kind = CommandRoute::Kind::slot;
    route.slot = slot;
    route.detail.clear();
    return route;
  }
  if (slot == -2) {
    route.merge = split_kind(args[0]);
    route.kind = route.merge == SplitMerge::none ? CommandRoute::Kind::cross_slot
                                                 : CommandRoute::Kind::split;
    if (route.kind == CommandRoute::Kind::split) route.detail.clear();
    return route;
  }
  route.fan_out = info != nullptr ? fan_out_kind(*info) : FanOut::none;
  route.kind =
      route.fan_out == FanOut::none ? CommandRoute::Kind::keyless : CommandRoute::Kind::all_masters;
  return route;
}

std::vector<SplitPart> split_by_slot(std::span<const std::string_view> args, SplitMerge merge) {
  std::vector<SplitPart> parts;
  if (args.empty() || merge == SplitMerge::none) return parts;
  const std::size_t step = merge == SplitMerge::all_ok ? 2 : 1;
  // Arguments per part, in order: collected first, encoded once each part is complete.
  std::vector<std::vector<std::string_view>> part_args;
  std::size_t position = 0;
  for (std::size_t i = 1; i + step - 1 < args.size(); i += step, ++position) {
    const int slot = key_slot(args[i]);
    auto it = std::find_if(parts.begin(), parts.end(),
                           [&](const SplitPart& p) { return p.slot == slot; });
    std::size_t index = static_cast<std::size_t>(it - parts.begin());
    if (it == parts.end()) {
      parts.push_back(SplitPart{slot, {}, {}});
      part_args.push_back({args[0]});
    }
    for (std::size_t j = 0; j < step; ++j) part_args[index].push_back(args[i + j]);
    parts[index].positions.push_back(position);
  }
  for (std::size_t p = 0; p < parts.size(); ++p) {
    resp::append_command(parts[p].payload, part_args[p]);
  }
  return parts;
}

std::vector<const ClusterNode*> read_candidates(const Shard& shard) {
  std::vector<const ClusterNode*> out;
  const ClusterNode* master = shard.master();
  if (master == nullptr) return out;
  out.push_back(master);
  for (const auto& n : shard.nodes) {
    if (n.role == NodeRole::replica && n.health == NodeHealth::online) out.push_back(&n);
  }
  return out;
}

const ClusterNode* pick_node(const Shard& shard, bool readonly, ScaleReads mode,
                             std::uint64_t random) {
  const ClusterNode* master = shard.master();
  if (master == nullptr || !readonly || mode == ScaleReads::master) return master;
  const auto candidates = read_candidates(shard);
  if (mode == ScaleReads::replica) {
    if (candidates.size() <= 1) return master;
    return candidates[1 + random % (candidates.size() - 1)];
  }
  return candidates[random % candidates.size()];
}

}  // namespace redwire::cluster
