// Server essentials: INFO, CONFIG GET/SET/RESETSTAT/REWRITE, DBSIZE, FLUSHDB/FLUSHALL, TIME,
// LASTSAVE, SAVE/BGSAVE/BGREWRITEAOF, ROLE, SWAPDB, REPLICAOF, FAILOVER, COMMAND COUNT/LIST/
// GETKEYS, LOLWUT. Diagnostics (SLOWLOG, LATENCY, MEMORY) are in diagnostics.hpp, ACL and
// MODULE in admin.hpp.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/server_replies.hpp"

namespace redwire {

/// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms].
struct FailoverOptions {
  using redwire_option = void;
  std::string to_host{};  ///< with to_port: the replica to promote
  int to_port = 0;
  bool force = false;
  bool abort = false;
  std::optional<std::chrono::milliseconds> timeout{};

  template <class F>
  void visit_args(F&& f) const {
    if (!to_host.empty()) {
      f(std::string_view("TO"));
      f(std::string_view(to_host));
      f(to_port);
      if (force) f(std::string_view("FORCE"));
    }
    if (abort) f(std::string_view("ABORT"));
    if (timeout) {
      f(std::string_view("TIMEOUT"));
      f(timeout->count());
    }
  }
};

template <class Derived>
class ServerCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {"BGREWRITEAOF",
                                                        "BGSAVE",
                                                        "COMMAND|COUNT",
                                                        "COMMAND|GETKEYS",
                                                        "COMMAND|LIST",
                                                        "CONFIG|GET",
                                                        "CONFIG|RESETSTAT",
                                                        "CONFIG|REWRITE",
                                                        "CONFIG|SET",
                                                        "DBSIZE",
                                                        "FAILOVER",
                                                        "FLUSHALL",
                                                        "FLUSHDB",
                                                        "INFO",
                                                        "LASTSAVE",
                                                        "LOLWUT",
                                                        "REPLICAOF",
                                                        "ROLE",
                                                        "SAVE",
                                                        "SWAPDB",
                                                        "TIME"};

  /// INFO [section] — parsed. https://redis.io/commands/info
  template <class... Token>
  requires TokenPack<Token...>
  auto info(std::string_view section, Token&&... token) {
    return run<Info>(Command("INFO", section), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto info(Token&&... token) { return run<Info>(Command("INFO"), std::forward<Token>(token)...); }
  /// CONFIG GET parameter [parameter ...] — name -> value (globs allowed: "maxmemory*").
  /// https://redis.io/commands/config-get
  template <class... Token>
  requires TokenPack<Token...>
  auto config_get(const StringList& parameters, Token&&... token) {
    return run<std::map<std::string, std::string>>(Command("CONFIG", "GET", parameters),
                                                   std::forward<Token>(token)...);
  }
  /// CONFIG SET parameter value — https://redis.io/commands/config-set
  template <class... Token>
  requires TokenPack<Token...>
  auto config_set(std::string_view parameter, std::string_view value, Token&&... token) {
    return run<void>(Command("CONFIG", "SET", parameter, value), std::forward<Token>(token)...);
  }
  /// CONFIG SET parameter value [parameter value ...] — all or nothing.
  template <class... Token>
  requires TokenPack<Token...>
  auto config_set(const FieldValues& parameters, Token&&... token) {
    return run<void>(Command("CONFIG", "SET", parameters), std::forward<Token>(token)...);
  }
  /// CONFIG RESETSTAT — https://redis.io/commands/config-resetstat
  template <class... Token>
  requires TokenPack<Token...>
  auto config_resetstat(Token&&... token) {
    return run<void>(Command("CONFIG", "RESETSTAT"), std::forward<Token>(token)...);
  }
  /// CONFIG REWRITE — writes the running configuration to the config file.
  /// https://redis.io/commands/config-rewrite
  template <class... Token>
  requires TokenPack<Token...>
  auto config_rewrite(Token&&... token) {
    return run<void>(Command("CONFIG", "REWRITE"), std::forward<Token>(token)...);
  }
  /// DBSIZE — https://redis.io/commands/dbsize
  template <class... Token>
  requires TokenPack<Token...>
  auto dbsize(Token&&... token) {
    return run<long long>(Command("DBSIZE"), std::forward<Token>(token)...);
  }
  /// FLUSHDB [ASYNC|SYNC] — https://redis.io/commands/flushdb
  template <class... Token>
  requires TokenPack<Token...>
  auto flushdb(Token&&... token) {
    return run<void>(Command("FLUSHDB"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto flushdb(FlushMode mode, Token&&... token) {
    return run<void>(Command("FLUSHDB", mode), std::forward<Token>(token)...);
  }
  /// FLUSHALL [ASYNC|SYNC] — every database. https://redis.io/commands/flushall
  template <class... Token>
  requires TokenPack<Token...>
  auto flushall(Token&&... token) {
    return run<void>(Command("FLUSHALL"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto flushall(FlushMode mode, Token&&... token) {
    return run<void>(Command("FLUSHALL", mode), std::forward<Token>(token)...);
  }
  /// TIME — the server's clock. https://redis.io/commands/time
  template <class... Token>
  requires TokenPack<Token...>
  auto time(Token&&... token) {
    return run<std::chrono::system_clock::time_point>(Command("TIME"),
                                                      std::forward<Token>(token)...);
  }
  /// LASTSAVE — unix time of the last successful save. https://redis.io/commands/lastsave
  template <class... Token>
  requires TokenPack<Token...>
  auto lastsave(Token&&... token) {
    return run<long long>(Command("LASTSAVE"), std::forward<Token>(token)...);
  }
  /// SAVE — a synchronous save (blocks the server). https://redis.io/commands/save
  template <class... Token>
  requires TokenPack<Token...>
  auto save(Token&&... token) { return run<void>(Command("SAVE"), std::forward<Token>(token)...); }
  /// BGSAVE — the server's status line ("Background saving started").
  /// https://redis.io/commands/bgsave
  template <class... Token>
  requires TokenPack<Token...>
  auto bgsave(Token&&... token) {
    return run<std::string>(Command("BGSAVE"), std::forward<Token>(token)...);
  }
  /// BGREWRITEAOF — https://redis.io/commands/bgrewriteaof
  template <class... Token>
  requires TokenPack<Token...>
  auto bgrewriteaof(Token&&... token) {
    return run<std::string>(Command("BGREWRITEAOF"), std::forward<Token>(token)...);
  }
  /// ROLE — https://redis.io/commands/role
  template <class... Token>
  requires TokenPack<Token...>
  auto role(Token&&... token) { return run<Role>(Command("ROLE"), std::forward<Token>(token)...); }
  /// SWAPDB index1 index2 — https://redis.io/commands/swapdb
  template <class... Token>
  requires TokenPack<Token...>
  auto swapdb(long long index1, long long index2, Token&&... token) {
    return run<void>(Command("SWAPDB", index1, index2), std::forward<Token>(token)...);
  }
  /// REPLICAOF host port — https://redis.io/commands/replicaof
  template <class... Token>
  requires TokenPack<Token...>
  auto replicaof(std::string_view host, int port, Token&&... token) {
    return run<void>(Command("REPLICAOF", host, port), std::forward<Token>(token)...);
  }
  /// REPLICAOF NO ONE — becomes a master.
  template <class... Token>
  requires TokenPack<Token...>
  auto replicaof_no_one(Token&&... token) {
    return run<void>(Command("REPLICAOF", "NO", "ONE"), std::forward<Token>(token)...);
  }
  /// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] — https://redis.io/commands/failover
  template <class... Token>
  requires TokenPack<Token...>
  auto failover(const FailoverOptions& opts, Token&&... token) {
    return run<void>(Command("FAILOVER", opts), std::forward<Token>(token)...);
  }
  /// COMMAND COUNT — https://redis.io/commands/command-count
  template <class... Token>
  requires TokenPack<Token...>
  auto command_count(Token&&... token) {
    return run<long long>(Command("COMMAND", "COUNT"), std::forward<Token>(token)...);
  }
  /// COMMAND LIST — every command name. https://redis.io/commands/command-list
  template <class... Token>
  requires TokenPack<Token...>
  auto command_list(Token&&... token) {
    return run<std::vector<std::string>>(Command("COMMAND", "LIST"), std::forward<Token>(token)...);
  }
  /// COMMAND GETKEYS command arg... — the keys as the server finds them (redwire::command_keys
  /// answers the same without a round trip). https://redis.io/commands/command-getkeys
  template <class... Token>
  requires TokenPack<Token...>
  auto command_getkeys(const StringList& command, Token&&... token) {
    return run<std::vector<std::string>>(Command("COMMAND", "GETKEYS", command),
                                         std::forward<Token>(token)...);
  }
  /// LOLWUT — art and the server's version. https://redis.io/commands/lolwut
  template <class... Token>
  requires TokenPack<Token...>
  auto lolwut(Token&&... token) {
    return run<std::string>(Command("LOLWUT"), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
