// Geo argument and reply types: positions, members to add, GEOSEARCH options and matches.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/convert.hpp"

namespace redwire {

/// Longitude and latitude in degrees.
struct GeoPosition {
  double longitude = 0;
  double latitude = 0;
};

/// A member to GEOADD: where, and its name (borrowed for the duration of a call).
struct GeoMember {
  double longitude = 0;
  double latitude = 0;
  std::string_view member{};
};

enum class GeoUnit { m, km, ft, mi };

/// GEOADD [NX|XX] [CH].
struct GeoAddOptions {
  using redwire_option = void;
  enum class Condition { none, nx, xx };
  Condition condition = Condition::none;
  bool ch = false;  ///< count changed members too, not only added ones

  template <class F>
  void visit_args(F&& f) const {
    if (condition != Condition::none) {
      f(std::string_view(condition == Condition::nx ? "NX" : "XX"));
    }
    if (ch) f(std::string_view("CH"));
  }
};

/// GEOSEARCH / GEOSEARCHSTORE: a centre (a member or a position), a shape (a radius or a box),
/// and how to order, limit and describe the matches.
///   redis.geosearch("sicily", {.from_position = GeoPosition{15, 37}, .radius = 200,
///                              .unit = GeoUnit::km, .order = GeoSearchOptions::Order::asc,
///                              .with_distance = true}, token)
/// Exactly one of from_member / from_position and one of radius / box must be set.
struct GeoSearchOptions {
  using redwire_option = void;
  enum class Order { none, asc, desc };

  std::string from_member{};                       ///< FROMMEMBER
  std::optional<GeoPosition> from_position{};      ///< FROMLONLAT
  std::optional<double> radius{};                  ///< BYRADIUS
  std::optional<std::pair<double, double>> box{};  ///< BYBOX width height
  GeoUnit unit = GeoUnit::m;
  Order order = Order::none;
  std::optional<long long> count{};  ///< COUNT n
  bool any = false;                  ///< COUNT n ANY: stop at the first n found
  // GEOSEARCH only:
  bool with_coordinates = false;  ///< WITHCOORD
  bool with_distance = false;     ///< WITHDIST
  bool with_hash = false;         ///< WITHHASH
  // GEOSEARCHSTORE only:
  bool store_distance = false;  ///< STOREDIST: store distances instead of geohashes

  /// Empty when the options are consistent for GEOSEARCH (or GEOSEARCHSTORE, `store` true),
  /// else what is wrong.
  std::string problem(bool store) const;

  template <class F>
  void visit_args(F&& f) const {
    constexpr std::string_view units[] = {"m", "km", "ft", "mi"};
    const auto unit_name = units[static_cast<int>(unit)];
    if (from_position) {
      f(std::string_view("FROMLONLAT"));
      f(from_position->longitude);
      f(from_position->latitude);
    } else {
      f(std::string_view("FROMMEMBER"));
      f(std::string_view(from_member));
    }
    if (radius) {
      f(std::string_view("BYRADIUS"));
      f(*radius);
    } else if (box) {
      f(std::string_view("BYBOX"));
      f(box->first);
      f(box->second);
    }
    f(unit_name);
    if (order != Order::none) f(std::string_view(order == Order::asc ? "ASC" : "DESC"));
    if (count) {
      f(std::string_view("COUNT"));
      f(*count);
      if (any) f(std::string_view("ANY"));
    }
    if (with_coordinates) f(std::string_view("WITHCOORD"));
    if (with_distance) f(std::string_view("WITHDIST"));
    if (with_hash) f(std::string_view("WITHHASH"));
    if (store_distance) f(std::string_view("STOREDIST"));
  }
};

/// One GEOSEARCH match: the member, and what the WITH* options asked for.
struct GeoMatch {
  std::string member{};
  std::optional<double> distance{};  ///< in the search's unit
  std::optional<long long> hash{};   ///< the 52-bit geohash score
  std::optional<GeoPosition> position{};
};

template <>
struct FromReply<GeoPosition> {
  static std::error_code convert(ReplyView v, GeoPosition& out, std::string& detail);
};
template <>
struct FromReply<GeoMatch> {
  static std::error_code convert(ReplyView v, GeoMatch& out, std::string& detail);
};

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::GeoMember> {
  static std::size_t count(const GeoMember&) noexcept { return 3; }
  static void write(std::string& out, const GeoMember& m) {
    ArgTraits<double>::write(out, m.longitude);
    ArgTraits<double>::write(out, m.latitude);
    append_bulk(out, m.member);
  }
};
template <>
struct redwire::resp::ArgTraits<redwire::GeoUnit> {
  static std::size_t count(GeoUnit) noexcept { return 1; }
  static void write(std::string& out, GeoUnit u) {
    constexpr std::string_view units[] = {"m", "km", "ft", "mi"};
    append_bulk(out, units[static_cast<int>(u)]);
  }
};
