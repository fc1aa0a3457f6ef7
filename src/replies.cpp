#include "redwire/replies.hpp"

#include <cctype>

namespace redwire {

std::optional<std::string> Info::get(std::string_view section, std::string_view field) const {
  const auto s = sections.find(std::string(section));
  if (s == sections.end()) return std::nullopt;
  const auto f = s->second.find(std::string(field));
  if (f == s->second.end()) return std::nullopt;
  return f->second;
}

Info Info::parse(std::string_view text) {
  Info info;
  std::string current = "default";
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line[0] == '#') {
      line.remove_prefix(1);
      while (!line.empty() && line[0] == ' ') line.remove_prefix(1);
      current.assign(line);
      for (auto& c : current) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      info.sections[current];
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    info.sections[current][std::string(line.substr(0, colon))] =
        std::string(line.substr(colon + 1));
  }
  return info;
}

std::error_code FromReply<Info>::convert(ReplyView v, Info& out, std::string& detail) {
  std::string_view text;
  if (auto ec = from_reply(v, text, &detail)) return ec;
  out = Info::parse(text);
  return {};
}

std::error_code FromReply<SetReply>::convert(ReplyView v, SetReply& out, std::string& detail) {
  if (v.is_null()) {
    out.applied = false;
    return {};
  }
  if (v.type() == resp::Type::simple_string && v.value() == "OK") {
    out.applied = true;
    return {};
  }
  return detail::conversion_failure(v, "OK or nil", detail);
}

std::error_code FromReply<LatencySample>::convert(ReplyView v, LatencySample& out,
                                                  std::string& detail) {
  std::tuple<std::string, long long, long long, long long> row;
  if (auto ec = from_reply(v, row, &detail)) return ec;
  out = {std::move(std::get<0>(row)), std::get<1>(row), std::get<2>(row), std::get<3>(row)};
  return {};
}

std::error_code FromReply<ScoredMember>::convert(ReplyView v, ScoredMember& out,
                                                 std::string& detail) {
  std::pair<std::string, double> p;
  if (auto ec = from_reply(v, p, &detail)) return ec;
  out = {std::move(p.first), p.second};
  return {};
}

std::error_code FromReply<std::vector<ScoredMember>>::convert(ReplyView v,
                                                              std::vector<ScoredMember>& out,
                                                              std::string& detail) {
  std::vector<std::pair<std::string, double>> pairs;
  if (auto ec = from_reply(v, pairs, &detail)) return ec;
  out.clear();
  out.reserve(pairs.size());
  for (auto& [m, s] : pairs) out.push_back({std::move(m), s});
  return {};
}

std::error_code FromReply<std::chrono::system_clock::time_point>::convert(
    ReplyView v, std::chrono::system_clock::time_point& out, std::string& detail) {
  std::pair<long long, long long> t;
  if (auto ec = from_reply(v, t, &detail)) return ec;
  out = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(t.first) + std::chrono::microseconds(t.second)));
  return {};
}

std::error_code FromReply<LcsResult>::convert(ReplyView v, LcsResult& out, std::string& detail) {
  out = {};
  return detail::for_each_pair(v, detail, [&](ReplyView key, ReplyView value) -> std::error_code {
    std::string_view name;
    if (auto ec = from_reply(key, name, &detail)) return ec;
    if (name == "len") return from_reply(value, out.length, &detail);
    if (name != "matches") return {};
    return detail::for_each_element(value, detail, [&](ReplyView m) -> std::error_code {
      if (!m.is_aggregate() || m.child_count() < 2) {
        return detail::conversion_failure(m, "[[a, b], [c, d], len?]", detail);
      }
      LcsMatch match;
      if (auto ec = from_reply(m.child(0), match.first, &detail)) return ec;
      if (auto ec = from_reply(m.child(1), match.second, &detail)) return ec;
      if (m.child_count() > 2) {
        if (auto ec = from_reply(m.child(2), match.length, &detail)) return ec;
      }
      out.matches.push_back(match);
      return {};
    });
  });
}

std::error_code FromReply<PoppedElements>::convert(ReplyView v, PoppedElements& out,
                                                   std::string& detail) {
  std::pair<std::string, std::vector<std::string>> p;
  if (auto ec = from_reply(v, p, &detail)) return ec;
  out = {std::move(p.first), std::move(p.second)};
  return {};
}

std::error_code FromReply<PoppedScoredMembers>::convert(ReplyView v, PoppedScoredMembers& out,
                                                        std::string& detail) {
  std::pair<std::string, std::vector<ScoredMember>> p;
  if (auto ec = from_reply(v, p, &detail)) return ec;
  out = {std::move(p.first), std::move(p.second)};
  return {};
}

std::error_code FromReply<KeyedScoredMember>::convert(ReplyView v, KeyedScoredMember& out,
                                                      std::string& detail) {
  std::tuple<std::string, std::string, double> t;
  if (auto ec = from_reply(v, t, &detail)) return ec;
  out = {std::move(std::get<0>(t)), std::move(std::get<1>(t)), std::get<2>(t)};
  return {};
}

}  // namespace redwire
