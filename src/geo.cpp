#include "redwire/geo.hpp"

namespace redwire {

std::string GeoSearchOptions::problem(bool store) const {
  if (from_position.has_value() == !from_member.empty()) {
    return "needs exactly one of from_member and from_position";
  }
  if (radius.has_value() == box.has_value()) return "needs exactly one of radius and box";
  if (any && !count) return "ANY needs a count";
  if (store && (with_coordinates || with_distance || with_hash)) {
    return "WITHCOORD/WITHDIST/WITHHASH do not apply";
  }
  if (!store && store_distance) return "STOREDIST applies to GEOSEARCHSTORE only";
  return {};
}

std::error_code FromReply<GeoPosition>::convert(ReplyView v, GeoPosition& out,
                                                std::string& detail) {
  std::pair<double, double> p;
  if (auto ec = from_reply(v, p, &detail)) return ec;
  out = {p.first, p.second};
  return {};
}

// A bare member (no WITH* option), or [member, dist?, hash?, [lon, lat]?] in that order: the
// distance is a string or a double, the hash an integer, the position an array.
std::error_code FromReply<GeoMatch>::convert(ReplyView v, GeoMatch& out, std::string& detail) {
  out = {};
  if (!v.is_aggregate()) return from_reply(v, out.member, &detail);
  if (v.child_count() == 0) return detail::conversion_failure(v, "[member, ...]", detail);
  if (auto ec = from_reply(v.child(0), out.member, &detail)) return ec;
  for (std::size_t i = 1; i < v.child_count(); ++i) {
    const ReplyView field = v.child(i);
    std::error_code ec;
    if (field.is_aggregate()) {
      GeoPosition p;
      ec = from_reply(field, p, &detail);
      out.position = p;
    } else if (field.type() == resp::Type::integer) {
      long long h = 0;
      ec = from_reply(field, h, &detail);
      out.hash = h;
    } else {
      double d = 0;
      ec = from_reply(field, d, &detail);
      out.distance = d;
    }
    if (ec) return ec;
  }
  return {};
}

}  // namespace redwire
