#include "redwire/error.hpp"

#include <array>
#include <cstring>
#include <utility>

namespace redwire {
namespace {

class ClientCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "redwire"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::connection_closed:
        return "connection closed by the client";
      case errc::connection_lost:
        return "connection lost before the command was sent";
      case errc::indeterminate:
        return "connection lost after the command was sent: it may have been applied";
      case errc::connect_timeout:
        return "connect timeout";
      case errc::command_timeout:
        return "command timeout";
      case errc::offline_queue_full:
        return "not connected and the offline queue is full";
      case errc::offline_queue_disabled:
        return "not connected and the offline queue is disabled";
      case errc::max_retries_exceeded:
        return "not connected: the command waited through max_retries_per_request reconnects";
      case errc::auth_failed:
        return "authentication failed";
      case errc::handshake_failed:
        return "connection handshake failed";
      case errc::invalid_argument:
        return "invalid argument";
      case errc::invalid_url:
        return "invalid URL";
      case errc::unsupported:
        return "unsupported";
      case errc::resolve_failed:
        return "host name did not resolve";
      case errc::transaction_aborted:
        return "transaction aborted: a WATCHed key changed";
      case errc::too_many_redirections:
        return "too many cluster redirections";
      case errc::too_many_pending:
        return "too many commands pending on the connection";
      case errc::tls_handshake_failed:
        return "TLS handshake failed";
      case errc::invalid_tls_config:
        return "invalid TLS options";
    }
    return "unknown redwire error";
  }
};

class ProtocolCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "redwire.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<protocol_errc>(ev)) {
      case protocol_errc::invalid_type_byte:
        return "protocol error: invalid type byte";
      case protocol_errc::missing_crlf:
        return "protocol error: expected CRLF";
      case protocol_errc::invalid_integer:
        return "protocol error: invalid integer";
      case protocol_errc::invalid_length:
        return "protocol error: invalid length";
      case protocol_errc::bulk_too_large:
        return "protocol error: bulk string over the limit";
      case protocol_errc::aggregate_too_large:
        return "protocol error: aggregate over the limit";
      case protocol_errc::depth_exceeded:
        return "protocol error: nesting depth over the limit";
      case protocol_errc::invalid_double:
        return "protocol error: invalid double";
      case protocol_errc::invalid_boolean:
        return "protocol error: invalid boolean";
      case protocol_errc::invalid_null:
        return "protocol error: invalid null";
      case protocol_errc::invalid_verbatim:
        return "protocol error: invalid verbatim string";
      case protocol_errc::line_too_long:
        return "protocol error: line over the limit";
      case protocol_errc::buffer_limit_exceeded:
        return "protocol error: read buffer over the limit";
      case protocol_errc::unsupported_type:
        return "protocol error: unsupported type";
      case protocol_errc::unexpected_reply:
        return "protocol error: reply with no request waiting";
    }
    return "unknown protocol error";
  }
};

class ConversionCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "redwire.conversion"; }
  std::string message(int ev) const override {
    switch (static_cast<conversion_errc>(ev)) {
      case conversion_errc::unexpected_type:
        return "reply has an unexpected type";
      case conversion_errc::unexpected_null:
        return "reply is null";
      case conversion_errc::invalid_number:
        return "reply is not a valid number";
      case conversion_errc::wrong_size:
        return "reply has an unexpected number of elements";
      case conversion_errc::out_of_range:
        return "reply value out of range for the target type";
    }
    return "unknown conversion error";
  }
};

struct PrefixEntry {
  std::string_view prefix;
  server_errc code;
  const char* text;
};

constexpr std::array<PrefixEntry, 23> kPrefixes{{
    {"ERR", server_errc::err, "ERR: generic server error"},
    {"WRONGTYPE", server_errc::wrongtype,
     "WRONGTYPE: operation against a key holding the wrong kind of value"},
    {"NOSCRIPT", server_errc::noscript, "NOSCRIPT: no matching script"},
    {"MOVED", server_errc::moved, "MOVED: slot served by another node"},
    {"ASK", server_errc::ask, "ASK: slot is migrating"},
    {"TRYAGAIN", server_errc::tryagain, "TRYAGAIN: multi-key request during migration"},
    {"CLUSTERDOWN", server_errc::clusterdown, "CLUSTERDOWN: the cluster is down"},
    {"CROSSSLOT", server_errc::crossslot, "CROSSSLOT: keys in request don't hash to the same slot"},
    {"LOADING", server_errc::loading, "LOADING: server is loading the dataset"},
    {"BUSY", server_errc::busy, "BUSY: server is busy running a script"},
    {"READONLY", server_errc::readonly, "READONLY: write against a read-only replica"},
    {"OOM", server_errc::oom, "OOM: command not allowed when used memory > maxmemory"},
    {"NOAUTH", server_errc::noauth, "NOAUTH: authentication required"},
    {"WRONGPASS", server_errc::wrongpass, "WRONGPASS: invalid username-password pair"},
    {"NOPERM", server_errc::noperm, "NOPERM: no permission for this command or key"},
    {"EXECABORT", server_errc::execabort, "EXECABORT: transaction discarded because of errors"},
    {"MASTERDOWN", server_errc::masterdown, "MASTERDOWN: link with the master is down"},
    {"MISCONF", server_errc::misconf, "MISCONF: persistence is failing"},
    {"NOREPLICAS", server_errc::noreplicas, "NOREPLICAS: not enough good replicas"},
    {"NOGROUP", server_errc::nogroup, "NOGROUP: no such consumer group"},
    {"BUSYGROUP", server_errc::busygroup, "BUSYGROUP: consumer group already exists"},
    {"NOPROTO", server_errc::noproto, "NOPROTO: protocol version not supported"},
    {"BUSYKEY", server_errc::busykey, "BUSYKEY: target key already exists"},
}};

class ServerCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "redwire.server"; }
  std::string message(int ev) const override {
    for (const auto& e : kPrefixes) {
      if (static_cast<int>(e.code) == ev) return e.text;
    }
    return "server error";
  }
};

}  // namespace

const std::error_category& client_category() noexcept {
  static const ClientCategory c;
  return c;
}
const std::error_category& protocol_category() noexcept {
  static const ProtocolCategory c;
  return c;
}
const std::error_category& conversion_category() noexcept {
  static const ConversionCategory c;
  return c;
}
const std::error_category& server_category() noexcept {
  static const ServerCategory c;
  return c;
}

server_errc classify_server_error(std::string_view message) noexcept {
  const auto space = message.find(' ');
  const std::string_view word = message.substr(0, space);
  for (const auto& e : kPrefixes) {
    if (word == e.prefix) return e.code;
  }
  return server_errc::other;
}

bool is_connection_error(std::error_code ec) noexcept {
  if (!ec) return false;
  if (ec.category() == protocol_category()) return true;
  if (ec.category() == client_category()) {
    const auto e = static_cast<errc>(ec.value());
    return e == errc::connection_lost || e == errc::indeterminate || e == errc::connect_timeout ||
           e == errc::resolve_failed;
  }
  return ec.category() == std::system_category() || ec.category() == std::generic_category();
}

bool is_timeout(std::error_code ec) noexcept {
  return ec == errc::command_timeout || ec == errc::connect_timeout;
}

bool is_cluster_error(std::error_code ec) noexcept {
  return ec == server_errc::moved || ec == server_errc::ask || ec == server_errc::tryagain ||
         ec == server_errc::clusterdown;
}

}  // namespace redwire
