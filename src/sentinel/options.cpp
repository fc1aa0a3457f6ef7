#include "redwire/sentinel/options.hpp"

#include <charconv>

namespace redwire {
namespace {

class SentinelCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "redwire.sentinel"; }
  std::string message(int ev) const override {
    switch (static_cast<sentinel_errc>(ev)) {
      case sentinel_errc::no_sentinel_reachable:
        return "no sentinel answered";
      case sentinel_errc::master_unknown:
        return "the sentinels do not know the master name";
      case sentinel_errc::no_replica_available:
        return "no healthy replica available";
      case sentinel_errc::role_mismatch:
        return "the node's role is not the one asked for";
      case sentinel_errc::failover_in_progress:
        return "a failover is in progress";
    }
    return "unknown sentinel error";
  }
};

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

bool percent_decode(std::string_view s, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= s.size()) return false;
    auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (r.ec != std::errc{} || r.ptr != s.data() + i + 3) return false;
    out += static_cast<char>(v);
    i += 2;
  }
  return true;
}

bool parse_host_port(std::string_view s, HostPort& out) {
  std::string_view port;
  if (!s.empty() && s[0] == '[') {  // [IPv6]:port
    const auto close = s.find(']');
    if (close == std::string_view::npos) return false;
    out.host = std::string(s.substr(1, close - 1));
    const auto after = s.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return false;
      port = after.substr(1);
    }
  } else {
    const auto colon = s.rfind(':');
    out.host = std::string(s.substr(0, colon));
    if (colon != std::string_view::npos) port = s.substr(colon + 1);
  }
  out.port = 26379;
  if (!port.empty() && (!parse_number(port, out.port) || out.port == 0)) return false;
  return !out.host.empty();
}

// Takes the sentinel-only query parameters; returns the others (for Options::from_url).
bool take_sentinel_query(std::string_view query, SentinelOptions& so, std::string& rest) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (kv.empty()) continue;
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    const auto key = kv.substr(0, eq);
    std::string value;
    if (!percent_decode(kv.substr(eq + 1), value)) return false;
    long long ms = 0;
    if (key == "role") {
      if (value == "master") {
        so.role = SentinelRole::master;
      } else if (value == "replica" || value == "slave") {
        so.role = SentinelRole::replica;
      } else {
        return false;
      }
    } else if (key == "sentinel_username") {
      so.sentinel_username = std::move(value);
    } else if (key == "sentinel_password") {
      so.sentinel_password = std::move(value);
    } else if (key == "sentinel_timeout") {
      if (!parse_number(value, ms) || ms <= 0) return false;
      so.sentinel_timeout = std::chrono::milliseconds(ms);
    } else if (key == "fallback_to_master") {
      if (value != "yes" && value != "no" && value != "true" && value != "false") return false;
      so.fallback_to_master = value == "yes" || value == "true";
    } else {
      rest += (rest.empty() ? "" : "&") + std::string(kv);
    }
  }
  return true;
}

}  // namespace

const std::error_category& sentinel_category() noexcept {
  static const SentinelCategory category;
  return category;
}

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

SentinelOptions SentinelOptions::from_url(std::string_view url, std::error_code& ec) {
  ec = {};
  SentinelOptions so;
  auto fail = [&] {
    ec = make_error_code(errc::invalid_url);
    return SentinelOptions{};
  };
  constexpr std::string_view scheme = "redis+sentinel://";
  if (!url.starts_with(scheme)) return fail();
  std::string_view rest = url.substr(scheme.size());
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return fail();  // the master name is required
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  std::string_view userinfo;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  while (!authority.empty()) {
    const auto comma = authority.find(',');
    HostPort hp;
    if (!parse_host_port(authority.substr(0, comma), hp)) return fail();
    so.sentinels.push_back(std::move(hp));
    authority.remove_prefix(comma == std::string_view::npos ? authority.size() : comma + 1);
  }
  if (so.sentinels.empty()) return fail();
  std::string_view db;
  if (const auto s2 = path.find('/'); s2 != std::string_view::npos) {
    db = path.substr(s2 + 1);
    path = path.substr(0, s2);
  }
  if (!percent_decode(path, so.master_name) || so.master_name.empty()) return fail();
  std::string node_query;
  if (!take_sentinel_query(query, so, node_query)) return fail();
  // The data node's part (credentials, db, name, protocol, timeouts) is an ordinary URL.
  std::string node_url = "redis://";
  if (!userinfo.empty()) node_url += std::string(userinfo) + "@";
  node_url += "127.0.0.1";
  if (!db.empty()) node_url += "/" + std::string(db);
  if (!node_query.empty()) node_url += "?" + node_query;
  so.node = Options::from_url(node_url, ec);
  if (ec) return fail();
  return so;
}

SentinelOptions SentinelOptions::from_url(std::string_view url) {
  std::error_code ec;
  SentinelOptions so = from_url(url, ec);
  if (ec) throw std::system_error(ec, "SentinelOptions::from_url");
  return so;
}

}  // namespace redwire
