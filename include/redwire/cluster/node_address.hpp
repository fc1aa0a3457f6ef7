// Where a cluster node listens, as the cluster announces it ("127.0.0.1:7000", "[::1]:7000",
// "redis-3.internal:6379").
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace redwire::cluster {

struct NodeAddress {
  std::string host;  ///< IP address or host name; IPv6 without brackets
  std::uint16_t port = 0;

  /// "host:port", with IPv6 hosts in brackets: "[::1]:7000".
  std::string to_string() const;
  bool operator==(const NodeAddress&) const = default;
  auto operator<=>(const NodeAddress&) const = default;
};

/// Parses "host:port", "[ipv6]:port" or a bare "ipv6:port" (the last colon separates the port,
/// as in the server's MOVED replies). nullopt for a missing or invalid port (0 is invalid).
/// The host may be empty (":7000"): callers decide what an unknown host means.
std::optional<NodeAddress> parse_node_address(std::string_view text);

struct NodeAddressHash {
  std::size_t operator()(const NodeAddress& a) const noexcept {
    return std::hash<std::string_view>{}(a.host) * 31u + a.port;
  }
};

}  // namespace redwire::cluster
