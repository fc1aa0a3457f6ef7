// Set commands: SADD/SREM/SMEMBERS, membership, random members, set algebra (+STORE),
// SINTERCARD, SMOVE, SSCAN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/scan_page.hpp"

namespace redwire {

template <class Derived>
class SetCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "SADD",        "SCARD",     "SDIFF",    "SDIFFSTORE", "SINTER",     "SINTERCARD",
      "SINTERSTORE", "SISMEMBER", "SMEMBERS", "SMISMEMBER", "SMOVE",      "SPOP",
      "SRANDMEMBER", "SREM",      "SSCAN",    "SUNION",     "SUNIONSTORE"};

  /// SADD key member [member ...] — members added. https://redis.io/commands/sadd
  template <class... Token>
  requires TokenPack<Token...>
  auto sadd(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("SADD", key, members), std::forward<Token>(token)...);
  }
  /// SREM key member [member ...] — https://redis.io/commands/srem
  template <class... Token>
  requires TokenPack<Token...>
  auto srem(std::string_view key, const StringList& members, Token&&... token) {
    return run<long long>(Command("SREM", key, members), std::forward<Token>(token)...);
  }
  /// SMEMBERS key — https://redis.io/commands/smembers
  template <class... Token>
  requires TokenPack<Token...>
  auto smembers(std::string_view key, Token&&... token) {
    return run<std::vector<std::string>>(Command("SMEMBERS", key), std::forward<Token>(token)...);
  }
  /// SISMEMBER key member — https://redis.io/commands/sismember
  template <class... Token>
  requires TokenPack<Token...>
  auto sismember(std::string_view key, std::string_view member, Token&&... token) {
    return run<bool>(Command("SISMEMBER", key, member), std::forward<Token>(token)...);
  }
  /// SMISMEMBER key member [member ...] — one bool per member.
  /// https://redis.io/commands/smismember
  template <class... Token>
  requires TokenPack<Token...>
  auto smismember(std::string_view key, const StringList& members, Token&&... token) {
    return run<std::vector<bool>>(Command("SMISMEMBER", key, members),
                                  std::forward<Token>(token)...);
  }
  /// SCARD key — https://redis.io/commands/scard
  template <class... Token>
  requires TokenPack<Token...>
  auto scard(std::string_view key, Token&&... token) {
    return run<long long>(Command("SCARD", key), std::forward<Token>(token)...);
  }
  /// SMOVE source destination member — true when moved. https://redis.io/commands/smove
  template <class... Token>
  requires TokenPack<Token...>
  auto smove(std::string_view source, std::string_view destination, std::string_view member,
             Token&&... token) {
    return run<bool>(Command("SMOVE", source, destination, member), std::forward<Token>(token)...);
  }
  /// SPOP key — one random member, removed. https://redis.io/commands/spop
  template <class... Token>
  requires TokenPack<Token...>
  auto spop(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("SPOP", key), std::forward<Token>(token)...);
  }
  /// SPOP key count
  template <class... Token>
  requires TokenPack<Token...>
  auto spop(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<std::string>>(Command("SPOP", key, count),
                                         std::forward<Token>(token)...);
  }
  /// SRANDMEMBER key — one random member. https://redis.io/commands/srandmember
  template <class... Token>
  requires TokenPack<Token...>
  auto srandmember(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("SRANDMEMBER", key),
                                           std::forward<Token>(token)...);
  }
  /// SRANDMEMBER key count — distinct when count > 0, possibly repeated when < 0.
  template <class... Token>
  requires TokenPack<Token...>
  auto srandmember(std::string_view key, long long count, Token&&... token) {
    return run<std::vector<std::string>>(Command("SRANDMEMBER", key, count),
                                         std::forward<Token>(token)...);
  }
  /// SDIFF key [key ...] — https://redis.io/commands/sdiff
  template <class... Token>
  requires TokenPack<Token...>
  auto sdiff(const StringList& keys, Token&&... token) {
    return run<std::vector<std::string>>(Command("SDIFF", keys), std::forward<Token>(token)...);
  }
  /// SINTER key [key ...] — https://redis.io/commands/sinter
  template <class... Token>
  requires TokenPack<Token...>
  auto sinter(const StringList& keys, Token&&... token) {
    return run<std::vector<std::string>>(Command("SINTER", keys), std::forward<Token>(token)...);
  }
  /// SUNION key [key ...] — https://redis.io/commands/sunion
  template <class... Token>
  requires TokenPack<Token...>
  auto sunion(const StringList& keys, Token&&... token) {
    return run<std::vector<std::string>>(Command("SUNION", keys), std::forward<Token>(token)...);
  }
  /// SDIFFSTORE destination key [key ...] — the size of the result.
  template <class... Token>
  requires TokenPack<Token...>
  auto sdiffstore(std::string_view destination, const StringList& keys, Token&&... token) {
    return run<long long>(Command("SDIFFSTORE", destination, keys), std::forward<Token>(token)...);
  }
  /// SINTERSTORE destination key [key ...]
  template <class... Token>
  requires TokenPack<Token...>
  auto sinterstore(std::string_view destination, const StringList& keys, Token&&... token) {
    return run<long long>(Command("SINTERSTORE", destination, keys), std::forward<Token>(token)...);
  }
  /// SUNIONSTORE destination key [key ...]
  template <class... Token>
  requires TokenPack<Token...>
  auto sunionstore(std::string_view destination, const StringList& keys, Token&&... token) {
    return run<long long>(Command("SUNIONSTORE", destination, keys), std::forward<Token>(token)...);
  }
  /// SINTERCARD numkeys key... [LIMIT n] — the size of the intersection (counting stops at
  /// `limit`, 0 = no limit). https://redis.io/commands/sintercard
  template <class... Token>
  requires TokenPack<Token...>
  auto sintercard(const StringList& keys, long long limit, Token&&... token) {
    return run<long long>(Command("SINTERCARD", keys.size(), keys, "LIMIT", limit),
                          std::forward<Token>(token)...);
  }
  /// SSCAN key cursor [MATCH p] [COUNT n] — one page; redwire/scan.hpp iterates for you.
  /// https://redis.io/commands/sscan
  template <class... Token>
  requires TokenPack<Token...>
  auto sscan(std::string_view key, std::uint64_t cursor, const ScanOptions& opts,
             Token&&... token) {
    return run<ScanPage<std::string>>(Command("SSCAN", key, cursor, opts),
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
