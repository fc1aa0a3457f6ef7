#include "redwire/options.hpp"

#include <charconv>
#include <random>
#include <system_error>

namespace redwire {
namespace {

std::string percent_decode(std::string_view s, bool& ok) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= s.size()) {
      ok = false;
      return {};
    }
    auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
    if (r.ec != std::errc{} || r.ptr != s.data() + i + 3) {
      ok = false;
      return {};
    }
    out += static_cast<char>(v);
    i += 2;
  }
  return out;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

// Applies "?a=b&c=d" query parameters: db, name, protocol, timeouts in ms; TLS files and
// server name for rediss:// only (verify_peer cannot be switched off from a URL).
bool apply_query(std::string_view query, Options& o) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (kv.empty()) continue;
    const auto eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    const auto key = kv.substr(0, eq);
    bool ok = true;
    const auto value = percent_decode(kv.substr(eq + 1), ok);
    if (!ok) return false;
    long long ms = 0;
    if (key == "db") {
      if (!parse_number(value, o.db) || o.db < 0) return false;
    } else if (key == "name" || key == "client_name") {
      o.client_name = value;
    } else if (key == "protocol") {
      if (!parse_number(value, o.protocol) || (o.protocol != 2 && o.protocol != 3)) return false;
    } else if (key == "connect_timeout") {
      if (!parse_number(value, ms) || ms < 0) return false;
      o.connect_timeout = std::chrono::milliseconds(ms);
    } else if (key == "command_timeout") {
      if (!parse_number(value, ms) || ms < 0) return false;
      o.command_timeout = std::chrono::milliseconds(ms);
    } else if (o.tls.enabled && key == "ca_file") {
      o.tls.ca_file = value;
    } else if (o.tls.enabled && key == "ca_dir") {
      o.tls.ca_dir = value;
    } else if (o.tls.enabled && key == "cert_file") {
      o.tls.cert_file = value;
    } else if (o.tls.enabled && key == "key_file") {
      o.tls.key_file = value;
    } else if (o.tls.enabled && key == "server_name") {
      o.tls.server_name = value;
    } else {
      return false;  // unknown parameters are an error: a typo must not pass silently
    }
  }
  return true;
}

}  // namespace

RetryStrategy exponential_backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap) {
  return [base, cap](std::uint32_t attempt) -> std::optional<std::chrono::milliseconds> {
    thread_local std::minstd_rand rng{std::random_device{}()};
    const std::uint32_t shift = attempt == 0 ? 0 : std::min<std::uint32_t>(attempt - 1, 20);
    auto delay = std::min<long long>(base.count() << shift, cap.count());
    std::uniform_int_distribution<long long> jitter(delay / 2, delay);
    return std::chrono::milliseconds(jitter(rng));
  };
}

Options Options::from_url(std::string_view url, std::error_code& ec) {
  ec = {};
  Options o;
  auto fail = [&] {
    ec = make_error_code(errc::invalid_url);
    return Options{};
  };
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return fail();
  const auto scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  bool ok = true;
  if (scheme == "unix") {
    if (rest.empty() || rest[0] != '/') return fail();
    o.path = percent_decode(rest, ok);
    if (!ok || !apply_query(query, o)) return fail();
    return o;
  }
  if (scheme == "rediss") {
    o.tls.enabled = true;
  } else if (scheme != "redis") {
    return fail();
  }
  // userinfo@host:port/db
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // redis://password@host is accepted by many clients; redis://user@host with no password
      // is rare. Follow ioredis: a lone userinfo is the password.
      o.password = percent_decode(userinfo, ok);
    } else {
      o.username = percent_decode(userinfo.substr(0, colon), ok);
      o.password = percent_decode(userinfo.substr(colon + 1), ok);
    }
    if (!ok) return fail();
  }
  std::string_view hostport = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    const auto db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_number(db, o.db) || o.db < 0)) return fail();
  }
  std::string_view port;
  if (!hostport.empty() && hostport[0] == '[') {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return fail();
    o.host = std::string(hostport.substr(1, close - 1));
    const auto after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail();
      port = after.substr(1);
    }
  } else {
    const auto colon = hostport.rfind(':');
    if (colon != std::string_view::npos) {
      port = hostport.substr(colon + 1);
      hostport = hostport.substr(0, colon);
    }
    if (!hostport.empty()) o.host = std::string(hostport);
  }
  if (o.host.empty()) return fail();
  if (!port.empty() && (!parse_number(port, o.port) || o.port == 0)) return fail();
  if (!apply_query(query, o)) return fail();
  return o;
}

Options Options::from_url(std::string_view url) {
  std::error_code ec;
  Options o = from_url(url, ec);
  // The URL may hold a password: never echo it.
  if (ec) throw std::system_error(ec, "Options::from_url");
  return o;
}

std::string Options::endpoint() const {
  if (!path.empty()) return "unix:" + path;
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

}  // namespace redwire
