// List commands: pushes and pops (also blocking: BLPOP, BRPOP, BLMOVE, BLMPOP), LMOVE, LMPOP,
// LPOS, LINSERT, LSET, LTRIM, LRANGE, ...
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

/// Which end of a list: LMOVE/BLMOVE source and destination, LMPOP/BLMPOP.
enum class ListEnd { left, right };
/// LINSERT: before or after the pivot.
enum class InsertPosition { before, after };

/// LPOS [RANK r] [MAXLEN n].
struct LposOptions {
  using redwire_option = void;
  std::optional<long long> rank{};    ///< 1 = first match, -1 = last, 2 = second, ...
  std::optional<long long> maxlen{};  ///< compare at most this many elements (0 = all)

  template <class F>
  void visit_args(F&& f) const {
    if (rank) {
      f(std::string_view("RANK"));
      f(*rank);
    }
    if (maxlen) {
      f(std::string_view("MAXLEN"));
      f(*maxlen);
    }
  }
};

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::ListEnd> {
  static std::size_t count(ListEnd) noexcept { return 1; }
  static void write(std::string& out, ListEnd e) {
    append_bulk(out, e == ListEnd::left ? "LEFT" : "RIGHT");
  }
};
template <>
struct redwire::resp::ArgTraits<redwire::InsertPosition> {
  static std::size_t count(InsertPosition) noexcept { return 1; }
  static void write(std::string& out, InsertPosition p) {
    append_bulk(out, p == InsertPosition::before ? "BEFORE" : "AFTER");
  }
};

namespace redwire {

template <class Derived>
class ListCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "BLMOVE", "BLMPOP", "BLPOP", "BRPOP", "LINDEX", "LINSERT", "LLEN",
      "LMOVE",  "LMPOP",  "LPOP",  "LPOS",  "LPUSH",  "LPUSHX",  "LRANGE",
      "LREM",   "LSET",   "LTRIM", "RPOP",  "RPUSH",  "RPUSHX"};

  /// LPUSH key element [element ...] — new length. https://redis.io/commands/lpush
  template <class... Token>
  requires TokenPack<Token...>
  auto lpush(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("LPUSH", key, elements), std::forward<Token>(token)...);
  }
  /// RPUSH key element [element ...] — https://redis.io/commands/rpush
  template <class... Token>
  requires TokenPack<Token...>
  auto rpush(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("RPUSH", key, elements), std::forward<Token>(token)...);
  }
  /// LPUSHX key element [element ...] — only onto an existing list; 0 when there is none.
  /// https://redis.io/commands/lpushx
  template <class... Token>
  requires TokenPack<Token...>
  auto lpushx(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("LPUSHX", key, elements), std::forward<Token>(token)...);
  }
  /// RPUSHX key element [element ...] — https://redis.io/commands/rpushx
  template <class... Token>
  requires TokenPack<Token...>
  auto rpushx(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("RPUSHX", key, elements), std::forward<Token>(token)...);
  }
  /// LPOP key — https://redis.io/commands/lpop
  template <class... Token>
  requires TokenPack<Token...>
  auto lpop(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("LPOP", key), std::forward<Token>(token)...);
  }
  /// LPOP key count — up to count elements; nullopt when the list does not exist.
  template <class... Token>
  requires TokenPack<Token...>
  auto lpop(std::string_view key, long long count, Token&&... token) {
    return run<std::optional<std::vector<std::string>>>(Command("LPOP", key, count),
                                                        std::forward<Token>(token)...);
  }
  /// RPOP key — https://redis.io/commands/rpop
  template <class... Token>
  requires TokenPack<Token...>
  auto rpop(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("RPOP", key), std::forward<Token>(token)...);
  }
  /// RPOP key count
  template <class... Token>
  requires TokenPack<Token...>
  auto rpop(std::string_view key, long long count, Token&&... token) {
    return run<std::optional<std::vector<std::string>>>(Command("RPOP", key, count),
                                                        std::forward<Token>(token)...);
  }
  /// LRANGE key start stop — https://redis.io/commands/lrange
  template <class... Token>
  requires TokenPack<Token...>
  auto lrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("LRANGE", key, start, stop),
                                         std::forward<Token>(token)...);
  }
  /// LLEN key — https://redis.io/commands/llen
  template <class... Token>
  requires TokenPack<Token...>
  auto llen(std::string_view key, Token&&... token) {
    return run<long long>(Command("LLEN", key), std::forward<Token>(token)...);
  }
  /// LINDEX key index — https://redis.io/commands/lindex
  template <class... Token>
  requires TokenPack<Token...>
  auto lindex(std::string_view key, long long index, Token&&... token) {
    return run<std::optional<std::string>>(Command("LINDEX", key, index),
                                           std::forward<Token>(token)...);
  }
  /// LSET key index element — https://redis.io/commands/lset
  template <class... Token>
  requires TokenPack<Token...>
  auto lset(std::string_view key, long long index, std::string_view element, Token&&... token) {
    return run<void>(Command("LSET", key, index, element), std::forward<Token>(token)...);
  }
  /// LINSERT key BEFORE|AFTER pivot element — the new length, -1 when the pivot is missing.
  /// https://redis.io/commands/linsert
  template <class... Token>
  requires TokenPack<Token...>
  auto linsert(std::string_view key, InsertPosition where, std::string_view pivot,
               std::string_view element, Token&&... token) {
    return run<long long>(Command("LINSERT", key, where, pivot, element),
                          std::forward<Token>(token)...);
  }
  /// LREM key count element — removed; count > 0 from the head, < 0 from the tail, 0 all.
  /// https://redis.io/commands/lrem
  template <class... Token>
  requires TokenPack<Token...>
  auto lrem(std::string_view key, long long count, std::string_view element, Token&&... token) {
    return run<long long>(Command("LREM", key, count, element), std::forward<Token>(token)...);
  }
  /// LTRIM key start stop — https://redis.io/commands/ltrim
  template <class... Token>
  requires TokenPack<Token...>
  auto ltrim(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<void>(Command("LTRIM", key, start, stop), std::forward<Token>(token)...);
  }
  /// LPOS key element [RANK r] [MAXLEN n] — the index of the match, if any.
  /// https://redis.io/commands/lpos
  template <class... Token>
  requires TokenPack<Token...>
  auto lpos(std::string_view key, std::string_view element, Token&&... token) {
    return lpos(key, element, LposOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto lpos(std::string_view key, std::string_view element, const LposOptions& opts,
            Token&&... token) {
    return run<std::optional<long long>>(Command("LPOS", key, element, opts),
                                         std::forward<Token>(token)...);
  }
  /// LPOS key element COUNT n [RANK r] [MAXLEN n] — the indices of up to n matches (0 = all).
  template <class... Token>
  requires TokenPack<Token...>
  auto lpos_count(std::string_view key, std::string_view element, long long count,
                  const LposOptions& opts, Token&&... token) {
    return run<std::vector<long long>>(Command("LPOS", key, element, "COUNT", count, opts),
                                       std::forward<Token>(token)...);
  }
  /// LMOVE source destination LEFT|RIGHT LEFT|RIGHT — the element moved.
  /// https://redis.io/commands/lmove
  template <class... Token>
  requires TokenPack<Token...>
  auto lmove(std::string_view source, std::string_view destination, ListEnd from, ListEnd to,
             Token&&... token) {
    return run<std::optional<std::string>>(Command("LMOVE", source, destination, from, to),
                                           std::forward<Token>(token)...);
  }
  /// LMPOP numkeys key... LEFT|RIGHT COUNT n — from the first non-empty list.
  /// https://redis.io/commands/lmpop
  template <class... Token>
  requires TokenPack<Token...>
  auto lmpop(const StringList& keys, ListEnd from, long long count, Token&&... token) {
    return run<std::optional<PoppedElements>>(
        Command("LMPOP", keys.size(), keys, from, "COUNT", count), std::forward<Token>(token)...);
  }

  // Blocking forms: run on a dedicated link so that other callers are never stalled; the
  // timeout is in seconds (0 = forever) and the command timeout counts from its end.

  /// BLPOP key [key ...] timeout — (key, element), or nullopt after `timeout`.
  /// https://redis.io/commands/blpop
  template <class... Token>
  requires TokenPack<Token...>
  auto blpop(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run<std::optional<std::pair<std::string, std::string>>>(
        detail::blocking_pop("BLPOP", keys, timeout), std::forward<Token>(token)...);
  }
  /// BRPOP key [key ...] timeout — https://redis.io/commands/brpop
  template <class... Token>
  requires TokenPack<Token...>
  auto brpop(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run<std::optional<std::pair<std::string, std::string>>>(
        detail::blocking_pop("BRPOP", keys, timeout), std::forward<Token>(token)...);
  }
  /// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout — https://redis.io/commands/blmove
  template <class... Token>
  requires TokenPack<Token...>
  auto blmove(std::string_view source, std::string_view destination, ListEnd from, ListEnd to,
              std::chrono::duration<double> timeout, Token&&... token) {
    return run<std::optional<std::string>>(
        detail::block_window(Command("BLMOVE", source, destination, from, to, timeout.count()),
                             "BLMOVE", timeout),
        std::forward<Token>(token)...);
  }
  /// BLMPOP timeout numkeys key... LEFT|RIGHT COUNT n — https://redis.io/commands/blmpop
  template <class... Token>
  requires TokenPack<Token...>
  auto blmpop(std::chrono::duration<double> timeout, const StringList& keys, ListEnd from,
              long long count, Token&&... token) {
    return run<std::optional<PoppedElements>>(
        detail::block_window(
            Command("BLMPOP", timeout.count(), keys.size(), keys, from, "COUNT", count), "BLMPOP",
            timeout),
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
