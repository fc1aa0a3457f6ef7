// One page of SCAN / HSCAN / SSCAN / ZSCAN, and their options. The iteration helpers (a range
// for the blocking facade, a loop for coroutines) are in redwire/scan.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/convert.hpp"

namespace redwire {

/// SCAN [MATCH pattern] [COUNT n] [TYPE type]; HSCAN/SSCAN/ZSCAN take MATCH and COUNT.
///   redwire::ScanOptions{.match = "user:*", .count = 1000, .type = "hash"}
/// The MATCH pattern is sent as given: Options::key_prefix does not apply to it.
struct ScanOptions {
  using redwire_option = void;
  std::string match{};               ///< glob-style pattern; empty = everything
  std::optional<long long> count{};  ///< a hint of how much work per call
  std::string type{};                ///< SCAN only: "string", "hash", "zset", ...

  template <class F>
  void visit_args(F&& f) const {
    if (!match.empty()) {
      f(std::string_view("MATCH"));
      f(std::string_view(match));
    }
    if (count) {
      f(std::string_view("COUNT"));
      f(*count);
    }
    if (!type.empty()) {
      f(std::string_view("TYPE"));
      f(std::string_view(type));
    }
  }
};

/// The reply of one SCAN-family call: the cursor for the next call (0: the iteration is over)
/// and this call's elements (std::string for SCAN/SSCAN, field/value pairs for HSCAN,
/// ScoredMember for ZSCAN).
template <class T>
struct ScanPage {
  std::uint64_t cursor = 0;
  std::vector<T> items{};
};

template <class T>
struct FromReply<ScanPage<T>> {
  static std::error_code convert(ReplyView v, ScanPage<T>& out, std::string& detail) {
    if (!v.is_aggregate() || v.child_count() != 2) {
      return detail::conversion_failure(v, "[cursor, elements]", detail);
    }
    if (auto ec = from_reply(v.child(0), out.cursor, &detail)) return ec;
    return from_reply(v.child(1), out.items, &detail);
  }
};

}  // namespace redwire
