// A throwaway redis-server (or redis-sentinel) on a free loopback port, in its own temporary
// directory with its own config file, stopped and cleaned up on destruction.
//
//   RedisServer server;                                   // save '' / appendonly no / DEBUG ok
//   server.cli("SET", "k", "v");                          // admin via redis-cli, returns stdout
//   RedisServer aof{{.appendonly = true}};                // appendfsync always
//   aof.kill9(); aof.restart();                           // same port, dir, config: data kept
//   RedisServer slow{{.extra_args = {"--key-load-delay", "50"}}};
//
// Every option has a default member initializer so designated initializers may name any subset
// (g++ warns about omitted members without one).
//
// Not thread-safe: drive one instance from one thread (the fault proxy has its own thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "redwire/test/child_process.hpp"
#include "redwire/test/temp_dir.hpp"

namespace redwire::test {

/// An ACL user created from the config file: `user <name> <rules> ><password>`.
struct AclUser {
  std::string name{};
  std::string password{};
  std::string rules = "on ~* &* +@all";
};

struct RedisServerOptions {
  /// Shown in logs and failure reports; defaults to "redis-server" / "redis-sentinel".
  std::string name{};
  /// Run /usr/bin/redis-sentinel instead; `config` must then hold the `sentinel ...` lines.
  bool sentinel = false;
  /// 0 = a free port. A fixed port is not retried when it is taken.
  std::uint16_t port = 0;
  /// `appendonly yes` + `appendfsync always`: every acknowledged write survives kill -9.
  bool appendonly = false;
  /// `cluster-enabled yes` with nodes.conf in the server's dir and its bus on a second free
  /// port (`cluster-port`). ClusterTopology sets this; add `cluster-node-timeout` to `config`.
  bool cluster = false;
  /// Also listen on <dir>/redis.sock (unixsocketperm 700).
  bool unix_socket = false;
  /// `requirepass`; the default user's password (cli() uses it).
  std::string requirepass{};
  std::vector<AclUser> users{};
  /// Also listen with TLS on a second free port, certificates from TlsCertificates::shared().
  bool tls = false;
  /// `tls-auth-clients`: "no", "optional" or "yes" (mutual TLS).
  std::string tls_auth_clients = "optional";
  /// Extra config directives, one per entry: "maxmemory 1mb", "timeout 1".
  std::vector<std::string> config{};
  /// Extra command-line arguments after the config file: {"--key-load-delay", "50"}.
  std::vector<std::string> extra_args{};
  /// Bound on startup (until the server answers PING with any reply, LOADING included).
  std::chrono::milliseconds start_timeout = std::chrono::seconds(10);
  /// Bound on a graceful stop before SIGKILL.
  std::chrono::milliseconds stop_timeout = std::chrono::seconds(5);
  /// Empty: /usr/bin/redis-server or /usr/bin/redis-sentinel.
  std::string executable{};
};

class RedisServer {
 public:
  /// Starts the server and waits until it answers; throws std::runtime_error (with the end of
  /// its log) when it does not within options.start_timeout.
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  const std::string& host() const noexcept { return host_; }  ///< "127.0.0.1"
  std::uint16_t port() const noexcept { return port_; }
  std::uint16_t tls_port() const noexcept { return tls_port_; }          ///< 0 without TLS
  std::uint16_t cluster_bus_port() const noexcept { return bus_port_; }  ///< 0 unless cluster
  /// Unix socket path, empty unless options.unix_socket.
  const std::string& unix_path() const noexcept { return unix_path_; }
  /// redis://[:requirepass@]127.0.0.1:port
  std::string url() const;
  /// rediss://[:requirepass@]127.0.0.1:tls_port
  std::string tls_url() const;
  const std::filesystem::path& dir() const noexcept { return dir_.path(); }
  std::filesystem::path config_file() const { return dir() / "redis.conf"; }
  /// Pid of the running process, -1 when it is not running.
  pid_t pid() const noexcept { return process_.pid(); }
  bool running();
  bool paused() const noexcept { return paused_; }
  /// The whole log file (startup messages, warnings, crash reports).
  std::string log() const;
  const RedisServerOptions& options() const noexcept { return options_; }

  // ---- faults ----
  /// SIGKILL and reap: no shutdown, no final fsync.
  void kill9();
  /// Starts the server again on the same port with the same dir and config (AOF/RDB files and
  /// nodes.conf are kept). Stops it gracefully first if it is running.
  void restart();
  /// Replaces options.extra_args from the next restart() on (e.g. {"--key-load-delay", "50"}).
  void set_extra_args(std::vector<std::string> args) { options_.extra_args = std::move(args); }
  /// SIGSTOP / SIGCONT: the process keeps its sockets but answers nothing.
  void pause();
  void resume();
  /// `SHUTDOWN NOSAVE` through redis-cli, then reap.
  void shutdown_nosave();
  /// Graceful stop: SIGTERM, SIGKILL after options.stop_timeout; reaped.
  void stop();
  /// Polls PING until any reply (LOADING counts) or `timeout`; throws with the log tail.
  void wait_ready(std::chrono::milliseconds timeout);
  /// Polls INFO replication until at least `replicas` connected replicas have acknowledged
  /// this master's replication stream up to where it stood at the call (offset >= the first
  /// master_repl_offset read); throws on timeout.
  /// Use this, not `cli("WAIT", ...)`: WAIT counts acknowledgements of the calling
  /// connection's own writes, and every cli() call is a new connection.
  void wait_replicated(std::size_t replicas,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  /// Polls until INFO persistence says loading:0.
  void wait_loaded(std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;

  // ---- admin through redis-cli (never through the client under test) ----
  /// Runs `redis-cli -h host -p port [auth] args...` and returns its stdout without the final
  /// newline. Error replies come back as text ("ERR ...", "WRONGTYPE ..."); throws when
  /// redis-cli fails (cannot connect, timeout).
  std::string cli_args(const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  template <class... Args>
  std::string cli(const Args&... args) const {
    return cli_args({to_cli_arg(args)...});
  }
  /// Like cli_args but never throws: exit code, stdout and stderr.
  CommandResult try_cli(const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  /// INFO <section> as text, and one field of it (e.g. info_field("persistence", "loading")).
  std::string info(std::string_view section = "") const;
  std::optional<std::string> info_field(std::string_view section, std::string_view field) const;

  template <class T>
  static std::string to_cli_arg(const T& v) {
    if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      return std::string(std::string_view(v));
    } else {
      static_assert(std::is_arithmetic_v<T>, "cli() takes strings and numbers");
      return std::to_string(v);
    }
  }

 private:
  void write_config();
  void start();
  std::string describe() const;

  RedisServerOptions options_;
  TempDir dir_;
  std::string host_ = "127.0.0.1";
  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::uint16_t bus_port_ = 0;
  std::string unix_path_;
  ChildProcess process_;
  bool paused_ = false;
  std::uint64_t journal_id_ = 0;
};

/// Extracts `field:value` from INFO text.
std::optional<std::string> parse_info_field(std::string_view info, std::string_view field);

}  // namespace redwire::test
