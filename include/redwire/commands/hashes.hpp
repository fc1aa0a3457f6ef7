// Hash commands: HSET/HGET/HGETALL, HMGET, HINCRBY(FLOAT), HRANDFIELD, HSCAN, ...
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/scan_page.hpp"

namespace redwire {

template <class Derived>
class HashCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "HDEL",  "HEXISTS",    "HGET",  "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HKEYS", "HLEN",
      "HMGET", "HRANDFIELD", "HSCAN", "HSET",    "HSETNX",  "HSTRLEN",      "HVALS"};

  /// HSET key field value — fields added. https://redis.io/commands/hset
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto hset(std::string_view key, std::string_view field, const V& value, Token&&... token) {
    return run<long long>(Command("HSET", key, field, value), std::forward<Token>(token)...);
  }
  /// HSET key field value [field value ...] from pairs or any map:
  ///   hset("user:1", {{"name", "John"}, {"age", "30"}})
  template <class... Token>
  requires TokenPack<Token...>
  auto hset(std::string_view key, const FieldValues& fields, Token&&... token) {
    return run<long long>(Command("HSET", key, fields), std::forward<Token>(token)...);
  }
  template <class Map, class... Token>
  requires(TokenPack<Token...>&& std::ranges::input_range<Map>&& resp::EncodableArg<Map> &&
           !resp::StringLikeArg<Map> &&
           !std::is_same_v<std::remove_cvref_t<Map>, FieldValues>) auto hset(std::string_view key,
                                                                             const Map& fields,
                                                                             Token&&... token) {
    return run<long long>(Command("HSET", key, fields), std::forward<Token>(token)...);
  }
  /// HSETNX key field value — true when set. https://redis.io/commands/hsetnx
  template <resp::EncodableArg V, class... Token>
  requires TokenPack<Token...>
  auto hsetnx(std::string_view key, std::string_view field, const V& value, Token&&... token) {
    return run<bool>(Command("HSETNX", key, field, value), std::forward<Token>(token)...);
  }
  /// HGET key field — https://redis.io/commands/hget
  template <class... Token>
  requires TokenPack<Token...>
  auto hget(std::string_view key, std::string_view field, Token&&... token) {
    return run<std::optional<std::string>>(Command("HGET", key, field),
                                           std::forward<Token>(token)...);
  }
  /// HMGET key field [field ...] — one optional per field. https://redis.io/commands/hmget
  template <class... Token>
  requires TokenPack<Token...>
  auto hmget(std::string_view key, const StringList& fields, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("HMGET", key, fields),
                                                        std::forward<Token>(token)...);
  }
  /// HGETALL key — field -> value. https://redis.io/commands/hgetall
  template <class... Token>
  requires TokenPack<Token...>
  auto hgetall(std::string_view key, Token&&... token) {
    return run<std::map<std::string, std::string>>(Command("HGETALL", key),
                                                   std::forward<Token>(token)...);
  }
  /// HKEYS key — https://redis.io/commands/hkeys
  template <class... Token>
  requires TokenPack<Token...>
  auto hkeys(std::string_view key, Token&&... token) {
    return run<std::vector<std::string>>(Command("HKEYS", key), std::forward<Token>(token)...);
  }
  /// HVALS key — https://redis.io/commands/hvals
  template <class... Token>
  requires TokenPack<Token...>
  auto hvals(std::string_view key, Token&&... token) {
    return run<std::vector<std::string>>(Command("HVALS", key), std::forward<Token>(token)...);
  }
  /// HLEN key — https://redis.io/commands/hlen
  template <class... Token>
  requires TokenPack<Token...>
  auto hlen(std::string_view key, Token&&... token) {
    return run<long long>(Command("HLEN", key), std::forward<Token>(token)...);
  }
  /// HSTRLEN key field — https://redis.io/commands/hstrlen
  template <class... Token>
  requires TokenPack<Token...>
  auto hstrlen(std::string_view key, std::string_view field, Token&&... token) {
    return run<long long>(Command("HSTRLEN", key, field), std::forward<Token>(token)...);
  }
  /// HEXISTS key field — https://redis.io/commands/hexists
  template <class... Token>
  requires TokenPack<Token...>
  auto hexists(std::string_view key, std::string_view field, Token&&... token) {
    return run<bool>(Command("HEXISTS", key, field), std::forward<Token>(token)...);
  }
  /// HDEL key field [field ...] — https://redis.io/commands/hdel
  template <class... Token>
  requires TokenPack<Token...>
  auto hdel(std::string_view key, const StringList& fields, Token&&... token) {
    return run<long long>(Command("HDEL", key, fields), std::forward<Token>(token)...);
  }
  /// HINCRBY key field n — https://redis.io/commands/hincrby
  template <class... Token>
  requires TokenPack<Token...>
  auto hincrby(std::string_view key, std::string_view field, long long n, Token&&... token) {
    return run<long long>(Command("HINCRBY", key, field, n), std::forward<Token>(token)...);
  }
  /// HINCRBYFLOAT key field x — the new value. https://redis.io/commands/hincrbyfloat
  template <class... Token>
  requires TokenPack<Token...>
  auto hincrbyfloat(std::string_view key, std::string_view field, double x, Token&&... token) {
    return run<double>(Command("HINCRBYFLOAT", key, field, x), std::forward<Token>(token)...);
  }
  /// HRANDFIELD key — one random field. https://redis.io/commands/hrandfield
  template <class... Token>
  requires TokenPack<Token...>
  auto hrandfield(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("HRANDFIELD", key),
                                           std::forward<Token>(token)...);
  }
  /// HRANDFIELD key count — distinct fields when count > 0, possibly repeated when < 0.
  template <class... Token>
  requires TokenPack<Token...>
  auto hrandfield(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<std::string>>(Command("HRANDFIELD", key, count),
                                         std::forward<Token>(token)...);
  }
  /// HRANDFIELD key count WITHVALUES — (field, value) pairs.
  template <class... Token>
  requires TokenPack<Token...>
  auto hrandfield_withvalues(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<std::pair<std::string, std::string>>>(
        Command("HRANDFIELD", key, count, "WITHVALUES"), std::forward<Token>(token)...);
  }
  /// HSCAN key cursor [MATCH p] [COUNT n] — one page of (field, value) pairs; redwire/scan.hpp
  /// iterates for you. https://redis.io/commands/hscan
  template <class... Token>
  requires TokenPack<Token...>
  auto hscan(std::string_view key, std::uint64_t cursor, const ScanOptions& opts,
             Token&&... token) {
    return run<ScanPage<std::pair<std::string, std::string>>>(Command("HSCAN", key, cursor, opts),
                                                              std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
