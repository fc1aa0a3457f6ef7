#include "redwire/cluster/slot_map.hpp"

#include <algorithm>
#include <charconv>

#include "redwire/error.hpp"

namespace redwire::cluster {
namespace {

bool to_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

bool is_text(ReplyView v) {
  return v.type() == resp::Type::bulk_string || v.type() == resp::Type::simple_string ||
         v.type() == resp::Type::verbatim_string;
}

bool is_number(ReplyView v) {
  return v.type() == resp::Type::integer || is_text(v);
}

// RESP3 maps and RESP2 flat arrays of key, value, key, value, ...
bool is_pairs(ReplyView v) {
  return v.type() == resp::Type::map || (v.type() == resp::Type::array && v.child_count() % 2 == 0);
}

template <class F>
void for_each_pair(ReplyView v, F&& f) {
  ReplyView key;
  bool have_key = false;
  for (ReplyView child : v) {
    if (!have_key) {
      key = child;
      have_key = true;
    } else {
      f(key.value(), child);
      have_key = false;
    }
  }
}

std::error_code malformed(std::string& detail, std::string what) {
  detail = std::move(what);
  return make_error_code(protocol_errc::unexpected_reply);
}

std::string resolve_host(std::string_view host, std::string_view fallback) {
  return std::string(host.empty() || host == "?" ? fallback : host);
}

std::error_code parse_shard_node(ReplyView v, std::string_view fallback_host, bool prefer_tls,
                                 ClusterNode& node, std::string& detail) {
  if (!is_pairs(v)) return malformed(detail, "CLUSTER SHARDS: a node is not a map");
  std::string_view endpoint, ip;
  int port = 0, tls_port = 0;
  std::string_view role = "master", health = "online";
  bool bad_number = false;
  for_each_pair(v, [&](std::string_view key, ReplyView value) {
    if (key == "id") {
      node.id = std::string(value.value());
    } else if (key == "endpoint") {
      endpoint = value.value();
    } else if (key == "ip") {
      ip = value.value();
    } else if (key == "port") {
      bad_number |= !is_number(value) || !to_int(value.value(), port);
    } else if (key == "tls-port") {
      bad_number |= !is_number(value) || !to_int(value.value(), tls_port);
    } else if (key == "role") {
      role = value.value();
    } else if (key == "health") {
      health = value.value();
    }
  });
  if (bad_number) return malformed(detail, "CLUSTER SHARDS: a port is not a number");
  const int chosen = prefer_tls ? (tls_port > 0 ? tls_port : port) : (port > 0 ? port : tls_port);
  if (chosen <= 0 || chosen > 65535) {
    return malformed(detail, "CLUSTER SHARDS: node " + node.id + " has no valid port");
  }
  node.address.host = resolve_host(!endpoint.empty() ? endpoint : ip, fallback_host);
  node.address.port = static_cast<std::uint16_t>(chosen);
  node.role = role == "master" ? NodeRole::master : NodeRole::replica;
  node.health = health == "online"    ? NodeHealth::online
                : health == "loading" ? NodeHealth::loading
                                      : NodeHealth::failed;
  return {};
}

}  // namespace

const ClusterNode* Shard::master() const noexcept {
  for (const auto& n : nodes) {
    if (n.role == NodeRole::master) return &n;
  }
  return nullptr;
}

SlotMap::SlotMap() {
  owner_.fill(-1);
}

SlotMap::SlotMap(std::vector<Shard> shards) : shards_(std::move(shards)) {
  owner_.fill(-1);
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    for (auto [first, last] : shards_[i].slot_ranges) {
      for (int s = std::max(first, 0); s <= std::min(last, slot_count - 1); ++s) {
        owner_[static_cast<std::size_t>(s)] = static_cast<std::int16_t>(i);
      }
    }
  }
}

const Shard* SlotMap::shard_of(int slot) const noexcept {
  if (slot < 0 || slot >= slot_count) return nullptr;
  const int i = owner_[static_cast<std::size_t>(slot)];
  return i < 0 ? nullptr : &shards_[static_cast<std::size_t>(i)];
}

const ClusterNode* SlotMap::master_of(int slot) const noexcept {
  const Shard* s = shard_of(slot);
  return s ? s->master() : nullptr;
}

bool SlotMap::covers_all_slots() const noexcept {
  return std::none_of(owner_.begin(), owner_.end(), [](std::int16_t o) { return o < 0; });
}

const ClusterNode* SlotMap::find(const NodeAddress& address) const noexcept {
  for (const auto& shard : shards_) {
    for (const auto& n : shard.nodes) {
      if (n.address == address) return &n;
    }
  }
  return nullptr;
}

bool SlotMap::is_member(const NodeAddress& address) const noexcept {
  return find(address) != nullptr;
}

std::vector<NodeAddress> SlotMap::masters() const {
  std::vector<bool> serving(shards_.size(), false);
  for (const auto o : owner_) {
    if (o >= 0) serving[static_cast<std::size_t>(o)] = true;
  }
  std::vector<NodeAddress> out;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    const ClusterNode* m = shards_[i].master();
    if (serving[i] && m != nullptr) out.push_back(m->address);
  }
  return out;
}

std::vector<NodeAddress> SlotMap::nodes() const {
  std::vector<NodeAddress> out;
  for (const auto& shard : shards_) {
    for (const auto& n : shard.nodes) out.push_back(n.address);
  }
  return out;
}

void SlotMap::assign(int slot, const NodeAddress& master) {
  if (slot < 0 || slot >= slot_count) return;
  std::size_t target = shards_.size();
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    const ClusterNode* m = shards_[i].master();
    if (m != nullptr && m->address == master) {
      target = i;
      break;
    }
  }
  if (target == shards_.size()) {
    // A master learned from the redirect alone; it may have been a replica of another shard
    // (a failover), in which case it leaves that shard.
    for (auto& shard : shards_) {
      std::erase_if(shard.nodes, [&](const ClusterNode& n) { return n.address == master; });
    }
    Shard added;
    added.nodes.push_back(ClusterNode{{}, master, NodeRole::master, NodeHealth::online});
    shards_.push_back(std::move(added));
  }
  owner_[static_cast<std::size_t>(slot)] = static_cast<std::int16_t>(target);
}

std::error_code parse_cluster_shards(ReplyView reply, std::string_view fallback_host,
                                     std::vector<Shard>& out, std::string& detail,
                                     bool prefer_tls) {
  out.clear();
  if (reply.is_error()) return malformed(detail, "CLUSTER SHARDS: " + std::string(reply.value()));
  if (reply.type() != resp::Type::array && reply.type() != resp::Type::set) {
    return malformed(detail, "CLUSTER SHARDS: expected an array of shards");
  }
  for (ReplyView shard_view : reply) {
    if (!is_pairs(shard_view)) return malformed(detail, "CLUSTER SHARDS: a shard is not a map");
    Shard shard;
    std::error_code ec;
    for_each_pair(shard_view, [&](std::string_view key, ReplyView value) {
      if (ec) return;
      if (key == "slots") {
        if (!value.is_aggregate() || value.child_count() % 2 != 0) {
          ec = malformed(detail, "CLUSTER SHARDS: slots is not a list of ranges");
          return;
        }
        int first = -1;
        for (ReplyView bound : value) {
          int n = 0;
          if (!is_number(bound) || !to_int(bound.value(), n) || n < 0 || n >= slot_count) {
            ec = malformed(detail, "CLUSTER SHARDS: a slot is out of range");
            return;
          }
          if (first < 0) {
            first = n;
          } else {
            if (n < first) {
              ec = malformed(detail, "CLUSTER SHARDS: a slot range ends before it starts");
              return;
            }
            shard.slot_ranges.emplace_back(first, n);
            first = -1;
          }
        }
      } else if (key == "nodes") {
        if (!value.is_aggregate()) {
          ec = malformed(detail, "CLUSTER SHARDS: nodes is not a list");
          return;
        }
        for (ReplyView node_view : value) {
          ClusterNode node;
          if ((ec = parse_shard_node(node_view, fallback_host, prefer_tls, node, detail))) return;
          shard.nodes.push_back(std::move(node));
        }
      }
    });
    if (ec) return ec;
    // The master first (a failed old master stays listed as a master without slots).
    std::stable_partition(shard.nodes.begin(), shard.nodes.end(),
                          [](const ClusterNode& n) { return n.role == NodeRole::master; });
    out.push_back(std::move(shard));
  }
  return {};
}

std::error_code parse_cluster_slots(ReplyView reply, std::string_view fallback_host,
                                    std::vector<Shard>& out, std::string& detail) {
  out.clear();
  if (reply.is_error()) return malformed(detail, "CLUSTER SLOTS: " + std::string(reply.value()));
  if (reply.type() != resp::Type::array) {
    return malformed(detail, "CLUSTER SLOTS: expected an array of ranges");
  }
  for (ReplyView range : reply) {
    if (range.type() != resp::Type::array || range.child_count() < 3) {
      return malformed(detail, "CLUSTER SLOTS: a range has fewer than 3 elements");
    }
    int first = -1, last = -1;
    if (!is_number(range[0]) || !to_int(range[0].value(), first) || !is_number(range[1]) ||
        !to_int(range[1].value(), last) || first < 0 || last < first || last >= slot_count) {
      return malformed(detail, "CLUSTER SLOTS: a slot range is invalid");
    }
    std::vector<ClusterNode> nodes;
    std::size_t i = 0;
    for (ReplyView node_view : range) {
      if (i++ < 2) continue;
      if (node_view.type() != resp::Type::array || node_view.child_count() < 2) {
        return malformed(detail, "CLUSTER SLOTS: a node entry has fewer than 2 elements");
      }
      int port = 0;
      if (!is_number(node_view[1]) || !to_int(node_view[1].value(), port) || port <= 0 ||
          port > 65535) {
        return malformed(detail, "CLUSTER SLOTS: a node's port is invalid");
      }
      ClusterNode node;
      node.address = NodeAddress{resolve_host(node_view[0].value(), fallback_host),
                                 static_cast<std::uint16_t>(port)};
      if (node_view.child_count() >= 3) node.id = std::string(node_view[2].value());
      node.role = nodes.empty() ? NodeRole::master : NodeRole::replica;
      nodes.push_back(std::move(node));
    }
    auto same_master = std::find_if(out.begin(), out.end(), [&](const Shard& s) {
      return !s.nodes.empty() && s.nodes.front().address == nodes.front().address;
    });
    if (same_master == out.end()) {
      Shard shard;
      shard.nodes = std::move(nodes);
      shard.slot_ranges.emplace_back(first, last);
      out.push_back(std::move(shard));
    } else {
      same_master->slot_ranges.emplace_back(first, last);
    }
  }
  return {};
}

}  // namespace redwire::cluster
