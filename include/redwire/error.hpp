// Error codes of redwire.
//
// Four categories, so that callers can tell at a glance where a failure came from:
//   - redwire::errc           the client and the link (timeouts, closed, indeterminate, ...)
//   - redwire::protocol_errc  malformed or oversized bytes from the peer
//   - redwire::conversion_errc a reply that does not fit the C++ type asked for
//   - redwire::server_errc    an error reply from the server, classified by its prefix
// The full text of a server error travels with the reply (see resp/reply.hpp, ServerError).
#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace redwire {

/// Errors of the client and its link to the server.
enum class errc {
  connection_closed = 1,   ///< close()/disconnect() was called; nothing more will be sent
  connection_lost,         ///< the link dropped before the command was written (safe to retry)
  indeterminate,           ///< written, but the link dropped before the reply: it may have run
  connect_timeout,         ///< connecting (TCP + handshake) took longer than connect_timeout
  command_timeout,         ///< no reply within the command timeout; a late reply is dropped
  offline_queue_full,      ///< disconnected and the offline queue is at its bound
  offline_queue_disabled,  ///< disconnected and the offline queue is switched off
  max_retries_exceeded,    ///< the command waited through max_retries_per_request reconnects
  auth_failed,             ///< the server refused the credentials (never retried)
  handshake_failed,        ///< HELLO/SELECT/... failed for another reason
  invalid_argument,        ///< rejected before sending (e.g. SET with both NX and XX)
  invalid_url,             ///< Options::from_url could not parse the URL
  unsupported,             ///< a feature this build or this server does not offer
  resolve_failed,          ///< the host name did not resolve
  transaction_aborted,     ///< EXEC returned nil: a WATCHed key changed
  too_many_redirections,   ///< cluster: MOVED/ASK chain longer than max_redirections
  too_many_pending,        ///< connected, but the in-flight bound (max_pending) is reached
  tls_handshake_failed,    ///< TLS: certificate not trusted, name mismatch, not a TLS port, ...
  invalid_tls_config,      ///< TLS options unusable: a missing/invalid file, TLS on a unix socket
};

/// Malformed or oversized input from the peer. The link is closed after any of these.
enum class protocol_errc {
  invalid_type_byte = 1,
  missing_crlf,
  invalid_integer,
  invalid_length,
  bulk_too_large,
  aggregate_too_large,
  depth_exceeded,
  invalid_double,
  invalid_boolean,
  invalid_null,
  invalid_verbatim,
  line_too_long,
  buffer_limit_exceeded,
  unsupported_type,
  unexpected_reply,  ///< a reply arrived with no request waiting for it
};

/// A reply that cannot be converted to the requested C++ type.
enum class conversion_errc {
  unexpected_type = 1,
  unexpected_null,
  invalid_number,
  wrong_size,
  out_of_range,
};

/// A server error reply, classified by its first word.
enum class server_errc {
  err = 1,  ///< plain "ERR ..."
  wrongtype,
  noscript,
  moved,
  ask,
  tryagain,
  clusterdown,
  crossslot,
  loading,
  busy,
  readonly,
  oom,
  noauth,
  wrongpass,
  noperm,
  execabort,
  masterdown,
  misconf,
  noreplicas,
  nogroup,
  busygroup,
  noproto,
  busykey,
  other,  ///< any other prefix; the reply carries the text
};

const std::error_category& client_category() noexcept;
const std::error_category& protocol_category() noexcept;
const std::error_category& conversion_category() noexcept;
const std::error_category& server_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), client_category()};
}
inline std::error_code make_error_code(protocol_errc e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}
inline std::error_code make_error_code(conversion_errc e) noexcept {
  return {static_cast<int>(e), conversion_category()};
}
inline std::error_code make_error_code(server_errc e) noexcept {
  return {static_cast<int>(e), server_category()};
}

/// Classifies the prefix of a server error ("WRONGTYPE Operation against ..." -> wrongtype).
server_errc classify_server_error(std::string_view message) noexcept;

/// True for failures of the link or of the peer's bytes (a new connection may help).
bool is_connection_error(std::error_code ec) noexcept;
/// True for command_timeout and connect_timeout.
bool is_timeout(std::error_code ec) noexcept;
/// True for MOVED, ASK, TRYAGAIN and CLUSTERDOWN.
bool is_cluster_error(std::error_code ec) noexcept;

}  // namespace redwire

template <>
struct std::is_error_code_enum<redwire::errc> : std::true_type {};
template <>
struct std::is_error_code_enum<redwire::protocol_errc> : std::true_type {};
template <>
struct std::is_error_code_enum<redwire::conversion_errc> : std::true_type {};
template <>
struct std::is_error_code_enum<redwire::server_errc> : std::true_type {};
