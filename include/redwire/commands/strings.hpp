// String commands: GET, SET (with every option), INCR family, MGET/MSET, GETEX, LCS, ...
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

/// LCS ... IDX options: MINMATCHLEN and WITHMATCHLEN.
struct LcsOptions {
  using redwire_option = void;
  long long min_match_len = 0;  ///< 0 = every match
  bool with_match_len = false;

  template <class F>
  void visit_args(F&& f) const {
    if (min_match_len > 0) {
      f(std::string_view("MINMATCHLEN"));
      f(min_match_len);
    }
    if (with_match_len) f(std::string_view("WITHMATCHLEN"));
  }
};

template <class Derived>
class StringCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "APPEND", "DECR",   "DECRBY",      "GET",   "GETDEL",   "GETEX", "GETRANGE",
      "INCR",   "INCRBY", "INCRBYFLOAT", "LCS",   "MGET",     "MSET",  "MSETNX",
      "PSETEX", "SET",    "SETEX",       "SETNX", "SETRANGE", "STRLEN"};

  /// GET key — https://redis.io/commands/get
  template <class... Token>
  requires TokenPack<Token...>
  auto get(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("GET", key), std::forward<Token>(token)...);
  }
  /// SET key value — true when set (false when NX/XX prevented it). https://redis.io/commands/set
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto set(std::string_view key, const V& value, Token&&... token) {
    return run<SetReply>(Command("SET", key, value), std::forward<Token>(token)...);
  }
  /// SET key value [EX|PX|EXAT|PXAT|KEEPTTL] [NX|XX] — e.g. set("k", "v", ex(60s) | nx())
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto set(std::string_view key, const V& value, const SetOptions& opts, Token&&... token) {
    if (opts.conflict) {
      return run<SetReply>(invalid("SET: conflicting or non-positive expiry/condition options"),
                           std::forward<Token>(token)...);
    }
    return run<SetReply>(Command("SET", key, value, opts), std::forward<Token>(token)...);
  }
  /// SET key value [options] GET — the old value. https://redis.io/commands/set
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto set_get(std::string_view key, const V& value, const SetOptions& opts, Token&&... token) {
    if (opts.conflict) {
      return run<std::optional<std::string>>(invalid("SET: conflicting options"),
                                             std::forward<Token>(token)...);
    }
    return run<std::optional<std::string>>(Command("SET", key, value, opts, "GET"),
                                           std::forward<Token>(token)...);
  }
  /// SETNX key value — true when set. https://redis.io/commands/setnx
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto setnx(std::string_view key, const V& value, Token&&... token) {
    return run<bool>(Command("SETNX", key, value), std::forward<Token>(token)...);
  }
  /// SETEX key seconds value — https://redis.io/commands/setex
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto setex(std::string_view key, std::chrono::seconds ttl, const V& value, Token&&... token) {
    return run<void>(Command("SETEX", key, ttl.count(), value), std::forward<Token>(token)...);
  }
  /// PSETEX key milliseconds value — https://redis.io/commands/psetex
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto psetex(std::string_view key, std::chrono::milliseconds ttl, const V& value,
              Token&&... token) {
    return run<void>(Command("PSETEX", key, ttl.count(), value), std::forward<Token>(token)...);
  }
  /// GETDEL key — https://redis.io/commands/getdel
  template <class... Token>
  requires TokenPack<Token...>
  auto getdel(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("GETDEL", key), std::forward<Token>(token)...);
  }
  /// GETEX key EX|PX|EXAT|PXAT — reads and sets the expiry: getex("k", ex(60s)). Only the
  /// expiry of the SetOptions applies (KEEPTTL, NX and XX are rejected before sending).
  /// https://redis.io/commands/getex
  template <class... Token>
  requires TokenPack<Token...>
  auto getex(std::string_view key, const SetOptions& expiry, Token&&... token) {
    if (expiry.conflict || expiry.condition != SetOptions::Condition::none ||
        expiry.expiry == SetOptions::Expiry::keepttl) {
      return run<std::optional<std::string>>(invalid("GETEX: takes one of EX/PX/EXAT/PXAT"),
                                             std::forward<Token>(token)...);
    }
    return run<std::optional<std::string>>(Command("GETEX", key, expiry),
                                           std::forward<Token>(token)...);
  }
  /// GETEX key PERSIST — reads and removes the expiry.
  template <class... Token>
  requires TokenPack<Token...>
  auto getex_persist(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("GETEX", key, "PERSIST"),
                                           std::forward<Token>(token)...);
  }
  /// GETRANGE key start end — https://redis.io/commands/getrange
  template <class... Token>
  requires TokenPack<Token...>
  auto getrange(std::string_view key, long long start, long long end, Token&&... token) {
    return run<std::string>(Command("GETRANGE", key, start, end), std::forward<Token>(token)...);
  }
  /// SETRANGE key offset value — the new length. https://redis.io/commands/setrange
  template <class... Token>
  requires TokenPack<Token...>
  auto setrange(std::string_view key, long long offset, std::string_view value, Token&&... token) {
    return run<long long>(Command("SETRANGE", key, offset, value), std::forward<Token>(token)...);
  }
  /// APPEND key value — the new length. https://redis.io/commands/append
  template <class... Token>
  requires TokenPack<Token...>
  auto append(std::string_view key, std::string_view value, Token&&... token) {
    return run<long long>(Command("APPEND", key, value), std::forward<Token>(token)...);
  }
  /// STRLEN key — https://redis.io/commands/strlen
  template <class... Token>
  requires TokenPack<Token...>
  auto strlen(std::string_view key, Token&&... token) {
    return run<long long>(Command("STRLEN", key), std::forward<Token>(token)...);
  }
  /// INCR key — https://redis.io/commands/incr
  template <class... Token>
  requires TokenPack<Token...>
  auto incr(std::string_view key, Token&&... token) {
    return run<long long>(Command("INCR", key), std::forward<Token>(token)...);
  }
  /// INCRBY key n — https://redis.io/commands/incrby
  template <class... Token>
  requires TokenPack<Token...>
  auto incrby(std::string_view key, long long n, Token&&... token) {
    return run<long long>(Command("INCRBY", key, n), std::forward<Token>(token)...);
  }
  /// INCRBYFLOAT key x — the new value. https://redis.io/commands/incrbyfloat
  template <class... Token>
  requires TokenPack<Token...>
  auto incrbyfloat(std::string_view key, double x, Token&&... token) {
    return run<double>(Command("INCRBYFLOAT", key, x), std::forward<Token>(token)...);
  }
  /// DECR key — https://redis.io/commands/decr
  template <class... Token>
  requires TokenPack<Token...>
  auto decr(std::string_view key, Token&&... token) {
    return run<long long>(Command("DECR", key), std::forward<Token>(token)...);
  }
  /// DECRBY key n — https://redis.io/commands/decrby
  template <class... Token>
  requires TokenPack<Token...>
  auto decrby(std::string_view key, long long n, Token&&... token) {
    return run<long long>(Command("DECRBY", key, n), std::forward<Token>(token)...);
  }
  /// MGET key [key ...] — one optional per key. https://redis.io/commands/mget
  template <class... Token>
  requires TokenPack<Token...>
  auto mget(const StringList& keys, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("MGET", keys),
                                                        std::forward<Token>(token)...);
  }
  /// MSET key value [key value ...] — https://redis.io/commands/mset
  template <class... Token>
  requires TokenPack<Token...>
  auto mset(const FieldValues& pairs, Token&&... token) {
    return run<void>(Command("MSET", pairs), std::forward<Token>(token)...);
  }
  /// MSETNX key value [key value ...] — true when all were set (none existed).
  /// https://redis.io/commands/msetnx
  template <class... Token>
  requires TokenPack<Token...>
  auto msetnx(const FieldValues& pairs, Token&&... token) {
    return run<bool>(Command("MSETNX", pairs), std::forward<Token>(token)...);
  }
  /// LCS key1 key2 — the longest common subsequence. https://redis.io/commands/lcs
  template <class... Token>
  requires TokenPack<Token...>
  auto lcs(std::string_view key1, std::string_view key2, Token&&... token) {
    return run<std::string>(Command("LCS", key1, key2), std::forward<Token>(token)...);
  }
  /// LCS key1 key2 LEN — its length.
  template <class... Token>
  requires TokenPack<Token...>
  auto lcs_len(std::string_view key1, std::string_view key2, Token&&... token) {
    return run<long long>(Command("LCS", key1, key2, "LEN"), std::forward<Token>(token)...);
  }
  /// LCS key1 key2 IDX [MINMATCHLEN n] [WITHMATCHLEN] — the matching ranges.
  template <class... Token>
  requires TokenPack<Token...>
  auto lcs_idx(std::string_view key1, std::string_view key2, const LcsOptions& opts,
               Token&&... token) {
    return run<LcsResult>(Command("LCS", key1, key2, "IDX", opts), std::forward<Token>(token)...);
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
