#include "redwire/cluster/redirect.hpp"

#include <charconv>

#include "redwire/cluster/crc16.hpp"

namespace redwire::cluster {

std::optional<Redirect> parse_redirect(std::string_view text) {
  Redirect r;
  if (text.starts_with("MOVED ")) {
    r.kind = Redirect::Kind::moved;
    text.remove_prefix(6);
  } else if (text.starts_with("ASK ")) {
    r.kind = Redirect::Kind::ask;
    text.remove_prefix(4);
  } else {
    return std::nullopt;
  }
  const auto space = text.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  const std::string_view slot_text = text.substr(0, space);
  const auto [end, ec] =
      std::from_chars(slot_text.data(), slot_text.data() + slot_text.size(), r.slot);
  if (ec != std::errc{} || end != slot_text.data() + slot_text.size() || r.slot < 0 ||
      r.slot >= slot_count) {
    return std::nullopt;
  }
  std::string_view endpoint = text.substr(space + 1);
  while (!endpoint.empty() &&
         (endpoint.back() == ' ' || endpoint.back() == '\r' || endpoint.back() == '\n')) {
    endpoint.remove_suffix(1);
  }
  if (endpoint.find(' ') != std::string_view::npos) return std::nullopt;
  auto address = parse_node_address(endpoint);
  if (!address) return std::nullopt;
  if (address->host == "?") address->host.clear();  // unknown endpoint: the answering node's host
  r.target = std::move(*address);
  return r;
}

}  // namespace redwire::cluster
