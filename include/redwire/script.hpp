// A Lua script sent by its SHA1 (EVALSHA), falling back to EVAL when the server does not have
// it (NOSCRIPT: after SCRIPT FLUSH or a restart). The SHA1 is computed locally.
//
//   redwire::Script limiter{R"(
//     local current = redis.call('INCR', KEYS[1])
//     if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
//     return current <= tonumber(ARGV[1]))"};
//   auto allowed = r.run_script<std::optional<long long>>(limiter, {"rl:ip:1.2.3.4"}, {100, 60});
//
// Lua -> RESP conversions are the server's: true becomes 1, false becomes nil (so a script
// returning a boolean is read as std::optional<long long>), numbers are truncated to integers
// (return tostring(x) for decimals), tables become arrays up to the first nil.
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/command.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire {

/// One script argument (ARGV): text, or a number written as text.
class ScriptArg {
 public:
  ScriptArg(std::string_view s) : text_(s) {}    // NOLINT: implicit by design
  ScriptArg(const char* s) : text_(s) {}         // NOLINT
  ScriptArg(const std::string& s) : text_(s) {}  // NOLINT
  template <class N>
  requires(std::is_arithmetic_v<N> && !std::is_same_v<N, bool>) ScriptArg(N n) {  // NOLINT
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    text_.assign(buf, r.ptr);
  }
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};
using ScriptArgs = std::vector<ScriptArg>;

class Script {
 public:
  /// `read_only` scripts run with EVALSHA_RO / EVAL_RO (allowed on replicas, retry-safe).
  explicit Script(std::string source, bool read_only = false);

  const std::string& source() const noexcept { return source_; }
  /// Lower-case hex SHA1 of the source, as SCRIPT LOAD returns it.
  const std::string& sha1() const noexcept { return sha1_; }
  bool read_only() const noexcept { return read_only_; }

  /// EVALSHA sha numkeys keys... args...
  Command evalsha(const StringList& keys, const ScriptArgs& args) const;
  /// EVAL source numkeys keys... args...
  Command eval(const StringList& keys, const ScriptArgs& args) const;

 private:
  std::string source_;
  std::string sha1_;
  bool read_only_;
};

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::ScriptArgs> {
  static std::size_t count(const ScriptArgs& a) noexcept { return a.size(); }
  static void write(std::string& out, const ScriptArgs& a) {
    for (const auto& s : a) append_bulk(out, s.text());
  }
};
