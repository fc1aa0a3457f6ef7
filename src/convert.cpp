#include "redwire/convert.hpp"

#include <cstdint>
#include <cstdio>

namespace redwire::detail {

bool is_stringish(resp::Type t) noexcept {
  using resp::Type;
  return t == Type::bulk_string || t == Type::simple_string || t == Type::verbatim_string ||
         t == Type::integer || t == Type::double_type || t == Type::big_number;
}

std::string_view string_payload(ReplyView v) noexcept {
  auto s = v.value();
  if (v.type() == resp::Type::verbatim_string && s.size() >= 4) s.remove_prefix(4);
  return s;
}

bool decimal_overflows(std::string_view s) noexcept {
  // Decimal exponent of the first significant digit plus the written exponent: positive means
  // the value is huge (1e400, 99...9), negative means it is tiny (1e-400, 0.00...01).
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::int64_t magnitude = 0;
  bool significant = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    significant = significant || s[i] != '0';
    if (significant && magnitude < 100000) ++magnitude;
  }
  if (significant) {
    --magnitude;  // "5" is 5e0
  } else if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] == '0'; ++i) {
      if (magnitude > -100000) --magnitude;
    }
    --magnitude;  // ".05" is 5e-2
  }
  while (i < s.size() && s[i] != 'e' && s[i] != 'E') ++i;
  std::int64_t exponent = 0;
  if (i < s.size()) {
    ++i;
    const bool negative = i < s.size() && s[i] == '-';
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (exponent < 1000000) exponent = exponent * 10 + (s[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  return magnitude + exponent > 0;
}

std::error_code conversion_failure(ReplyView v, std::string_view expected, std::string& detail,
                                   conversion_errc code) {
  // Whatever was asked for, a null is reported as such (callers wanting null use optional<T>).
  if (v.type() == resp::Type::null && code == conversion_errc::unexpected_type) {
    code = conversion_errc::unexpected_null;
  }
  detail = "expected ";
  detail += expected;
  detail += ", got ";
  detail += resp::type_name(v.type());
  if (!v.is_aggregate() && v.type() != resp::Type::null) {
    detail += " '";
    const auto s = v.value();
    for (char c : s.substr(0, 64)) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        detail += buf;
      } else {
        detail += c;
      }
    }
    if (s.size() > 64) detail += "...";
    detail += '\'';
  } else if (v.is_aggregate()) {
    detail += " of " + std::to_string(v.size()) + " elements";
  }
  return make_error_code(code);
}

std::error_code server_failure(ReplyView v, std::string& detail) {
  detail.assign(v.value());
  return make_error_code(classify_server_error(v.value()));
}

}  // namespace redwire::detail

namespace redwire {

std::error_code FromReply<bool>::convert(ReplyView v, bool& out, std::string& detail) {
  using resp::Type;
  switch (v.type()) {
    case Type::boolean:
      out = v.value() == "t";
      return {};
    case Type::integer:
      out = v.value() != "0";
      return {};
    case Type::simple_string:
      if (v.value() == "OK") {
        out = true;
        return {};
      }
      break;
    case Type::null:
      return detail::conversion_failure(v, "boolean", detail, conversion_errc::unexpected_null);
    default:
      break;
  }
  return detail::conversion_failure(v, "boolean", detail);
}

}  // namespace redwire
