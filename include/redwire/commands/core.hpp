// Typed commands, each written once. Client (async: the last argument is a completion token),
// SyncClient (blocking: no token, returns the value or throws) and later Pipeline all inherit
// this mixin; `Derived::execute<T>(Command, std::forward<Token>(token)...)` decides what a call returns.
//
//   co_await redis.set("user:1001:name", "John", redwire::ex(3600s), asio::use_awaitable);
//   std::optional<std::string> name = sync.get("user:1001:name");
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

template <class Derived>
class CoreCommands {
 public:
  // ---------------------------------------------------------------- strings
  /// GET key — https://redis.io/commands/get
  template <class... Token> requires TokenPack<Token...>
  auto get(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("GET", key), std::forward<Token>(token)...);
  }
  /// SET key value — true when set (false when NX/XX prevented it). https://redis.io/commands/set
  template <resp::EncodableArg V, class... Token> requires TokenPack<Token...>
  auto set(std::string_view key, const V& value, Token&&... token) {
    return run<SetReply>(Command("SET", key, value), std::forward<Token>(token)...);
  }
  /// SET key value [EX|PX|EXAT|PXAT|KEEPTTL] [NX|XX] — e.g. set("k", "v", ex(60s) | nx())
  template <resp::EncodableArg V, class... Token> requires TokenPack<Token...>
  auto set(std::string_view key, const V& value, const SetOptions& opts, Token&&... token) {
    if (opts.conflict) {
      return run<SetReply>(Command::invalid(make_error_code(errc::invalid_argument),
                                        "SET: conflicting or non-positive expiry/condition options"),
                       std::forward<Token>(token)...);
    }
    return run<SetReply>(Command("SET", key, value, opts), std::forward<Token>(token)...);
  }
  /// SET key value [options] GET — the old value. https://redis.io/commands/set
  template <resp::EncodableArg V, class... Token> requires TokenPack<Token...>
  auto set_get(std::string_view key, const V& value, const SetOptions& opts, Token&&... token) {
    if (opts.conflict) {
      return run<std::optional<std::string>>(
          Command::invalid(make_error_code(errc::invalid_argument), "SET: conflicting options"), std::forward<Token>(token)...);
    }
    return run<std::optional<std::string>>(Command("SET", key, value, opts, "GET"), std::forward<Token>(token)...);
  }
  /// GETDEL key — https://redis.io/commands/getdel
  template <class... Token> requires TokenPack<Token...>
  auto getdel(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("GETDEL", key), std::forward<Token>(token)...);
  }
  /// INCR key — https://redis.io/commands/incr
  template <class... Token> requires TokenPack<Token...>
  auto incr(std::string_view key, Token&&... token) {
    return run<long long>(Command("INCR", key), std::forward<Token>(token)...);
  }
  /// INCRBY key n — https://redis.io/commands/incrby
  template <class... Token> requires TokenPack<Token...>
  auto incrby(std::string_view key, long long n, Token&&... token) {
    return run<long long>(Command("INCRBY", key, n), std::forward<Token>(token)...);
  }
  /// DECR key — https://redis.io/commands/decr
  template <class... Token> requires TokenPack<Token...>
  auto decr(std::string_view key, Token&&... token) {
    return run<long long>(Command("DECR", key), std::forward<Token>(token)...);
  }
  /// DECRBY key n — https://redis.io/commands/decrby
  template <class... Token> requires TokenPack<Token...>
  auto decrby(std::string_view key, long long n, Token&&... token) {
    return run<long long>(Command("DECRBY", key, n), std::forward<Token>(token)...);
  }
  /// MGET key [key ...] — one optional per key. https://redis.io/commands/mget
  template <class... Token> requires TokenPack<Token...>
  auto mget(const StringList& keys, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("MGET", keys), std::forward<Token>(token)...);
  }
  /// MSET key value [key value ...] — https://redis.io/commands/mset
  template <class... Token> requires TokenPack<Token...>
  auto mset(const FieldValues& pairs, Token&&... token) {
    return run<void>(Command("MSET", pairs), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- keys
  /// DEL key [key ...] — number removed. https://redis.io/commands/del
  template <class... Token> requires TokenPack<Token...>
  auto del(const StringList& keys, Token&&... token) {
    return run<long long>(Command("DEL", keys), std::forward<Token>(token)...);
  }
  /// UNLINK key [key ...] — https://redis.io/commands/unlink
  template <class... Token> requires TokenPack<Token...>
  auto unlink(const StringList& keys, Token&&... token) {
    return run<long long>(Command("UNLINK", keys), std::forward<Token>(token)...);
  }
  /// EXISTS key [key ...] — how many exist. https://redis.io/commands/exists
  template <class... Token> requires TokenPack<Token...>
  auto exists(const StringList& keys, Token&&... token) {
    return run<long long>(Command("EXISTS", keys), std::forward<Token>(token)...);
  }
  /// EXPIRE key seconds — true when the timeout was set. https://redis.io/commands/expire
  template <class... Token> requires TokenPack<Token...>
  auto expire(std::string_view key, std::chrono::seconds ttl, Token&&... token) {
    return run<bool>(Command("EXPIRE", key, ttl.count()), std::forward<Token>(token)...);
  }
  /// TTL key — seconds; -1 no expiry, -2 no key. https://redis.io/commands/ttl
  template <class... Token> requires TokenPack<Token...>
  auto ttl(std::string_view key, Token&&... token) {
    return run<long long>(Command("TTL", key), std::forward<Token>(token)...);
  }
  /// PTTL key — milliseconds; -1 no expiry, -2 no key. https://redis.io/commands/pttl
  template <class... Token> requires TokenPack<Token...>
  auto pttl(std::string_view key, Token&&... token) {
    return run<long long>(Command("PTTL", key), std::forward<Token>(token)...);
  }
  /// TYPE key — "string", "list", ..., "none". https://redis.io/commands/type
  template <class... Token> requires TokenPack<Token...>
  auto type(std::string_view key, Token&&... token) {
    return run<std::string>(Command("TYPE", key), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- hashes
  /// HSET key field value — fields added. https://redis.io/commands/hset
  template <resp::EncodableArg V, class... Token> requires TokenPack<Token...>
  auto hset(std::string_view key, std::string_view field, const V& value, Token&&... token) {
    return run<long long>(Command("HSET", key, field, value), std::forward<Token>(token)...);
  }
  /// HSET key field value [field value ...] from pairs or any map:
  ///   hset("user:1", {{"name", "John"}, {"age", "30"}})
  template <class... Token> requires TokenPack<Token...>
  auto hset(std::string_view key, const FieldValues& fields, Token&&... token) {
    return run<long long>(Command("HSET", key, fields), std::forward<Token>(token)...);
  }
  template <class Map, class... Token>
    requires(TokenPack<Token...> && std::ranges::input_range<Map> && resp::EncodableArg<Map> &&
             !resp::StringLikeArg<Map> &&
             !std::is_same_v<std::remove_cvref_t<Map>, FieldValues>)
  auto hset(std::string_view key, const Map& fields, Token&&... token) {
    return run<long long>(Command("HSET", key, fields), std::forward<Token>(token)...);
  }
  /// HGET key field — https://redis.io/commands/hget
  template <class... Token> requires TokenPack<Token...>
  auto hget(std::string_view key, std::string_view field, Token&&... token) {
    return run<std::optional<std::string>>(Command("HGET", key, field), std::forward<Token>(token)...);
  }
  /// HGETALL key — field -> value. https://redis.io/commands/hgetall
  template <class... Token> requires TokenPack<Token...>
  auto hgetall(std::string_view key, Token&&... token) {
    return run<std::map<std::string, std::string>>(Command("HGETALL", key), std::forward<Token>(token)...);
  }
  /// HDEL key field [field ...] — https://redis.io/commands/hdel
  template <class... Token> requires TokenPack<Token...>
  auto hdel(std::string_view key, const StringList& fields, Token&&... token) {
    return run<long long>(Command("HDEL", key, fields), std::forward<Token>(token)...);
  }
  /// HINCRBY key field n — https://redis.io/commands/hincrby
  template <class... Token> requires TokenPack<Token...>
  auto hincrby(std::string_view key, std::string_view field, long long n, Token&&... token) {
    return run<long long>(Command("HINCRBY", key, field, n), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- lists
  /// LPUSH key element [element ...] — new length. https://redis.io/commands/lpush
  template <class... Token> requires TokenPack<Token...>
  auto lpush(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("LPUSH", key, elements), std::forward<Token>(token)...);
  }
  /// RPUSH key element [element ...] — https://redis.io/commands/rpush
  template <class... Token> requires TokenPack<Token...>
  auto rpush(std::string_view key, const StringList& elements, Token&&... token) {
    return run<long long>(Command("RPUSH", key, elements), std::forward<Token>(token)...);
  }
  /// LPOP key — https://redis.io/commands/lpop
  template <class... Token> requires TokenPack<Token...>
  auto lpop(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("LPOP", key), std::forward<Token>(token)...);
  }
  /// RPOP key — https://redis.io/commands/rpop
  template <class... Token> requires TokenPack<Token...>
  auto rpop(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("RPOP", key), std::forward<Token>(token)...);
  }
  /// LRANGE key start stop — https://redis.io/commands/lrange
  template <class... Token> requires TokenPack<Token...>
  auto lrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("LRANGE", key, start, stop), std::forward<Token>(token)...);
  }
  /// LLEN key — https://redis.io/commands/llen
  template <class... Token> requires TokenPack<Token...>
  auto llen(std::string_view key, Token&&... token) {
    return run<long long>(Command("LLEN", key), std::forward<Token>(token)...);
  }
  /// BRPOP key [key ...] timeout — (key, element), or nullopt after `timeout` (0 = forever).
  /// Runs on a dedicated link so that other callers are never stalled.
  /// https://redis.io/commands/brpop
  template <class... Token> requires TokenPack<Token...>
  auto brpop(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run_blocking<std::optional<std::pair<std::string, std::string>>>("BRPOP", keys, timeout,
                                                                           std::forward<Token>(token)...);
  }
  /// BLPOP key [key ...] timeout — https://redis.io/commands/blpop
  template <class... Token> requires TokenPack<Token...>
  auto blpop(const StringList& keys, std::chrono::duration<double> timeout, Token&&... token) {
    return run_blocking<std::optional<std::pair<std::string, std::string>>>("BLPOP", keys, timeout,
                                                                           std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- sets
  /// SADD key member [member ...] — members added. https://redis.io/commands/sadd
  template <class... Token> requires TokenPack<Token...>
  auto sadd(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("SADD", key, members), std::forward<Token>(token)...);
  }
  /// SREM key member [member ...] — https://redis.io/commands/srem
  template <class... Token> requires TokenPack<Token...>
  auto srem(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("SREM", key, members), std::forward<Token>(token)...);
  }
  /// SMEMBERS key — https://redis.io/commands/smembers
  template <class... Token> requires TokenPack<Token...>
  auto smembers(std::string_view key, Token&&... token) {
    return run<std::vector<std::string>>(Command("SMEMBERS", key), std::forward<Token>(token)...);
  }
  /// SISMEMBER key member — https://redis.io/commands/sismember
  template <class... Token> requires TokenPack<Token...>
  auto sismember(std::string_view key, std::string_view member, Token&&... token) {
    return run<bool>(Command("SISMEMBER", key, member), std::forward<Token>(token)...);
  }
  /// SCARD key — https://redis.io/commands/scard
  template <class... Token> requires TokenPack<Token...>
  auto scard(std::string_view key, Token&&... token) {
    return run<long long>(Command("SCARD", key), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- sorted sets
  /// ZADD key score member — elements added. https://redis.io/commands/zadd
  template <class... Token> requires TokenPack<Token...>
  auto zadd(std::string_view key, double score, std::string_view member, Token&&... token) {
    return run<long long>(Command("ZADD", key, score, member), std::forward<Token>(token)...);
  }
  /// ZADD key score member [score member ...] — zadd("lb", {{100, "alice"}, {90, "bob"}})
  template <class... Token> requires TokenPack<Token...>
  auto zadd(std::string_view key, std::initializer_list<std::pair<double, std::string_view>> members,
            Token&&... token) {
    return run<long long>(Command("ZADD", key, members), std::forward<Token>(token)...);
  }
  /// ZINCRBY key increment member — the new score. https://redis.io/commands/zincrby
  template <class... Token> requires TokenPack<Token...>
  auto zincrby(std::string_view key, double increment, std::string_view member, Token&&... token) {
    return run<double>(Command("ZINCRBY", key, increment, member), std::forward<Token>(token)...);
  }
  /// ZSCORE key member — https://redis.io/commands/zscore
  template <class... Token> requires TokenPack<Token...>
  auto zscore(std::string_view key, std::string_view member, Token&&... token) {
    return run<std::optional<double>>(Command("ZSCORE", key, member), std::forward<Token>(token)...);
  }
  /// ZRANGE key start stop — members by rank, lowest first. https://redis.io/commands/zrange
  template <class... Token> requires TokenPack<Token...>
  auto zrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZRANGE", key, start, stop), std::forward<Token>(token)...);
  }
  /// ZRANGE key start stop WITHSCORES
  template <class... Token> requires TokenPack<Token...>
  auto zrange_withscores(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZRANGE", key, start, stop, "WITHSCORES"), std::forward<Token>(token)...);
  }
  /// ZREVRANGE key start stop — highest first. https://redis.io/commands/zrevrange
  template <class... Token> requires TokenPack<Token...>
  auto zrevrange(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<std::string>>(Command("ZREVRANGE", key, start, stop), std::forward<Token>(token)...);
  }
  /// ZREVRANGE key start stop WITHSCORES — the guide's leaderboard top 10.
  template <class... Token> requires TokenPack<Token...>
  auto zrevrange_withscores(std::string_view key, long long start, long long stop, Token&&... token) {
    return run<std::vector<ScoredMember>>(Command("ZREVRANGE", key, start, stop, "WITHSCORES"),
                                          std::forward<Token>(token)...);
  }
  /// ZRANK key member — https://redis.io/commands/zrank
  template <class... Token> requires TokenPack<Token...>
  auto zrank(std::string_view key, std::string_view member, Token&&... token) {
    return run<std::optional<long long>>(Command("ZRANK", key, member), std::forward<Token>(token)...);
  }
  /// ZREM key member [member ...] — https://redis.io/commands/zrem
  template <class... Token> requires TokenPack<Token...>
  auto zrem(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("ZREM", key, members), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- pub/sub, connection, server
  /// PUBLISH channel message — receivers. https://redis.io/commands/publish
  template <class... Token> requires TokenPack<Token...>
  auto publish(std::string_view channel, std::string_view message, Token&&... token) {
    return run<long long>(Command("PUBLISH", channel, message), std::forward<Token>(token)...);
  }
  /// PING — "PONG". https://redis.io/commands/ping
  template <class... Token> requires TokenPack<Token...>
  auto ping(Token&&... token) {
    return run<std::string>(Command("PING"), std::forward<Token>(token)...);
  }
  /// ECHO message — https://redis.io/commands/echo
  template <class... Token> requires TokenPack<Token...>
  auto echo(std::string_view message, Token&&... token) {
    return run<std::string>(Command("ECHO", message), std::forward<Token>(token)...);
  }
  /// INFO [section] — parsed. https://redis.io/commands/info
  template <class... Token> requires TokenPack<Token...>
  auto info(std::string_view section, Token&&... token) {
    return run<Info>(Command("INFO", section), std::forward<Token>(token)...);
  }
  template <class... Token> requires TokenPack<Token...>
  auto info(Token&&... token) {
    return run<Info>(Command("INFO"), std::forward<Token>(token)...);
  }
  /// LATENCY LATEST — https://redis.io/commands/latency-latest
  template <class... Token> requires TokenPack<Token...>
  auto latency_latest(Token&&... token) {
    return run<std::vector<LatencySample>>(Command("LATENCY", "LATEST"), std::forward<Token>(token)...);
  }
  /// DBSIZE — https://redis.io/commands/dbsize
  template <class... Token> requires TokenPack<Token...>
  auto dbsize(Token&&... token) {
    return run<long long>(Command("DBSIZE"), std::forward<Token>(token)...);
  }
  /// FLUSHDB — https://redis.io/commands/flushdb
  template <class... Token> requires TokenPack<Token...>
  auto flushdb(Token&&... token) {
    return run<void>(Command("FLUSHDB"), std::forward<Token>(token)...);
  }
  /// TIME — the server's clock. https://redis.io/commands/time
  template <class... Token> requires TokenPack<Token...>
  auto time(Token&&... token) {
    return run<std::chrono::system_clock::time_point>(Command("TIME"), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
  template <class T, class... Token>
  auto run_blocking(std::string_view name, const StringList& keys,
                    std::chrono::duration<double> timeout, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this),
                                  detail::blocking_pop(name, keys, timeout),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
