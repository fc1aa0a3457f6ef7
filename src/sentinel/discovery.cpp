#include "redwire/sentinel/discovery.hpp"

#include <algorithm>
#include <charconv>

#include "redwire/convert.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::sentinel {
namespace {

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool scalar_text(ReplyView v, std::string& out) {
  if (v.is_aggregate() || v.is_null() || v.is_error()) return false;
  out.assign(detail::string_payload(v));
  return true;
}

std::error_code malformed(std::string& detail, std::string what) {
  detail = std::move(what);
  return make_error_code(conversion_errc::unexpected_type);
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto start = s.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    const auto end = s.find(' ');
    out.push_back(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  return out;
}

bool has_flag(std::string_view flags, std::string_view flag) {
  while (!flags.empty()) {
    const auto comma = flags.find(',');
    if (flags.substr(0, comma) == flag) return true;
    flags.remove_prefix(comma == std::string_view::npos ? flags.size() : comma + 1);
  }
  return false;
}

std::string field(const InstanceFields& f, const std::string& name) {
  const auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

std::optional<HostPort> address_of(const InstanceFields& f) {
  std::uint16_t port = 0;
  const std::string ip = field(f, "ip");
  if (ip.empty() || !parse_number(field(f, "port"), port) || port == 0) return std::nullopt;
  return HostPort{ip, port};
}

}  // namespace

SentinelList::SentinelList(std::vector<HostPort> seeds) {
  for (auto& s : seeds) {
    if (std::find(list_.begin(), list_.end(), s) == list_.end()) list_.push_back(std::move(s));
  }
}

void SentinelList::promote(const HostPort& s) {
  const auto it = std::find(list_.begin(), list_.end(), s);
  if (it != list_.end()) std::rotate(list_.begin(), it, it + 1);
}

std::vector<HostPort> SentinelList::merge(const std::vector<HostPort>& found) {
  std::vector<HostPort> added;
  for (const auto& s : found) {
    if (list_.size() >= kMaxSentinels) break;
    if (std::find(list_.begin(), list_.end(), s) != list_.end()) continue;
    list_.push_back(s);
    added.push_back(s);
  }
  return added;
}

Query make_query(std::string_view master_name, SentinelRole role, bool ask_sentinels) {
  Query q;
  resp::append_command(q.payload, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", master_name);
  q.replies = 1;
  if (role == SentinelRole::replica) {
    resp::append_command(q.payload, "SENTINEL", "REPLICAS", master_name);
    ++q.replies;
  }
  if (ask_sentinels) {
    resp::append_command(q.payload, "SENTINEL", "SENTINELS", master_name);
    ++q.replies;
  }
  return q;
}

std::error_code parse_master_address(ReplyView v, std::optional<HostPort>& out) {
  out.reset();
  if (v.is_null()) return {};
  std::string detail;
  if (v.type() != resp::Type::array || v.size() != 2) {
    return malformed(detail, "GET-MASTER-ADDR-BY-NAME: expected [ip, port]");
  }
  HostPort hp;
  std::string port;
  if (!scalar_text(v[0], hp.host) || !scalar_text(v[1], port) || hp.host.empty() ||
      !parse_number(port, hp.port) || hp.port == 0) {
    return malformed(detail, "GET-MASTER-ADDR-BY-NAME: expected [ip, port]");
  }
  out = std::move(hp);
  return {};
}

std::error_code parse_instances(ReplyView v, std::vector<InstanceFields>& out) {
  out.clear();
  std::string detail;
  if (v.type() != resp::Type::array && v.type() != resp::Type::set) {
    return malformed(detail, "expected an array of instances");
  }
  for (ReplyView entry : v) {
    if (!entry.is_aggregate() || entry.child_count() % 2 != 0) {
      return malformed(detail, "expected field/value pairs");
    }
    InstanceFields fields;
    std::string key;
    std::string value;
    for (std::size_t i = 0; i + 1 < entry.child_count(); i += 2) {
      if (!scalar_text(entry[i], key)) return malformed(detail, "expected a field name");
      if (!scalar_text(entry[i + 1], value)) value.clear();
      fields[key] = value;
    }
    out.push_back(std::move(fields));
  }
  return {};
}

std::error_code parse_answer(const std::vector<Reply>& replies, SentinelRole role,
                             bool asked_sentinels, Answer& out, std::string& detail) {
  out = Answer{};
  const std::size_t expected =
      1 + (role == SentinelRole::replica ? 1 : 0) + (asked_sentinels ? 1 : 0);
  if (replies.size() != expected) {
    return malformed(detail, "expected " + std::to_string(expected) + " replies, got " +
                                 std::to_string(replies.size()));
  }
  const Reply& addr = replies[0];
  if (addr.is_error()) {
    detail = std::string(addr.value());
    return make_error_code(classify_server_error(addr.value()));
  }
  if (auto ec = parse_master_address(addr.view(), out.master)) {
    detail = "malformed reply to GET-MASTER-ADDR-BY-NAME: " + addr.to_string().substr(0, 200);
    return ec;
  }
  std::size_t next = 1;
  if (role == SentinelRole::replica) {
    // An error here (the name vanished between the two commands) leaves no replica to offer.
    if (!replies[next].is_error() && parse_instances(replies[next].view(), out.replicas)) {
      detail = "malformed reply to SENTINEL REPLICAS";
      return make_error_code(conversion_errc::unexpected_type);
    }
    ++next;
  }
  if (asked_sentinels && !replies[next].is_error()) {
    std::vector<InstanceFields> peers;
    if (!parse_instances(replies[next].view(), peers)) {
      for (const auto& p : peers) {
        if (auto a = address_of(p)) out.sentinels.push_back(std::move(*a));
      }
    }
  }
  return {};
}

HostPort translate(const std::map<std::string, HostPort>& nat_map, HostPort address) {
  if (nat_map.empty()) return address;
  const std::string plain = address.host + ":" + std::to_string(address.port);
  if (auto it = nat_map.find(plain); it != nat_map.end()) return it->second;
  if (auto it = nat_map.find(address.to_string()); it != nat_map.end()) return it->second;
  return address;
}

bool replica_is_healthy(const InstanceFields& f) {
  const std::string flags = field(f, "flags");
  if (has_flag(flags, "s_down") || has_flag(flags, "o_down") || has_flag(flags, "disconnected")) {
    return false;
  }
  const auto link = f.find("master-link-status");
  if (link != f.end() && link->second != "ok") return false;
  return address_of(f).has_value();
}

ReplicaInfo replica_info(const InstanceFields& f, const std::map<std::string, HostPort>& nat_map) {
  ReplicaInfo info;
  if (auto a = address_of(f)) info.address = translate(nat_map, std::move(*a));
  info.run_id = field(f, "runid");
  parse_number(field(f, "slave-priority"), info.priority);
  parse_number(field(f, "slave-repl-offset"), info.repl_offset);
  info.fields = f;
  return info;
}

Choice choose(const Answer& answer, const SentinelOptions& options, std::minstd_rand& rng) {
  Choice c;
  if (!answer.master) {
    c.ec = make_error_code(sentinel_errc::master_unknown);
    c.detail = "the sentinel does not monitor \"" + options.master_name + "\"";
    return c;
  }
  const HostPort master = translate(options.nat_map, *answer.master);
  if (options.role == SentinelRole::master) {
    c.target = {master, SentinelRole::master};
    return c;
  }
  std::vector<ReplicaInfo> healthy;
  for (const auto& f : answer.replicas) {
    if (replica_is_healthy(f)) healthy.push_back(replica_info(f, options.nat_map));
  }
  if (!healthy.empty()) {
    std::optional<std::size_t> pick;
    if (options.prefer_replica) {
      pick = options.prefer_replica(healthy);
    } else {
      pick = std::uniform_int_distribution<std::size_t>(0, healthy.size() - 1)(rng);
    }
    if (pick && *pick < healthy.size()) {
      c.target = {healthy[*pick].address, SentinelRole::replica};
      return c;
    }
  }
  if (options.fallback_to_master) {
    c.target = {master, SentinelRole::master};
    return c;
  }
  c.ec = make_error_code(sentinel_errc::no_replica_available);
  c.detail = healthy.empty() ? "no healthy replica of \"" + options.master_name + "\""
                             : "prefer_replica accepted none of " + std::to_string(healthy.size()) +
                                   " healthy replicas";
  return c;
}

std::error_code check_role(ReplyView role_reply, SentinelRole expected, std::string& detail) {
  std::string role;
  if (role_reply.type() != resp::Type::array || role_reply.size() == 0 ||
      !scalar_text(role_reply[0], role)) {
    detail = "ROLE: unexpected reply " + role_reply.to_string().substr(0, 100);
    return make_error_code(sentinel_errc::role_mismatch);
  }
  const std::string_view want = expected == SentinelRole::master ? "master" : "slave";
  if (role != want) {
    detail = "ROLE says " + role + ", expected " + std::string(want);
    return make_error_code(sentinel_errc::role_mismatch);
  }
  if (expected == SentinelRole::replica) {
    // ["slave", master ip, master port, state, offset]: until the state is "connected" the
    // replica has not finished its first sync (a restarted replica would serve an empty
    // dataset).
    std::string state;
    if (role_reply.size() < 4 || !scalar_text(role_reply[3], state) || state != "connected") {
      detail = "the replica's link to its master is " + (state.empty() ? "unknown" : state);
      return make_error_code(sentinel_errc::role_mismatch);
    }
  }
  return {};
}

FailoverEvent parse_event(std::string_view channel, std::string_view payload,
                          std::string_view name) {
  FailoverEvent e;
  const auto w = words(payload);
  auto port_of = [](std::string_view s) {
    std::uint16_t p = 0;
    return parse_number(s, p) ? p : std::uint16_t{0};
  };
  if (channel == "+switch-master") {
    // <name> <old ip> <old port> <new ip> <new port>
    if (w.size() != 5 || w[0] != name) return e;
    e.old_master = {std::string(w[1]), port_of(w[2])};
    e.new_master = {std::string(w[3]), port_of(w[4])};
    if (e.new_master.port == 0) return e;
    e.kind = FailoverEvent::Kind::switched;
    return e;
  }
  // Instance details of a master: master <name> <ip> <port>
  if (w.size() < 4 || w[0] != "master" || w[1] != name) return e;
  e.old_master = {std::string(w[2]), port_of(w[3])};
  if (channel == "+try-failover") {
    e.kind = FailoverEvent::Kind::started;
  } else if (channel.starts_with("-failover-abort-")) {
    e.kind = FailoverEvent::Kind::aborted;
  }
  return e;
}

std::string subscribe_payload() {
  std::string p;
  resp::append_command(p, "SUBSCRIBE", "+switch-master", "+try-failover");
  resp::append_command(p, "PSUBSCRIBE", "-failover-abort-*");
  return p;
}

}  // namespace redwire::sentinel
