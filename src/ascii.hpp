// ASCII helpers for the library's sources (command names, option words): locale-independent,
// unlike std::toupper.
#pragma once

#include <cstddef>
#include <string_view>

namespace redwire::ascii {

constexpr char to_upper(char c) noexcept {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// Equal ignoring ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  }
  return true;
}

}  // namespace redwire::ascii
