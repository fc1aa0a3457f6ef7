// Connection options, settable in code or from a URL:
//
//   auto opts = redwire::Options::from_url("redis://user:secret@127.0.0.1:6379/2");
//   opts.command_timeout = std::chrono::milliseconds(500);
//
// URL forms: redis://[user[:password]@]host[:port][/db][?name=...&protocol=2]
//            rediss://... (TLS; also ?ca_file=...&ca_dir=...&cert_file=...&key_file=...
//                          &server_name=...)
//            unix:///path/to/redis.sock[?db=N&name=...]
//
// TLS in code (see docs/client.md, "TLS"):
//
//   opts.tls.enabled = true;
//   opts.tls.ca_file = "/etc/redis/ca.crt";          // default: the system trust store
//   opts.tls.cert_file = "client.crt";               // mutual TLS (both or neither)
//   opts.tls.key_file = "client.key";
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/convert.hpp"
#include "redwire/events.hpp"
#include "redwire/resp/parser.hpp"

namespace redwire {

using namespace std::chrono_literals;

/// Given the number of the reconnect attempt (1, 2, ...), the delay before it, or nullopt to
/// stop reconnecting (pending commands then fail and the client ends).
using RetryStrategy =
    std::function<std::optional<std::chrono::milliseconds>(std::uint32_t attempt)>;

/// Exponential backoff: base * 2^(attempt-1), capped, with full jitter in [delay/2, delay].
RetryStrategy exponential_backoff(std::chrono::milliseconds base = 50ms,
                                  std::chrono::milliseconds cap = 2000ms);

/// What to do when a command gets a server error (the READONLY-after-failover case).
enum class ErrorAction {
  none,                 ///< hand the error to the caller
  reconnect,            ///< hand the error to the caller, then reconnect
  reconnect_and_resend  ///< reconnect and send the command again on the new link
};
using ReconnectOnError = std::function<ErrorAction(const ServerError&)>;

/// Lowest TLS protocol version accepted.
enum class TlsVersion { tls1_2, tls1_3 };

/// TLS for the link (rediss://). The server's certificate chain is verified against ca_file /
/// ca_dir (or the system trust store when both are empty), and its name against server_name
/// (or the host connected to: DNS names by subjectAltName DNS entries, IP literals by IP
/// entries). The files are read once, at the first connect; a missing or invalid file ends the
/// client with errc::invalid_tls_config. A failed handshake (untrusted certificate, name
/// mismatch, plain-text server, client certificate required) is errc::tls_handshake_failed,
/// retried like any failed connect. TLS over a unix socket is not supported.
struct TlsOptions {
  bool enabled = false;
  std::string ca_file;      ///< PEM file of trusted CA certificates
  std::string ca_dir;       ///< directory of hashed CA certificates (openssl rehash)
  std::string cert_file;    ///< client certificate chain (PEM), for mutual TLS
  std::string key_file;     ///< its private key (PEM, unencrypted)
  std::string server_name;  ///< SNI and the name verified; empty = the host connected to
  /// DANGEROUS when false: any certificate from anyone is accepted, so the link is encrypted
  /// but not authenticated (a man in the middle sees everything, the password included).
  /// Only for tests against self-signed servers; never the default, never from a URL.
  bool verify_peer = true;
  TlsVersion min_version = TlsVersion::tls1_2;
};

struct Options {
  // Where
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string path;  ///< unix socket path; when set, host/port are ignored
  TlsOptions tls;    ///< rediss://; off by default

  // Who
  std::string username;     ///< ACL user; empty means "default" when a password is set
  std::string password;     ///< never logged, never in error messages
  int db = 0;               ///< SELECTed after the handshake
  std::string client_name;  ///< CLIENT SETNAME
  int protocol = 3;  ///< RESP3 by default; 2 on request (falls back to 2 when HELLO is missing)

  // Time
  std::chrono::milliseconds connect_timeout = 10s;        ///< TCP connect + handshake
  std::chrono::milliseconds command_timeout = 0ms;        ///< 0 = none; per-call override possible
  std::chrono::milliseconds health_check_interval = 0ms;  ///< PING when idle; 0 = off
  bool tcp_keepalive = true;
  bool tcp_nodelay = true;

  // Resilience
  RetryStrategy retry_strategy = exponential_backoff();
  /// Failed reconnect attempts a queued command waits through; nullopt = unlimited.
  std::optional<std::uint32_t> max_retries_per_request = 20;
  bool offline_queue = true;  ///< queue commands while disconnected
  std::size_t offline_queue_limit = 100'000;
  std::size_t max_pending = 1'000'000;  ///< bound on commands queued + in flight when connected
  bool ready_check = true;              ///< wait while the server is LOADING
  ReconnectOnError reconnect_on_error;  ///< unset = ErrorAction::none
  bool lazy_connect = false;            ///< connect on the first command instead of at once
  EventHandler on_event;                ///< connecting, connect, ready, error, close, ...
  /// Resend written-but-unanswered commands after a reconnect even when they are not
  /// read-only (at-least-once). Off by default: such commands complete as errc::indeterminate.
  bool at_least_once = false;
  /// The blocking facade (SyncClient) polls for a reply this long before its thread sleeps: a
  /// reply that comes meanwhile skips a thread wake-up (docs/performance.md), at the price of
  /// up to this much CPU per call. 0 = sleep at once.
  std::chrono::microseconds blocking_spin{50};

  // Limits
  resp::Limits limits;
  std::size_t max_read_buffer = 1024ull * 1024 * 1024;  ///< bytes buffered for one reply
  std::size_t blocking_pool_size = 4;  ///< dedicated links for BLPOP, BRPOP, XREAD BLOCK, ...

  // Keys
  /// Put in front of every key argument of every command (found through the command table:
  /// MSET's keys, EVAL's KEYS, SORT's BY/GET patterns, ...), never values, channels or
  /// KEYS/SCAN MATCH patterns; replies (KEYS, SCAN) come back with it. See docs/commands.md.
  std::string key_prefix;

  /// Parses a redis://, rediss:// or unix:// URL. Sets ec (errc::invalid_url) on failure.
  static Options from_url(std::string_view url, std::error_code& ec);
  /// Same, throwing std::system_error on failure.
  static Options from_url(std::string_view url);

  /// "host:port" or the socket path — for logs; never includes credentials.
  std::string endpoint() const;
};

}  // namespace redwire
