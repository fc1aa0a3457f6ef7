// Generic key commands: DEL/UNLINK/EXISTS, expiry (EXPIRE family with NX/XX/GT/LT, PERSIST,
// EXPIRETIME), RENAME, COPY, MOVE, OBJECT, DUMP/RESTORE, SORT/SORT_RO, SCAN, KEYS, WAIT, ...
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/scan_page.hpp"

namespace redwire {

/// COPY [DB n] [REPLACE].
struct CopyOptions {
  using redwire_option = void;
  std::optional<long long> db{};  ///< destination database (default: the current one)
  bool replace = false;

  template <class F>
  void visit_args(F&& f) const {
    if (db) {
      f(std::string_view("DB"));
      f(*db);
    }
    if (replace) f(std::string_view("REPLACE"));
  }
};

/// RESTORE [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n].
struct RestoreOptions {
  using redwire_option = void;
  bool replace = false;
  bool absttl = false;  ///< the ttl is a unix time in milliseconds
  std::optional<long long> idletime{};
  std::optional<long long> freq{};

  template <class F>
  void visit_args(F&& f) const {
    if (replace) f(std::string_view("REPLACE"));
    if (absttl) f(std::string_view("ABSTTL"));
    if (idletime) {
      f(std::string_view("IDLETIME"));
      f(*idletime);
    }
    if (freq) {
      f(std::string_view("FREQ"));
      f(*freq);
    }
  }
};

/// MIGRATE [COPY] [REPLACE] [AUTH password | AUTH2 username password].
struct MigrateOptions {
  using redwire_option = void;
  bool copy = false;
  bool replace = false;
  std::string username{};  ///< with a password: AUTH2
  std::string password{};  ///< AUTH (never logged)

  template <class F>
  void visit_args(F&& f) const {
    if (copy) f(std::string_view("COPY"));
    if (replace) f(std::string_view("REPLACE"));
    if (!password.empty() && username.empty()) {
      f(std::string_view("AUTH"));
      f(std::string_view(password));
    } else if (!password.empty()) {
      f(std::string_view("AUTH2"));
      f(std::string_view(username));
      f(std::string_view(password));
    }
  }
};

/// SORT / SORT_RO [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA].
///   redwire::SortOptions{.by = "weight_*", .get = {"#", "object_*->name"}, .alpha = true}
/// With Options::key_prefix, the BY and GET patterns get the prefix too (not GET #).
struct SortOptions {
  using redwire_option = void;
  enum class Order { none, asc, desc };
  std::string by{};                                        ///< "nosort" skips sorting
  std::optional<std::pair<long long, long long>> limit{};  ///< offset, count
  std::vector<std::string> get{};
  Order order = Order::none;
  bool alpha = false;

  template <class F>
  void visit_args(F&& f) const {
    if (!by.empty()) {
      f(std::string_view("BY"));
      f(std::string_view(by));
    }
    if (limit) {
      f(std::string_view("LIMIT"));
      f(limit->first);
      f(limit->second);
    }
    for (const auto& g : get) {
      f(std::string_view("GET"));
      f(std::string_view(g));
    }
    if (order != Order::none) f(std::string_view(order == Order::asc ? "ASC" : "DESC"));
    if (alpha) f(std::string_view("ALPHA"));
  }
};

template <class Derived>
class KeyCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {"COPY",
                                                        "DEL",
                                                        "DUMP",
                                                        "EXISTS",
                                                        "EXPIRE",
                                                        "EXPIREAT",
                                                        "EXPIRETIME",
                                                        "KEYS",
                                                        "MIGRATE",
                                                        "MOVE",
                                                        "OBJECT|ENCODING",
                                                        "OBJECT|FREQ",
                                                        "OBJECT|IDLETIME",
                                                        "OBJECT|REFCOUNT",
                                                        "PERSIST",
                                                        "PEXPIRE",
                                                        "PEXPIREAT",
                                                        "PEXPIRETIME",
                                                        "PTTL",
                                                        "RANDOMKEY",
                                                        "RENAME",
                                                        "RENAMENX",
                                                        "RESTORE",
                                                        "SCAN",
                                                        "SORT",
                                                        "SORT_RO",
                                                        "TOUCH",
                                                        "TTL",
                                                        "TYPE",
                                                        "UNLINK",
                                                        "WAIT"};

  /// DEL key [key ...] — number removed. https://redis.io/commands/del
  template <class... Token>
  requires TokenPack<Token...>
  auto del(const StringList& keys, Token&&... token) {
    return run<long long>(Command("DEL", keys), std::forward<Token>(token)...);
  }
  /// UNLINK key [key ...] — https://redis.io/commands/unlink
  template <class... Token>
  requires TokenPack<Token...>
  auto unlink(const StringList& keys, Token&&... token) {
    return run<long long>(Command("UNLINK", keys), std::forward<Token>(token)...);
  }
  /// EXISTS key [key ...] — how many exist. https://redis.io/commands/exists
  template <class... Token>
  requires TokenPack<Token...>
  auto exists(const StringList& keys, Token&&... token) {
    return run<long long>(Command("EXISTS", keys), std::forward<Token>(token)...);
  }
  /// TOUCH key [key ...] — how many exist. https://redis.io/commands/touch
  template <class... Token>
  requires TokenPack<Token...>
  auto touch(const StringList& keys, Token&&... token) {
    return run<long long>(Command("TOUCH", keys), std::forward<Token>(token)...);
  }
  /// TYPE key — "string", "list", ..., "none". https://redis.io/commands/type
  template <class... Token>
  requires TokenPack<Token...>
  auto type(std::string_view key, Token&&... token) {
    return run<std::string>(Command("TYPE", key), std::forward<Token>(token)...);
  }

  /// EXPIRE key seconds [NX|XX|GT|LT] — true when the timeout was set.
  /// https://redis.io/commands/expire
  template <class... Token>
  requires TokenPack<Token...>
  auto expire(std::string_view key, std::chrono::seconds ttl, Token&&... token) {
    return run<bool>(Command("EXPIRE", key, ttl.count()), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto expire(std::string_view key, std::chrono::seconds ttl, ExpireCondition c, Token&&... token) {
    return run<bool>(Command("EXPIRE", key, ttl.count(), c), std::forward<Token>(token)...);
  }
  /// PEXPIRE key milliseconds [NX|XX|GT|LT] — https://redis.io/commands/pexpire
  template <class... Token>
  requires TokenPack<Token...>
  auto pexpire(std::string_view key, std::chrono::milliseconds ttl, Token&&... token) {
    return pexpire(key, ttl, ExpireCondition::none, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto pexpire(std::string_view key, std::chrono::milliseconds ttl, ExpireCondition c,
               Token&&... token) {
    return run<bool>(Command("PEXPIRE", key, ttl.count(), c), std::forward<Token>(token)...);
  }
  /// EXPIREAT key unix-seconds [NX|XX|GT|LT] — https://redis.io/commands/expireat
  template <class... Token>
  requires TokenPack<Token...>
  auto expireat(std::string_view key, std::chrono::system_clock::time_point at, Token&&... token) {
    return expireat(key, at, ExpireCondition::none, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto expireat(std::string_view key, std::chrono::system_clock::time_point at, ExpireCondition c,
                Token&&... token) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch());
    return run<bool>(Command("EXPIREAT", key, s.count(), c), std::forward<Token>(token)...);
  }
  /// PEXPIREAT key unix-milliseconds [NX|XX|GT|LT] — https://redis.io/commands/pexpireat
  template <class... Token>
  requires TokenPack<Token...>
  auto pexpireat(std::string_view key, std::chrono::system_clock::time_point at, Token&&... token) {
    return pexpireat(key, at, ExpireCondition::none, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto pexpireat(std::string_view key, std::chrono::system_clock::time_point at, ExpireCondition c,
                 Token&&... token) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch());
    return run<bool>(Command("PEXPIREAT", key, ms.count(), c), std::forward<Token>(token)...);
  }
  /// EXPIRETIME key — unix seconds; -1 no expiry, -2 no key. https://redis.io/commands/expiretime
  template <class... Token>
  requires TokenPack<Token...>
  auto expiretime(std::string_view key, Token&&... token) {
    return run<long long>(Command("EXPIRETIME", key), std::forward<Token>(token)...);
  }
  /// PEXPIRETIME key — unix milliseconds; -1 no expiry, -2 no key.
  template <class... Token>
  requires TokenPack<Token...>
  auto pexpiretime(std::string_view key, Token&&... token) {
    return run<long long>(Command("PEXPIRETIME", key), std::forward<Token>(token)...);
  }
  /// TTL key — seconds; -1 no expiry, -2 no key. https://redis.io/commands/ttl
  template <class... Token>
  requires TokenPack<Token...>
  auto ttl(std::string_view key, Token&&... token) {
    return run<long long>(Command("TTL", key), std::forward<Token>(token)...);
  }
  /// PTTL key — milliseconds; -1 no expiry, -2 no key. https://redis.io/commands/pttl
  template <class... Token>
  requires TokenPack<Token...>
  auto pttl(std::string_view key, Token&&... token) {
    return run<long long>(Command("PTTL", key), std::forward<Token>(token)...);
  }
  /// PERSIST key — true when a timeout was removed. https://redis.io/commands/persist
  template <class... Token>
  requires TokenPack<Token...>
  auto persist(std::string_view key, Token&&... token) {
    return run<bool>(Command("PERSIST", key), std::forward<Token>(token)...);
  }

  /// RENAME key newkey — https://redis.io/commands/rename
  template <class... Token>
  requires TokenPack<Token...>
  auto rename(std::string_view key, std::string_view newkey, Token&&... token) {
    return run<void>(Command("RENAME", key, newkey), std::forward<Token>(token)...);
  }
  /// RENAMENX key newkey — false when newkey exists. https://redis.io/commands/renamenx
  template <class... Token>
  requires TokenPack<Token...>
  auto renamenx(std::string_view key, std::string_view newkey, Token&&... token) {
    return run<bool>(Command("RENAMENX", key, newkey), std::forward<Token>(token)...);
  }
  /// COPY source destination [DB n] [REPLACE] — true when copied. https://redis.io/commands/copy
  template <class... Token>
  requires TokenPack<Token...>
  auto copy(std::string_view source, std::string_view destination, Token&&... token) {
    return copy(source, destination, CopyOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto copy(std::string_view source, std::string_view destination, const CopyOptions& opts,
            Token&&... token) {
    return run<bool>(Command("COPY", source, destination, opts), std::forward<Token>(token)...);
  }
  /// MOVE key db — true when moved. https://redis.io/commands/move
  template <class... Token>
  requires TokenPack<Token...>
  auto move(std::string_view key, long long db, Token&&... token) {
    return run<bool>(Command("MOVE", key, db), std::forward<Token>(token)...);
  }
  /// RANDOMKEY — nullopt in an empty database. https://redis.io/commands/randomkey
  template <class... Token>
  requires TokenPack<Token...>
  auto randomkey(Token&&... token) {
    return run<std::optional<std::string>>(Command("RANDOMKEY"), std::forward<Token>(token)...);
  }
  /// KEYS pattern — blocks the server while it walks every key: prefer SCAN (redwire/scan.hpp).
  /// The pattern is sent as given (Options::key_prefix does not apply to it).
  /// https://redis.io/commands/keys
  template <class... Token>
  requires TokenPack<Token...>
  auto keys(std::string_view pattern, Token&&... token) {
    return run<std::vector<std::string>>(Command("KEYS", pattern), std::forward<Token>(token)...);
  }
  /// SCAN cursor [MATCH p] [COUNT n] [TYPE t] — one page; start with cursor 0, stop when the
  /// returned cursor is 0. redwire/scan.hpp iterates for you. https://redis.io/commands/scan
  template <class... Token>
  requires TokenPack<Token...>
  auto scan(std::uint64_t cursor, const ScanOptions& opts, Token&&... token) {
    return run<ScanPage<std::string>>(Command("SCAN", cursor, opts), std::forward<Token>(token)...);
  }

  /// OBJECT ENCODING key — nullopt when the key does not exist.
  /// https://redis.io/commands/object-encoding
  template <class... Token>
  requires TokenPack<Token...>
  auto object_encoding(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("OBJECT", "ENCODING", key),
                                           std::forward<Token>(token)...);
  }
  /// OBJECT FREQ key — the LFU counter (needs an LFU maxmemory-policy).
  template <class... Token>
  requires TokenPack<Token...>
  auto object_freq(std::string_view key, Token&&... token) {
    return run<std::optional<long long>>(Command("OBJECT", "FREQ", key),
                                         std::forward<Token>(token)...);
  }
  /// OBJECT IDLETIME key — seconds since the last access.
  template <class... Token>
  requires TokenPack<Token...>
  auto object_idletime(std::string_view key, Token&&... token) {
    return run<std::optional<long long>>(Command("OBJECT", "IDLETIME", key),
                                         std::forward<Token>(token)...);
  }
  /// OBJECT REFCOUNT key
  template <class... Token>
  requires TokenPack<Token...>
  auto object_refcount(std::string_view key, Token&&... token) {
    return run<std::optional<long long>>(Command("OBJECT", "REFCOUNT", key),
                                         std::forward<Token>(token)...);
  }

  /// DUMP key — the serialized value (binary), nullopt when the key does not exist.
  /// https://redis.io/commands/dump
  template <class... Token>
  requires TokenPack<Token...>
  auto dump(std::string_view key, Token&&... token) {
    return run<std::optional<std::string>>(Command("DUMP", key), std::forward<Token>(token)...);
  }
  /// RESTORE key ttl serialized [REPLACE] [ABSTTL] [IDLETIME s] [FREQ n] — ttl 0: no expiry.
  /// https://redis.io/commands/restore
  template <class... Token>
  requires TokenPack<Token...>
  auto restore(std::string_view key, std::chrono::milliseconds ttl, std::string_view serialized,
               Token&&... token) {
    return restore(key, ttl, serialized, RestoreOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto restore(std::string_view key, std::chrono::milliseconds ttl, std::string_view serialized,
               const RestoreOptions& opts, Token&&... token) {
    return run<void>(Command("RESTORE", key, ttl.count(), serialized, opts),
                     std::forward<Token>(token)...);
  }
  /// MIGRATE host port "" db timeout [options] KEYS key... — "OK", or "NOKEY" when none of the
  /// keys exist. https://redis.io/commands/migrate
  template <class... Token>
  requires TokenPack<Token...>
  auto migrate(std::string_view host, int port, const StringList& keys, long long db,
               std::chrono::milliseconds timeout, Token&&... token) {
    return migrate(host, port, keys, db, timeout, MigrateOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto migrate(std::string_view host, int port, const StringList& keys, long long db,
               std::chrono::milliseconds timeout, const MigrateOptions& opts, Token&&... token) {
    return run<std::string>(
        Command("MIGRATE", host, port, "", db, timeout.count(), opts, "KEYS", keys),
        std::forward<Token>(token)...);
  }

  /// SORT key [options] — elements (nullopt where a GET pattern names nothing).
  /// https://redis.io/commands/sort
  template <class... Token>
  requires TokenPack<Token...>
  auto sort(std::string_view key, Token&&... token) {
    return sort(key, SortOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto sort(std::string_view key, const SortOptions& opts, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("SORT", key, opts),
                                                        std::forward<Token>(token)...);
  }
  /// SORT key [options] STORE destination — the number of elements stored.
  template <class... Token>
  requires TokenPack<Token...>
  auto sort_store(std::string_view key, std::string_view destination, const SortOptions& opts,
                  Token&&... token) {
    return run<long long>(Command("SORT", key, opts, "STORE", destination),
                          std::forward<Token>(token)...);
  }
  /// SORT_RO key [options] — SORT without STORE, allowed on replicas.
  /// https://redis.io/commands/sort_ro
  template <class... Token>
  requires TokenPack<Token...>
  auto sort_ro(std::string_view key, Token&&... token) {
    return sort_ro(key, SortOptions{}, std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto sort_ro(std::string_view key, const SortOptions& opts, Token&&... token) {
    return run<std::vector<std::optional<std::string>>>(Command("SORT_RO", key, opts),
                                                        std::forward<Token>(token)...);
  }

  /// WAIT numreplicas timeout — how many replicas acknowledged this connection's earlier
  /// writes. Runs on the shared link (a dedicated link would have no writes to wait for); it
  /// holds that link for up to `timeout` (0 = forever), and the command timeout counts from
  /// the end of that window. https://redis.io/commands/wait
  template <class... Token>
  requires TokenPack<Token...>
  auto wait(long long numreplicas, std::chrono::milliseconds timeout, Token&&... token) {
    Command cmd("WAIT", numreplicas, timeout.count());
    cmd.block_for(timeout.count() == 0 ? std::chrono::milliseconds(-1) : timeout);
    return run<long long>(std::move(cmd), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
