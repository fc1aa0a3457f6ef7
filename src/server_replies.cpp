#include "redwire/server_replies.hpp"

#include <charconv>

namespace redwire {
namespace {

// Calls f(name, value) for each field of a map-shaped reply (RESP3 map, RESP2 flat array).
template <class F>
std::error_code each_field(ReplyView v, std::string& detail, F&& f) {
  return detail::for_each_pair(v, detail, [&](ReplyView key, ReplyView value) -> std::error_code {
    std::string_view name;
    if (auto ec = from_reply(key, name, &detail)) return ec;
    return f(name, value);
  });
}

std::error_code flatten(ReplyView v, const std::string& prefix, MemoryStats& out,
                        std::string& detail) {
  return each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    std::string full = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
    if (value.is_aggregate()) return flatten(value, full, out, detail);
    if (value.is_null()) return {};
    double d = 0;
    if (from_reply(value, d) == std::error_code{}) out.values[std::move(full)] = d;
    return {};  // text-valued fields (none in Redis 7.0) are skipped
  });
}

}  // namespace

std::optional<double> MemoryStats::get(std::string_view name) const {
  const auto it = values.find(std::string(name));
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string ClientInfo::get(std::string_view field) const {
  const auto it = fields.find(std::string(field));
  return it == fields.end() ? std::string() : it->second;
}

long long ClientInfo::id() const {
  const auto s = get("id");
  long long v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

ClientInfo ClientInfo::parse(std::string_view line) {
  ClientInfo info;
  while (!line.empty()) {
    const auto space = line.find(' ');
    const auto item = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    auto value = item.substr(eq + 1);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.remove_suffix(1);
    info.fields[std::string(item.substr(0, eq))] = std::string(value);
  }
  return info;
}

std::error_code FromReply<SlowlogEntry>::convert(ReplyView v, SlowlogEntry& out,
                                                 std::string& detail) {
  if (!v.is_aggregate() || v.child_count() < 4) {
    return detail::conversion_failure(v, "[id, time, duration, args, ...]", detail);
  }
  out = {};
  if (auto ec = from_reply(v.child(0), out.id, &detail)) return ec;
  if (auto ec = from_reply(v.child(1), out.timestamp, &detail)) return ec;
  if (auto ec = from_reply(v.child(2), out.duration_us, &detail)) return ec;
  if (auto ec = from_reply(v.child(3), out.args, &detail)) return ec;
  if (v.child_count() > 5) {
    if (auto ec = from_reply(v.child(4), out.client_address, &detail)) return ec;
    if (auto ec = from_reply(v.child(5), out.client_name, &detail)) return ec;
  }
  return {};
}

std::error_code FromReply<Role>::convert(ReplyView v, Role& out, std::string& detail) {
  if (!v.is_aggregate() || v.child_count() < 2) {
    return detail::conversion_failure(v, "[role, ...]", detail);
  }
  out = {};
  if (auto ec = from_reply(v.child(0), out.role, &detail)) return ec;
  if (out.role == "master" && v.child_count() >= 3) {
    if (auto ec = from_reply(v.child(1), out.offset, &detail)) return ec;
    std::vector<std::tuple<std::string, long long, long long>> replicas;
    if (auto ec = from_reply(v.child(2), replicas, &detail)) return ec;
    for (auto& [host, port, offset] : replicas) out.replicas.push_back({host, port, offset});
  } else if (out.role == "slave" && v.child_count() >= 5) {
    if (auto ec = from_reply(v.child(1), out.master_host, &detail)) return ec;
    if (auto ec = from_reply(v.child(2), out.master_port, &detail)) return ec;
    if (auto ec = from_reply(v.child(3), out.state, &detail)) return ec;
    if (auto ec = from_reply(v.child(4), out.offset, &detail)) return ec;
  } else if (out.role == "sentinel") {
    if (auto ec = from_reply(v.child(1), out.master_names, &detail)) return ec;
  }
  return {};
}

std::error_code FromReply<MemoryStats>::convert(ReplyView v, MemoryStats& out,
                                                std::string& detail) {
  out = {};
  return flatten(v, "", out, detail);
}

std::error_code FromReply<CommandLatencyHistogram>::convert(ReplyView v,
                                                            CommandLatencyHistogram& out,
                                                            std::string& detail) {
  out = {};
  return each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "calls") return from_reply(value, out.calls, &detail);
    if (name == "histogram_usec") return from_reply(value, out.histogram_usec, &detail);
    return {};
  });
}

std::error_code FromReply<ClientInfo>::convert(ReplyView v, ClientInfo& out, std::string& detail) {
  std::string_view text;
  if (auto ec = from_reply(v, text, &detail)) return ec;
  out = ClientInfo::parse(text);
  return {};
}

std::error_code FromReply<std::vector<ClientInfo>>::convert(ReplyView v,
                                                            std::vector<ClientInfo>& out,
                                                            std::string& detail) {
  std::string_view text;
  if (auto ec = from_reply(v, text, &detail)) return ec;
  out.clear();
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.find('=') != std::string_view::npos) out.push_back(ClientInfo::parse(line));
  }
  return {};
}

std::error_code FromReply<TrackingInfo>::convert(ReplyView v, TrackingInfo& out,
                                                 std::string& detail) {
  out = {};
  return each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "flags") return from_reply(value, out.flags, &detail);
    if (name == "redirect") return from_reply(value, out.redirect, &detail);
    if (name == "prefixes") return from_reply(value, out.prefixes, &detail);
    return {};
  });
}

std::error_code FromReply<FunctionLibrary>::convert(ReplyView v, FunctionLibrary& out,
                                                    std::string& detail) {
  out = {};
  return each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "library_name") return from_reply(value, out.name, &detail);
    if (name == "engine") return from_reply(value, out.engine, &detail);
    if (name == "library_code") return from_reply(value, out.code, &detail);
    if (name != "functions") return {};
    return detail::for_each_element(value, detail, [&](ReplyView fn) -> std::error_code {
      FunctionLibrary::Function f;
      auto ec = each_field(fn, detail, [&](std::string_view field, ReplyView x) -> std::error_code {
        if (field == "name") return from_reply(x, f.name, &detail);
        if (field == "description") return from_reply(x, f.description, &detail);
        if (field == "flags") return from_reply(x, f.flags, &detail);
        return {};
      });
      if (ec) return ec;
      out.functions.push_back(std::move(f));
      return {};
    });
  });
}

std::error_code FromReply<FunctionStats>::convert(ReplyView v, FunctionStats& out,
                                                  std::string& detail) {
  out = {};
  return each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "running_script") {
      if (value.is_null()) return {};
      FunctionStats::Running r;
      auto ec = each_field(value, detail, [&](std::string_view f, ReplyView x) -> std::error_code {
        if (f == "name") return from_reply(x, r.name, &detail);
        if (f == "command") return from_reply(x, r.command, &detail);
        if (f == "duration_ms") return from_reply(x, r.duration_ms, &detail);
        return {};
      });
      out.running = std::move(r);
      return ec;
    }
    if (name != "engines") return {};
    return each_field(value, detail, [&](std::string_view engine, ReplyView x) -> std::error_code {
      FunctionStats::Engine e;
      auto ec = each_field(x, detail, [&](std::string_view f, ReplyView n) -> std::error_code {
        if (f == "libraries_count") return from_reply(n, e.libraries, &detail);
        if (f == "functions_count") return from_reply(n, e.functions, &detail);
        return {};
      });
      out.engines[std::string(engine)] = e;
      return ec;
    });
  });
}

}  // namespace redwire
