// Connection commands that make sense on a link shared by many callers: PING, ECHO and the
// CLIENT introspection and administration subcommands.
//
// Not offered (docs/commands.md, "Not offered as typed methods"): SELECT (it would switch the
// database under every other caller of the shared link, and a reconnect would silently undo
// it: use Options::db, or one Client per database), AUTH and HELLO (the handshake owns them and
// replays them on every reconnect: use Options::username/password/protocol), QUIT and RESET
// (use close(); RESET would drop the handshake's state), CLIENT REPLY (OFF/SKIP would desync
// replies from callers), CLIENT TRACKING / CLIENT CACHING (client-side caching owns them).
//
// CLIENT SETNAME is offered, with a caveat: it names the shared link for everyone, and a
// reconnect forgets it. Options::client_name is the durable way (the handshake sets it on
// every link, the blocking pool's too).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/server_replies.hpp"

namespace redwire {

/// CLIENT LIST [TYPE t] [ID id ...].
struct ClientListOptions {
  using redwire_option = void;
  std::string type{};  ///< "normal", "master", "replica" or "pubsub"
  std::vector<long long> ids{};

  template <class F>
  void visit_args(F&& f) const {
    if (!type.empty()) {
      f(std::string_view("TYPE"));
      f(std::string_view(type));
    }
    if (!ids.empty()) {
      f(std::string_view("ID"));
      f(ids);
    }
  }
};

/// CLIENT KILL filters (all given must match): ID, ADDR, LADDR, TYPE, USER, SKIPME.
struct ClientKillOptions {
  using redwire_option = void;
  std::optional<long long> id{};
  std::string addr{};   ///< ip:port
  std::string laddr{};  ///< ip:port of the server side
  std::string type{};   ///< "normal", "master", "replica", "pubsub"
  std::string user{};
  std::optional<bool> skipme{};  ///< default (yes): never kills the calling link

  template <class F>
  void visit_args(F&& f) const {
    const auto pair = [&](std::string_view name, const std::string& value) {
      if (value.empty()) return;
      f(name);
      f(std::string_view(value));
    };
    if (id) {
      f(std::string_view("ID"));
      f(*id);
    }
    pair("ADDR", addr);
    pair("LADDR", laddr);
    pair("TYPE", type);
    pair("USER", user);
    if (skipme) {
      f(std::string_view("SKIPME"));
      f(std::string_view(*skipme ? "yes" : "no"));
    }
  }
};

/// CLIENT PAUSE mode: every command, or only writes.
enum class PauseMode { all, write };
/// CLIENT UNBLOCK: the blocked command ends as if timed out, or with an UNBLOCKED error.
enum class UnblockMode { timeout, error };

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::PauseMode> {
  static std::size_t count(PauseMode) noexcept { return 1; }
  static void write(std::string& out, PauseMode m) {
    append_bulk(out, m == PauseMode::all ? "ALL" : "WRITE");
  }
};

namespace redwire {

template <class Derived>
class ConnectionCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {"CLIENT|GETNAME",
                                                        "CLIENT|GETREDIR",
                                                        "CLIENT|ID",
                                                        "CLIENT|INFO",
                                                        "CLIENT|KILL",
                                                        "CLIENT|LIST",
                                                        "CLIENT|NO-EVICT",
                                                        "CLIENT|PAUSE",
                                                        "CLIENT|SETNAME",
                                                        "CLIENT|TRACKINGINFO",
                                                        "CLIENT|UNBLOCK",
                                                        "CLIENT|UNPAUSE",
                                                        "ECHO",
                                                        "PING"};

  /// PING — "PONG". https://redis.io/commands/ping
  template <class... Token>
  requires TokenPack<Token...>
  auto ping(Token&&... token) {
    return run<std::string>(Command("PING"), std::forward<Token>(token)...);
  }
  /// PING message — the message.
  template <class... Token>
  requires TokenPack<Token...>
  auto ping(std::string_view message, Token&&... token) {
    return run<std::string>(Command("PING", message), std::forward<Token>(token)...);
  }
  /// ECHO message — https://redis.io/commands/echo
  template <class... Token>
  requires TokenPack<Token...>
  auto echo(std::string_view message, Token&&... token) {
    return run<std::string>(Command("ECHO", message), std::forward<Token>(token)...);
  }

  /// CLIENT ID — the id of the link the command ran on. https://redis.io/commands/client-id
  template <class... Token>
  requires TokenPack<Token...>
  auto client_id(Token&&... token) {
    return run<long long>(Command("CLIENT", "ID"), std::forward<Token>(token)...);
  }
  /// CLIENT INFO — this link's fields. https://redis.io/commands/client-info
  template <class... Token>
  requires TokenPack<Token...>
  auto client_info(Token&&... token) {
    return run<ClientInfo>(Command("CLIENT", "INFO"), std::forward<Token>(token)...);
  }
  /// CLIENT LIST [TYPE t] [ID id ...] — https://redis.io/commands/client-list
  template <class... Token>
  requires TokenPack<Token...>
  auto client_list(Token&&... token) {
    return run<std::vector<ClientInfo>>(Command("CLIENT", "LIST"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto client_list(const ClientListOptions& opts, Token&&... token) {
    return run<std::vector<ClientInfo>>(Command("CLIENT", "LIST", opts),
                                        std::forward<Token>(token)...);
  }
  /// CLIENT GETNAME — https://redis.io/commands/client-getname
  template <class... Token>
  requires TokenPack<Token...>
  auto client_getname(Token&&... token) {
    return run<std::optional<std::string>>(Command("CLIENT", "GETNAME"),
                                           std::forward<Token>(token)...);
  }
  /// CLIENT SETNAME name — names the shared link (see the caveat at the top of this file).
  /// https://redis.io/commands/client-setname
  template <class... Token>
  requires TokenPack<Token...>
  auto client_setname(std::string_view name, Token&&... token) {
    return run<void>(Command("CLIENT", "SETNAME", name), std::forward<Token>(token)...);
  }
  /// CLIENT KILL filter... — clients killed. https://redis.io/commands/client-kill
  template <class... Token>
  requires TokenPack<Token...>
  auto client_kill(const ClientKillOptions& filters, Token&&... token) {
    return run<long long>(Command("CLIENT", "KILL", filters), std::forward<Token>(token)...);
  }
  /// CLIENT NO-EVICT ON|OFF — https://redis.io/commands/client-no-evict
  template <class... Token>
  requires TokenPack<Token...>
  auto client_no_evict(bool on, Token&&... token) {
    return run<void>(Command("CLIENT", "NO-EVICT", on ? "ON" : "OFF"),
                     std::forward<Token>(token)...);
  }
  /// CLIENT PAUSE timeout [ALL|WRITE] — https://redis.io/commands/client-pause
  template <class... Token>
  requires TokenPack<Token...>
  auto client_pause(std::chrono::milliseconds timeout, PauseMode mode, Token&&... token) {
    return run<void>(Command("CLIENT", "PAUSE", timeout.count(), mode),
                     std::forward<Token>(token)...);
  }
  /// CLIENT UNPAUSE — https://redis.io/commands/client-unpause
  template <class... Token>
  requires TokenPack<Token...>
  auto client_unpause(Token&&... token) {
    return run<void>(Command("CLIENT", "UNPAUSE"), std::forward<Token>(token)...);
  }
  /// CLIENT UNBLOCK id [TIMEOUT|ERROR] — true when that client was blocked.
  /// https://redis.io/commands/client-unblock
  template <class... Token>
  requires TokenPack<Token...>
  auto client_unblock(long long id, UnblockMode mode, Token&&... token) {
    return run<bool>(
        Command("CLIENT", "UNBLOCK", id, mode == UnblockMode::error ? "ERROR" : "TIMEOUT"),
        std::forward<Token>(token)...);
  }
  /// CLIENT GETREDIR — the tracking redirection id (-1 none, 0 not tracking).
  /// https://redis.io/commands/client-getredir
  template <class... Token>
  requires TokenPack<Token...>
  auto client_getredir(Token&&... token) {
    return run<long long>(Command("CLIENT", "GETREDIR"), std::forward<Token>(token)...);
  }
  /// CLIENT TRACKINGINFO — https://redis.io/commands/client-trackinginfo
  template <class... Token>
  requires TokenPack<Token...>
  auto client_trackinginfo(Token&&... token) {
    return run<TrackingInfo>(Command("CLIENT", "TRACKINGINFO"), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
