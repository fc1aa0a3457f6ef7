// Sorted set commands: ZADD (all options), ZRANGE with BYSCORE/BYLEX/REV/LIMIT, ranks and
// scores, random members, ZSCAN. Pops and set algebra are in sorted_set_ops.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/scan_page.hpp"

namespace redwire {

/// (score, member) pairs for ZADD, borrowed for the duration of a call.
using ScoreMembers = std::vector<std::pair<double, std::string_view>>;

/// ZRANGE / ZRANGESTORE: BYSCORE or BYLEX (default: by rank), REV, LIMIT offset count.
///   redis.zrange("lb", "+inf", 100, {.by = ZRangeOptions::By::score, .rev = true,
///                                    .limit = {{0, 10}}}, token)
/// With REV, give the bounds highest first (as the server wants).
struct ZRangeOptions {
  using redwire_option = void;
  enum class By { rank, score, lex };
  By by = By::rank;
  bool rev = false;
  std::optional<std::pair<long long, long long>> limit{};  ///< offset, count (BYSCORE/BYLEX)

  template <class F>
  void visit_args(F&& f) const {
    if (by == By::score) f(std::string_view("BYSCORE"));
    if (by == By::lex) f(std::string_view("BYLEX"));
    if (rev) f(std::string_view("REV"));
    if (limit) {
      f(std::string_view("LIMIT"));
      f(limit->first);
      f(limit->second);
    }
  }
};

/// ZUNION / ZINTER (and their STORE forms): WEIGHTS and AGGREGATE.
struct ZCombineOptions {
  using redwire_option = void;
  enum class Aggregate { sum, min, max };
  std::vector<double> weights{};  ///< one per key, or empty
  std::optional<Aggregate> aggregate{};

  template <class F>
  void visit_args(F&& f) const {
    if (!weights.empty()) {
      f(std::string_view("WEIGHTS"));
      f(weights);
    }
    if (aggregate) {
      constexpr std::string_view names[] = {"SUM", "MIN", "MAX"};
      f(std::string_view("AGGREGATE"));
      f(names[static_cast<int>(*aggregate)]);
    }
  }
};

/// ZMPOP / BZMPOP: the lowest or the highest scores.
enum class ZSide { min, max };

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::ZSide> {
  static std::size_t count(ZSide) noexcept { return 1; }
  static void write(std::string& out, ZSide s) {
    append_bulk(out, s == ZSide::min ? "MIN" : "MAX");
  }
};

namespace redwire {

template <class Derived>
class SortedSetCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "ZADD",     "ZCARD",          "ZCOUNT",          "ZINCRBY",          "ZLEXCOUNT",
      "ZMSCORE",  "ZRANDMEMBER",    "ZRANGE",          "ZRANGESTORE",      "ZRANK",
      "ZREM",     "ZREMRANGEBYLEX", "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZREVRANGE",
      "ZREVRANK", "ZSCAN",          "ZSCORE"};

  // ---------------------------------------------------------------- adding, scores
  /// ZADD key score member — elements added. https://redis.io/commands/zadd
  template <class... Token>
  requires TokenPack<Token...>
  auto zadd(std::string_view key, double score, std::string_view member, Token&&... token) {
    return run<long long>(Command("ZADD", key, score, member), std::forward<Token>(token)...);
  }
  /// ZADD key score member [score member ...] — zadd("lb", {{100, "alice"}, {90, "bob"}})
  template <class... Token>
  requires TokenPack<Token...>
  auto zadd(std::string_view key,
            std::initializer_list<std::pair<double, std::string_view>> members, Token&&... token) {
    return run<long long>(Command("ZADD", key, members), std::forward<Token>(token)...);
  }
  /// ZADD key [NX|XX|GT|LT] [CH] score member ... — added (or changed, with CH).
  template <class... Token>
  requires TokenPack<Token...>
  auto zadd(std::string_view key, const ScoreMembers& members, const ZAddOptions& opts,
            Token&&... token) {
    return run<long long>(Command("ZADD", key, opts, members), std::forward<Token>(token)...);
  }
  /// ZADD key [options] INCR increment member — the new score; nullopt when a condition
  /// prevented the update.
  template <class... Token>
  requires TokenPack<Token...>
  auto zadd_incr(std::string_view key, double increment, std::string_view member,
                 const ZAddOptions& opts, Token&&... token) {
    return run<std::optional<double>>(Command("ZADD", key, opts, "INCR", increment, member),
                                      std::forward<Token>(token)...);
  }
  /// ZINCRBY key increment member — the new score. https://redis.io/commands/zincrby
  template <class... Token>
  requires TokenPack<Token...>
  auto zincrby(std::string_view key, double increment, std::string_view member, Token&&... token) {
    return run<double>(Command("ZINCRBY", key, increment, member), std::forward<Token>(token)...);
  }
  /// ZSCORE key member — https://redis.io/commands/zscore
  template <class... Token>
  requires TokenPack<Token...>
  auto zscore(std::string_view key, std::string_view member, Token&&... token) {
    return run<std::optional<double>>(Command("ZSCORE", key, member),
                                      std::forward<Token>(token)...);
  }
  /// ZMSCORE key member [member ...] — one optional score per member.
  /// https://redis.io/commands/zmscore
  template <class... Token>
  requires TokenPack<Token...>
  auto zmscore(std::string_view key, const StringList& members, Token&&... token) {
    return run<std::vector<std::optional<double>>>(Command("ZMSCORE", key, members),
                                                   std::forward<Token>(token)...);
  }
  /// ZREM key member [member ...] — https://redis.io/commands/zrem
  template <class... Token>
  requires TokenPack<Token...>
  auto zrem(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("ZREM", key, members), std::forward<Token>(token)...);
  }
  /// ZCARD key — https://redis.io/commands/zcard
  template <class... Token>
  requires TokenPack<Token...>
  auto zcard(std::string_view key, Token&&... token) {
    return run<long long>(Command("ZCARD", key), std::forward<Token>(token)...);
  }
  /// ZCOUNT key min max — members with a score in range: zcount("z", 1, "(5").
  /// https://redis.io/commands/zcount
  template <class... Token>
  requires TokenPack<Token...>
  auto zcount(std::string_view key, const Bound& min, const Bound& max, Token&&... token) {
    return run<long long>(Command("ZCOUNT", key, min, max), std::forward<Token>(token)...);
  }
  /// ZLEXCOUNT key min max — zlexcount("z", "[a", "+"). https://redis.io/commands/zlexcount
  template <class... Token>
  requires TokenPack<Token...>
  auto zlexcount(std::string_view key, const Bound& min, const Bound& max, Token&&... token) {
    return run<long long>(Command("ZLEXCOUNT", key, min, max), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- ranges, ranks
  /// ZRANGE key start stop — members by rank, lowest first. https://redis.io/commands/zrange
  template <class... Token>
  requires TokenPack<Token...>
  auto zrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZRANGE", key, start, stop),
                                         std::forward<Token>(token)...);
  }
  /// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count]
  template <class... Token>
  requires TokenPack<Token...>
  auto zrange(std::string_view key, const Bound& start, const Bound& stop,
              const ZRangeOptions& opts, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZRANGE", key, start, stop, opts),
                                         std::forward<Token>(token)...);
  }
  /// ZRANGE key start stop WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zrange_withscores(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZRANGE", key, start, stop, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZRANGE key start stop [BYSCORE] [REV] [LIMIT offset count] WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zrange_withscores(std::string_view key, const Bound& start, const Bound& stop,
                         const ZRangeOptions& opts, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZRANGE", key, start, stop, opts, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZRANGESTORE destination source start stop [options] — the size of the result.
  /// https://redis.io/commands/zrangestore
  template <class... Token>
  requires TokenPack<Token...>
  auto zrangestore(std::string_view destination, std::string_view source, const Bound& start,
                   const Bound& stop, const ZRangeOptions& opts, Token&&... token) {
    return run<long long>(Command("ZRANGESTORE", destination, source, start, stop, opts),
                          std::forward<Token>(token)...);
  }
  /// ZREVRANGE key start stop — highest first. https://redis.io/commands/zrevrange
  template <class... Token>
  requires TokenPack<Token...>
  auto zrevrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZREVRANGE", key, start, stop),
                                         std::forward<Token>(token)...);
  }
  /// ZREVRANGE key start stop WITHSCORES — the guide's leaderboard top 10.
  template <class... Token>
  requires TokenPack<Token...>
  auto zrevrange_withscores(std::string_view key, long long start, long long stop,
                            Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZREVRANGE", key, start, stop, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZRANK key member — https://redis.io/commands/zrank
  template <class... Token>
  requires TokenPack<Token...>
  auto zrank(std::string_view key, std::string_view member, Token&&... token) {
    return run<std::optional<long long>>(Command("ZRANK", key, member),
                                         std::forward<Token>(token)...);
  }
  /// ZREVRANK key member — rank from the highest. https://redis.io/commands/zrevrank
  template <class... Token>
  requires TokenPack<Token...>
  auto zrevrank(std::string_view key, std::string_view member, Token&&... token) {
    return run<std::optional<long long>>(Command("ZREVRANK", key, member),
                                         std::forward<Token>(token)...);
  }
  /// ZREMRANGEBYRANK key start stop — removed. https://redis.io/commands/zremrangebyrank
  template <class... Token>
  requires TokenPack<Token...>
  auto zremrangebyrank(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<long long>(Command("ZREMRANGEBYRANK", key, start, stop),
                          std::forward<Token>(token)...);
  }
  /// ZREMRANGEBYSCORE key min max — https://redis.io/commands/zremrangebyscore
  template <class... Token>
  requires TokenPack<Token...>
  auto zremrangebyscore(std::string_view key, const Bound& min, const Bound& max,
                        Token&&... token) {
    return run<long long>(Command("ZREMRANGEBYSCORE", key, min, max),
                          std::forward<Token>(token)...);
  }
  /// ZREMRANGEBYLEX key min max — https://redis.io/commands/zremrangebylex
  template <class... Token>
  requires TokenPack<Token...>
  auto zremrangebylex(std::string_view key, const Bound& min, const Bound& max, Token&&... token) {
    return run<long long>(Command("ZREMRANGEBYLEX", key, min, max), std::forward<Token>(token)...);
  }
  /// ZRANDMEMBER key — https://redis.io/commands/zrandmember
  template <class... Token>
  requires TokenPack<Token...>
  auto zrandmember(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("ZRANDMEMBER", key),
                                           std::forward<Token>(token)...);
  }
  /// ZRANDMEMBER key count — distinct when count > 0, possibly repeated when < 0.
  template <class... Token>
  requires TokenPack<Token...>
  auto zrandmember(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZRANDMEMBER", key, count),
                                         std::forward<Token>(token)...);
  }
  /// ZRANDMEMBER key count WITHSCORES
  template <class... Token>
  requires TokenPack<Token...>
  auto zrandmember_withscores(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZRANDMEMBER", key, count, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZSCAN key cursor [MATCH p] [COUNT n] — one page; redwire/scan.hpp iterates for you.
  /// https://redis.io/commands/zscan
  template <class... Token>
  requires TokenPack<Token...>
  auto zscan(std::string_view key, std::uint64_t cursor, const ScanOptions& opts,
             Token&&... token) {
    return run<ScanPage<ScoredMember>>(Command("ZSCAN", key, cursor, opts),
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
