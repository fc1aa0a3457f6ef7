// Sorted set pops (ZPOPMIN/MAX, ZMPOP and their blocking forms) and set algebra
// (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD). The rest of the group is in
// sorted_sets.hpp.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/commands/sorted_sets.hpp"

namespace redwire {

template <class Derived>
class SortedSetOpCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "BZMPOP",      "BZPOPMAX", "BZPOPMIN", "ZDIFF",   "ZDIFFSTORE", "ZINTER",     "ZINTERCARD",
      "ZINTERSTORE", "ZMPOP",    "ZPOPMAX",  "ZPOPMIN", "ZUNION",     "ZUNIONSTORE"};

  // ---------------------------------------------------------------- pops
  /// ZPOPMIN key — the lowest-scored member, removed (empty when there is none).
  /// https://redis.io/commands/zpopmin
  template <class... Token>
  requires TokenPack<Token...>
  auto zpopmin(std::string_view key, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZPOPMIN", key), std::forward<Token>(token)...);
  }
  /// ZPOPMIN key count
  template <class... Token>
  requires TokenPack<Token...>
  auto zpopmin(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZPOPMIN", key, count),
                                          std::forward<Token>(token)...);
  }
  /// ZPOPMAX key — https://redis.io/commands/zpopmax
  template <class... Token>
  requires TokenPack<Token...>
  auto zpopmax(std::string_view key, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZPOPMAX", key), std::forward<Token>(token)...);
  }
  /// ZPOPMAX key count
  template <class... Token>
  requires TokenPack<Token...>
  auto zpopmax(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZPOPMAX", key, count),
                                          std::forward<Token>(token)...);
  }
  /// ZMPOP numkeys key... MIN|MAX COUNT n — from the first non-empty sorted set.
  /// https://redis.io/commands/zmpop
  template <class... Token>
  requires TokenPack<Token...>
  auto zmpop(const StringList& keys, ZSide side, long long count, Token&&... token) {
    return run<std::optional<PoppedScoredMembers>>(
        Command("ZMPOP", keys.size(), keys, side, "COUNT", count), std::forward<Token>(token)...);
  }

  // Blocking forms: run on a dedicated link; the timeout is in seconds (0 = forever) and the
  // command timeout counts from its end.

  /// BZPOPMIN key [key ...] timeout — (key, member, score), or nullopt after `timeout`.
  /// https://redis.io/commands/bzpopmin
  template <class... Token>
  requires TokenPack<Token...>
  auto bzpopmin(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run<std::optional<KeyedScoredMember>>(detail::blocking_pop("BZPOPMIN", keys, timeout),
                                                 std::forward<Token>(token)...);
  }
  /// BZPOPMAX key [key ...] timeout — https://redis.io/commands/bzpopmax
  template <class... Token>
  requires TokenPack<Token...>
  auto bzpopmax(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run<std::optional<KeyedScoredMember>>(detail::blocking_pop("BZPOPMAX", keys, timeout),
                                                 std::forward<Token>(token)...);
  }
  /// BZMPOP timeout numkeys key... MIN|MAX COUNT n — https://redis.io/commands/bzmpop
  template <class... Token>
  requires TokenPack<Token...>
  auto bzmpop(std::chrono::duration<double> timeout, const StringList& keys, ZSide side,
              long long count, Token&&... token) {
    return run<std::optional<PoppedScoredMembers>>(
        detail::block_window(
            Command("BZMPOP", timeout.count(), keys.size(), keys, side, "COUNT", count), "BZMPOP",
            timeout),
        std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- set algebra
  /// ZDIFF numkeys key... — members of the first set not in the others.
  /// https://redis.io/commands/zdiff
  template <class... Token>
  requires TokenPack<Token...>
  auto zdiff(const StringList& keys, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZDIFF", keys.size(), keys),
                                         std::forward<Token>(token)...);
  }
  /// ZDIFF numkeys key... WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zdiff_withscores(const StringList& keys, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZDIFF", keys.size(), keys, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZDIFFSTORE destination numkeys key... — the size of the result.
  template <class... Token>
  requires TokenPack<Token...>
  auto zdiffstore(std::string_view destination, const StringList& keys, Token&&... token) {
    return run<long long>(Command("ZDIFFSTORE", destination, keys.size(), keys),
                          std::forward<Token>(token)...);
  }
  /// ZINTER numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] —
  /// https://redis.io/commands/zinter
  template <class... Token>
  requires TokenPack<Token...>
  auto zinter(const StringList& keys, const ZCombineOptions& opts, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZINTER", keys.size(), keys, opts),
                                         std::forward<Token>(token)...);
  }
  /// ZINTER ... WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zinter_withscores(const StringList& keys, const ZCombineOptions& opts, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZINTER", keys.size(), keys, opts, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZINTERSTORE destination numkeys key... [options] — the size of the result.
  template <class... Token>
  requires TokenPack<Token...>
  auto zinterstore(std::string_view destination, const StringList& keys,
                   const ZCombineOptions& opts, Token&&... token) {
    return run<long long>(Command("ZINTERSTORE", destination, keys.size(), keys, opts),
                          std::forward<Token>(token)...);
  }
  /// ZINTERCARD numkeys key... [LIMIT n] — the size of the intersection (0 = no limit).
  /// https://redis.io/commands/zintercard
  template <class... Token>
  requires TokenPack<Token...>
  auto zintercard(const StringList& keys, long long limit, Token&&... token) {
    return run<long long>(Command("ZINTERCARD", keys.size(), keys, "LIMIT", limit),
                          std::forward<Token>(token)...);
  }
  /// ZUNION numkeys key... [options] — https://redis.io/commands/zunion
  template <class... Token>
  requires TokenPack<Token...>
  auto zunion(const StringList& keys, const ZCombineOptions& opts, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZUNION", keys.size(), keys, opts),
                                         std::forward<Token>(token)...);
  }
  /// ZUNION ... WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zunion_withscores(const StringList& keys, const ZCombineOptions& opts, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZUNION", keys.size(), keys, opts, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZUNIONSTORE destination numkeys key... [options] — https://redis.io/commands/zunionstore
  template <class... Token>
  requires TokenPack<Token...>
  auto zunionstore(std::string_view destination, const StringList& keys,
                   const ZCombineOptions& opts, Token&&... token) {
    return run<long long>(Command("ZUNIONSTORE", destination, keys.size(), keys, opts),
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
