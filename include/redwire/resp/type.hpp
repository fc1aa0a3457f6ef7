// RESP2/RESP3 data types and the node the parser hands out.
#pragma once

#include <cstdint>
#include <string_view>

namespace redwire::resp {

enum class Type : std::uint8_t {
  simple_string,    // +
  simple_error,     // -
  integer,          // :
  bulk_string,      // $
  blob_error,       // !
  null,             // _  and RESP2's $-1 / *-1
  double_type,      // ,
  boolean,          // #
  big_number,       // (
  verbatim_string,  // =
  array,            // *
  map,              // %
  set,              // ~
  attribute,        // |
  push,             // >
};

constexpr bool is_aggregate(Type t) noexcept {
  return t == Type::array || t == Type::map || t == Type::set || t == Type::attribute ||
         t == Type::push;
}

/// Maps and attributes count pairs; each pair is two child nodes.
constexpr bool is_map_like(Type t) noexcept {
  return t == Type::map || t == Type::attribute;
}

constexpr bool is_error(Type t) noexcept {
  return t == Type::simple_error || t == Type::blob_error;
}

/// Human-readable type name used in error messages ("bulk string", "map", ...).
std::string_view type_name(Type t) noexcept;

/// One node of a reply in pre-order. `value` points into the parser's input and is only valid
/// during the callback that receives it. For aggregates `size` is the number of elements
/// (pairs for map and attribute); for scalars it is 0.
struct Node {
  Type type{};
  std::uint32_t depth = 0;
  std::uint64_t size = 0;
  std::string_view value;

  /// Child nodes that directly follow (2 * size for maps and attributes).
  constexpr std::uint64_t child_count() const noexcept {
    return is_map_like(type) ? 2 * size : (is_aggregate(type) ? size : 0);
  }
};

}  // namespace redwire::resp
