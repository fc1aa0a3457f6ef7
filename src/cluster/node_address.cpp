#include "redwire/cluster/node_address.hpp"

#include <charconv>

namespace redwire::cluster {

std::string NodeAddress::to_string() const {
  std::string out;
  if (host.find(':') != std::string::npos) {
    out.reserve(host.size() + 8);
    out += '[';
    out += host;
    out += ']';
  } else {
    out = host;
  }
  out += ':';
  out += std::to_string(port);
  return out;
}

std::optional<NodeAddress> parse_node_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (!host.empty() && (host.front() == '[' || host.back() == ']')) {
    return std::nullopt;  // unbalanced brackets
  }
  return NodeAddress{std::string(host), static_cast<std::uint16_t>(port)};
}

}  // namespace redwire::cluster
