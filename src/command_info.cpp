// The command facts the client core needs. This table is hand-written for the commands the core
// client types today; it is the single place to change and will be generated from the server's
// COMMAND INFO output when the full command surface lands.
#include "redwire/command_info.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace redwire {
namespace {

constexpr std::uint32_t R = cmd_readonly;
constexpr std::uint32_t W = cmd_write;
constexpr std::uint32_t B = cmd_blocking;
constexpr std::uint32_t P = cmd_pubsub;
constexpr std::uint32_t S = cmd_connection_state;
constexpr std::uint32_t A = cmd_admin;

// Sorted by name (checked by a unit test).
constexpr std::array kCommands = std::to_array<CommandInfo>({
    {"APPEND", W},        {"AUTH", S},           {"BLMOVE", W | B},      {"BLMPOP", W | B},
    {"BLPOP", W | B},     {"BRPOP", W | B},      {"BRPOPLPUSH", W | B},  {"BZMPOP", W | B},
    {"BZPOPMAX", W | B},  {"BZPOPMIN", W | B},   {"CLIENT", S | A},      {"CONFIG", A},
    {"DBSIZE", R},        {"DECR", W},           {"DECRBY", W},          {"DEL", W},
    {"DISCARD", S},       {"ECHO", R},           {"EVAL", W},            {"EVALSHA", W},
    {"EVALSHA_RO", R},    {"EVAL_RO", R},        {"EXEC", S},            {"EXISTS", R},
    {"EXPIRE", W},        {"EXPIREAT", W},       {"FCALL", W},           {"FCALL_RO", R},
    {"FLUSHALL", W},      {"FLUSHDB", W},        {"GET", R},             {"GETDEL", W},
    {"GETEX", W},         {"GETRANGE", R},       {"HDEL", W},            {"HELLO", S},
    {"HEXISTS", R},       {"HGET", R},           {"HGETALL", R},         {"HINCRBY", W},
    {"HINCRBYFLOAT", W},  {"HKEYS", R},          {"HLEN", R},            {"HMGET", R},
    {"HSET", W},          {"HSETNX", W},         {"HVALS", R},           {"INCR", W},
    {"INCRBY", W},        {"INCRBYFLOAT", W},    {"INFO", R},            {"KEYS", R},
    {"LATENCY", A},       {"LINDEX", R},         {"LLEN", R},            {"LPOP", W},
    {"LPUSH", W},         {"LRANGE", R},         {"LREM", W},            {"LTRIM", W},
    {"MGET", R},          {"MONITOR", S},        {"MSET", W},            {"MULTI", S},
    {"PERSIST", W},       {"PEXPIRE", W},        {"PING", R},            {"PSUBSCRIBE", P | S},
    {"PTTL", R},          {"PUBLISH", W},        {"PUNSUBSCRIBE", P | S}, {"QUIT", S},
    {"RESET", S},         {"RPOP", W},           {"RPUSH", W},           {"SADD", W},
    {"SCAN", R},          {"SCARD", R},          {"SELECT", S},          {"SET", W},
    {"SETEX", W},         {"SETNX", W},          {"SISMEMBER", R},       {"SMEMBERS", R},
    {"SREM", W},          {"SSUBSCRIBE", P | S}, {"STRLEN", R},          {"SUBSCRIBE", P | S},
    {"SUNSUBSCRIBE", P | S}, {"TIME", R},        {"TOUCH", R},           {"TTL", R},
    {"TYPE", R},          {"UNLINK", W},         {"UNSUBSCRIBE", P | S}, {"UNWATCH", S},
    {"WAIT", B},          {"WATCH", S},          {"XACK", W},            {"XADD", W},
    {"XLEN", R},          {"XRANGE", R},         {"XREAD", R | B},       {"XREADGROUP", W | B},
    {"XREVRANGE", R},     {"ZADD", W},           {"ZCARD", R},           {"ZINCRBY", W},
    {"ZRANGE", R},        {"ZRANK", R},          {"ZREM", W},            {"ZREVRANGE", R},
    {"ZREVRANK", R},      {"ZSCORE", R},
});

}  // namespace

const CommandInfo* find_command(std::string_view name) noexcept {
  char upper[32];
  if (name.size() >= sizeof upper) return nullptr;
  for (std::size_t i = 0; i < name.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[i])));
  }
  const std::string_view key(upper, name.size());
  const auto it = std::lower_bound(kCommands.begin(), kCommands.end(), key,
                                   [](const CommandInfo& c, std::string_view k) { return c.name < k; });
  if (it == kCommands.end() || it->name != key) return nullptr;
  return &*it;
}

}  // namespace redwire
