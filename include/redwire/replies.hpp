// Typed replies of commands: INFO (parsed into sections), LATENCY LATEST, TIME, scored members
// (ZRANGE ... WITHSCORES), LCS IDX, LMPOP/ZMPOP/BZPOPMIN, in both RESP2 and RESP3 shapes.
// Geo replies are in redwire/geo.hpp, server introspection in redwire/server_replies.hpp.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/convert.hpp"

namespace redwire {

/// INFO output: sections ("server", "memory", ...) of field -> value.
struct Info {
  std::map<std::string, std::map<std::string, std::string>> sections{};
  /// The value of `field` in `section` (section names are lower case), if present.
  std::optional<std::string> get(std::string_view section, std::string_view field) const;
  /// Parses the text INFO returns.
  static Info parse(std::string_view text);
};

/// SET's reply: "OK" when the value was set, nil when NX/XX prevented it. Converts to bool.
struct SetReply {
  bool applied = false;
  operator bool() const noexcept { return applied; }  // NOLINT: implicit by design
};

/// One row of LATENCY LATEST.
struct LatencySample {
  std::string event{};
  long long timestamp = 0;  ///< unix time of the latest spike
  long long latest_ms = 0;
  long long max_ms = 0;
};

/// One match of LCS ... IDX: the ranges (inclusive) in each string, and its length.
struct LcsMatch {
  std::pair<long long, long long> first{};   ///< range in key1's value
  std::pair<long long, long long> second{};  ///< range in key2's value
  long long length = 0;                      ///< with WITHMATCHLEN (else 0)
};
/// LCS ... IDX: the matches (in the server's order) and the length of the LCS.
struct LcsResult {
  std::vector<LcsMatch> matches{};
  long long length = 0;
};

/// LMPOP / BLMPOP: the key the elements came from, and the elements.
struct PoppedElements {
  std::string key{};
  std::vector<std::string> elements{};
};

/// ZMPOP / BZMPOP: the key the members came from, and the members with their scores.
struct PoppedScoredMembers {
  std::string key{};
  std::vector<ScoredMember> members{};
};

/// BZPOPMIN / BZPOPMAX: the key, the member and its score.
struct KeyedScoredMember {
  std::string key{};
  std::string member{};
  double score = 0;
};

template <>
struct FromReply<LcsResult> {
  static std::error_code convert(ReplyView v, LcsResult& out, std::string& detail);
};
template <>
struct FromReply<PoppedElements> {
  static std::error_code convert(ReplyView v, PoppedElements& out, std::string& detail);
};
template <>
struct FromReply<PoppedScoredMembers> {
  static std::error_code convert(ReplyView v, PoppedScoredMembers& out, std::string& detail);
};
template <>
struct FromReply<KeyedScoredMember> {
  static std::error_code convert(ReplyView v, KeyedScoredMember& out, std::string& detail);
};

template <>
struct FromReply<Info> {
  static std::error_code convert(ReplyView v, Info& out, std::string& detail);
};

template <>
struct FromReply<SetReply> {
  static std::error_code convert(ReplyView v, SetReply& out, std::string& detail);
};

template <>
struct FromReply<LatencySample> {
  static std::error_code convert(ReplyView v, LatencySample& out, std::string& detail);
};

template <>
struct FromReply<ScoredMember> {
  static std::error_code convert(ReplyView v, ScoredMember& out, std::string& detail);
};

/// RESP3 [[m, s], ...] and RESP2 [m, s, m, s, ...].
template <>
struct FromReply<std::vector<ScoredMember>> {
  static std::error_code convert(ReplyView v, std::vector<ScoredMember>& out, std::string& detail);
};

/// TIME -> system_clock time point (microsecond precision).
template <>
struct FromReply<std::chrono::system_clock::time_point> {
  static std::error_code convert(ReplyView v, std::chrono::system_clock::time_point& out,
                                 std::string& detail);
};

}  // namespace redwire
