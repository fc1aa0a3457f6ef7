// Geo commands: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE. (GEORADIUS and
// GEORADIUSBYMEMBER are deprecated in favour of GEOSEARCH; see docs/commands.md.)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/geo.hpp"

namespace redwire {

template <class Derived>
class GeoCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {"GEOADD", "GEODIST",   "GEOHASH",
                                                        "GEOPOS", "GEOSEARCH", "GEOSEARCHSTORE"};

  /// GEOADD key [NX|XX] [CH] longitude latitude member ... — added (or changed, with CH).
  ///   geoadd("sicily", {{13.361389, 38.115556, "Palermo"}, {15.087269, 37.502669, "Catania"}})
  /// https://redis.io/commands/geoadd
  template <class... Token>
  requires TokenPack<Token...>
  auto geoadd(std::string_view key, const std::vector<GeoMember>& members, Token&&... token) {
    return geoadd(key, members, GeoAddOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto geoadd(std::string_view key, const std::vector<GeoMember>& members,
              const GeoAddOptions& opts, Token&&... token) {
    return run<long long>(Command("GEOADD", key, opts, members), std::forward<Token>(token)...);
  }
  /// GEOPOS key member [member ...] — one optional position per member.
  /// https://redis.io/commands/geopos
  template <class... Token>
  requires TokenPack<Token...>
  auto geopos(std::string_view key, const StringList& members, Token&&... token) {
    return run<std::vector<std::optional<GeoPosition>>>(Command("GEOPOS", key, members),
                                                        std::forward<Token>(token)...);
  }
  /// GEODIST key member1 member2 [unit] — nullopt when a member is missing.
  /// https://redis.io/commands/geodist
  template <class... Token>
  requires TokenPack<Token...>
  auto geodist(std::string_view key, std::string_view member1, std::string_view member2,
               GeoUnit unit, Token&&... token) {
    return run<std::optional<double>>(Command("GEODIST", key, member1, member2, unit),
                                      std::forward<Token>(token)...);
  }
  /// GEOHASH key member [member ...] — 11-character geohashes. https://redis.io/commands/geohash
  template <class... Token>
  requires TokenPack<Token...>
  auto geohash(std::string_view key, const StringList& members, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("GEOHASH", key, members),
                                                        std::forward<Token>(token)...);
  }
  /// GEOSEARCH key FROM... BY... [ASC|DESC] [COUNT n [ANY]] [WITH...] — the matches.
  /// https://redis.io/commands/geosearch
  template <class... Token>
  requires TokenPack<Token...>
  auto geosearch(std::string_view key, const GeoSearchOptions& opts, Token&&... token) {
    const auto problem = opts.problem(false);
    return run<std::vector<GeoMatch>>(
        problem.empty() ? Command("GEOSEARCH", key, opts) : invalid("GEOSEARCH: " + problem),
        std::forward<Token>(token)...);
  }
  /// GEOSEARCHSTORE destination source FROM... BY... [...] [STOREDIST] — how many were stored
  /// (a sorted set scored by geohash, or by distance with `store_distance`).
  /// https://redis.io/commands/geosearchstore
  template <class... Token>
  requires TokenPack<Token...>
  auto geosearchstore(std::string_view destination, std::string_view source,
                      const GeoSearchOptions& opts, Token&&... token) {
    const auto problem = opts.problem(true);
    return run<long long>(problem.empty() ? Command("GEOSEARCHSTORE", destination, source, opts)
                                          : invalid("GEOSEARCHSTORE: " + problem),
                          std::forward<Token>(token)...);
  }

 private:
  static Command invalid(std::string detail) {
    return Command::invalid(make_error_code(errc::invalid_argument), std::move(detail));
  }
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
