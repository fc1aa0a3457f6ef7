#include "redwire/resp/parser.hpp"

#include <cstdio>
#include <cstring>

namespace redwire::resp {
namespace {

// Strict decimal: optional sign, no leading zeros (except "0"), no overflow.
bool parse_int64(std::string_view s, std::int64_t& out) noexcept {
  if (s.empty()) return false;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0' && s.size() > i + 1) return false;
  std::uint64_t v = 0;
  const std::uint64_t limit = neg ? 9223372036854775808ull : 9223372036854775807ull;
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

// Length of a bulk or an aggregate. The spec's <length> has no sign; "-1" is RESP2's null and
// other negatives are rejected by the caller with a clearer message. "+3" and "-0" are malformed.
bool parse_length(std::string_view s, std::int64_t& out) noexcept {
  if (s.empty() || s[0] == '+' || s == "-0") return false;
  return parse_int64(s, out);
}

bool is_digits(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// RESP3 double: inf, -inf, nan, or [+-]digits[.digits][(e|E)[+-]digits].
bool valid_double(std::string_view s) noexcept {
  if (s == "inf" || s == "-inf" || s == "+inf" || s == "nan" || s == "-nan") return true;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  bool digits = i > int_start;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    digits = digits || i > frac_start;
  }
  if (!digits) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t exp_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == exp_start) return false;
  }
  return i == s.size();
}

bool is_type_byte(char c) noexcept {
  constexpr std::string_view kTypeBytes = "+-:$!=*%~|>_,#(";
  return kTypeBytes.find(c) != std::string_view::npos;
}

// Reads "<digits>\r\n" after the type byte (with an optional '-' if `sign` is set): at most 18
// digits, so no overflow; no leading zero; within the line limit. Returns the header size (type
// byte to LF), or 0 when the header has any other shape - the general path then deals with it.
std::size_t plain_header(std::string_view in, std::uint64_t max_line, bool sign,
                         std::int64_t& value) noexcept {
  const char* const end = in.data() + in.size();
  const char* const line = in.data() + 1;
  const bool negative = sign && line < end && *line == '-';
  const char* const digits = negative ? line + 1 : line;
  const char* p = digits;
  std::int64_t v = 0;
  while (p < end && p - digits < 18) {
    const unsigned d = static_cast<unsigned char>(*p) - static_cast<unsigned>('0');
    if (d > 9) break;
    v = v * 10 + static_cast<std::int64_t>(d);
    ++p;
  }
  const auto length = static_cast<std::size_t>(p - line);
  if (p == digits || length > max_line || (p - digits > 1 && *digits == '0')) return 0;
  if (end - p < 2 || p[0] != '\r' || p[1] != '\n') return 0;
  value = negative ? -v : v;
  return length + 3;
}

constexpr std::size_t kNotHandled = static_cast<std::size_t>(-1);

// The shapes nearly every reply is made of, when valid and within the limits: simple strings and
// errors, plain-digit integers, bulk strings, aggregate headers. Returns the bytes used, 0 when a
// bulk payload is still incomplete, or kNotHandled for anything else (other types, errors, odd
// headers), which the general path handles and reports exactly as it would have anyway.
std::size_t parse_common(std::string_view in, const Limits& limits, std::size_t depth,
                         Node& node) noexcept {
  std::int64_t n = 0;
  std::size_t header = 0;
  switch (in[0]) {
    case '$':
      if ((header = plain_header(in, limits.max_line, false, n)) == 0) return kNotHandled;
      if (static_cast<std::uint64_t>(n) > limits.max_bulk) return kNotHandled;
      if (in.size() - header < static_cast<std::size_t>(n) + 2) return 0;
      if (in[header + static_cast<std::size_t>(n)] != '\r' ||
          in[header + static_cast<std::size_t>(n) + 1] != '\n') {
        return kNotHandled;
      }
      node = Node{Type::bulk_string, 0, 0, in.substr(header, static_cast<std::size_t>(n))};
      return header + static_cast<std::size_t>(n) + 2;
    case ':':
      if ((header = plain_header(in, limits.max_line, true, n)) == 0) return kNotHandled;
      node = Node{Type::integer, 0, 0, in.substr(1, header - 3)};
      return header;
    case '*':
    case '%':
    case '~':
    case '>':
      if ((header = plain_header(in, limits.max_line, false, n)) == 0) return kNotHandled;
      if (static_cast<std::uint64_t>(n) > limits.max_aggregate || depth >= limits.max_depth) {
        return kNotHandled;
      }
      node = Node{in[0] == '*'   ? Type::array
                  : in[0] == '%' ? Type::map
                  : in[0] == '~' ? Type::set
                                 : Type::push,
                  0,
                  static_cast<std::uint64_t>(n),
                  {}};
      return header;
    case '+':
    case '-': {
      const void* nl = std::memchr(in.data() + 1, '\n', in.size() - 1);
      if (nl == nullptr) return kNotHandled;
      const auto nl_pos = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data());
      if (nl_pos < 2 || in[nl_pos - 1] != '\r' || nl_pos - 2 > limits.max_line) return kNotHandled;
      node = Node{in[0] == '+' ? Type::simple_string : Type::simple_error, 0, 0,
                  in.substr(1, nl_pos - 2)};
      return nl_pos + 1;
    }
    default:
      return kNotHandled;
  }
}

std::string describe_byte(char c) {
  char buf[16];
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) {
    std::snprintf(buf, sizeof buf, "'%c'", c);
  } else {
    std::snprintf(buf, sizeof buf, "0x%02x", u);
  }
  return buf;
}

}  // namespace

std::string_view type_name(Type t) noexcept {
  switch (t) {
    case Type::simple_string:
      return "simple string";
    case Type::simple_error:
      return "simple error";
    case Type::integer:
      return "integer";
    case Type::bulk_string:
      return "bulk string";
    case Type::blob_error:
      return "blob error";
    case Type::null:
      return "null";
    case Type::double_type:
      return "double";
    case Type::boolean:
      return "boolean";
    case Type::big_number:
      return "big number";
    case Type::verbatim_string:
      return "verbatim string";
    case Type::array:
      return "array";
    case Type::map:
      return "map";
    case Type::set:
      return "set";
    case Type::attribute:
      return "attribute";
    case Type::push:
      return "push";
  }
  return "unknown";
}

void Parser::reset() noexcept {
  stack_.clear();
  offset_ = 0;
  error_detail_.clear();
}

std::size_t Parser::fail(std::error_code& ec, protocol_errc e, std::uint64_t at,
                         std::string_view what) {
  ec = make_error_code(e);
  error_detail_ = "protocol error at byte ";
  error_detail_ += std::to_string(offset_ + at);
  error_detail_ += ": ";
  error_detail_ += what;
  return 0;
}

std::size_t Parser::parse_one(std::string_view in, Node& node, std::error_code& ec) {
  if (const std::size_t used = parse_common(in, limits_, stack_.size(), node);
      used != kNotHandled) {
    return used;
  }
  // Reject a bad type byte at once: a peer that is not a Redis server (an HTTP response, a TLS
  // alert) must not make us wait for a CRLF that may never come.
  const char t = in[0];
  if (!is_type_byte(t)) {
    return fail(ec, protocol_errc::invalid_type_byte, 0,
                "expected a RESP type byte, got " + describe_byte(t));
  }
  // Every node starts with a type byte and a line terminated by CRLF. The line limit is checked
  // the same way whether or not the LF has arrived, so that any split of the input gives the
  // same outcome.
  const char* nl = static_cast<const char*>(std::memchr(in.data() + 1, '\n', in.size() - 1));
  if (nl == nullptr) {
    // The line holds at least in.size() - 2 bytes (the last byte may be its CR).
    if (in.size() > 2 && in.size() - 2 > limits_.max_line) {
      return fail(ec, protocol_errc::line_too_long, 0, "line longer than the limit");
    }
    return 0;
  }
  const std::size_t nl_pos = static_cast<std::size_t>(nl - in.data());
  // Same test as above on the bytes before the LF, then the CR.
  if (nl_pos > 2 && nl_pos - 2 > limits_.max_line) {
    return fail(ec, protocol_errc::line_too_long, 0, "line longer than the limit");
  }
  if (nl_pos < 2 || in[nl_pos - 1] != '\r') {
    return fail(ec, protocol_errc::missing_crlf, nl_pos, "expected CR before LF");
  }
  const std::string_view line = in.substr(1, nl_pos - 2);
  const std::size_t header = nl_pos + 1;

  auto length = [&](std::int64_t& n) -> bool {
    if (!parse_length(line, n)) {
      fail(ec, protocol_errc::invalid_length, 1,
           "expected a decimal length after " + describe_byte(t));
      return false;
    }
    return true;
  };
  // Bulk-like payload: $len\r\n<bytes>\r\n
  auto bulk = [&](Type type) -> std::size_t {
    std::int64_t n = 0;
    if (!length(n)) return 0;
    if (n == -1 && t == '$') {
      node = Node{Type::null, 0, 0, {}};
      return header;
    }
    if (n < 0) {
      return fail(ec, protocol_errc::invalid_length, 1, "negative length " + std::to_string(n));
    }
    const auto len = static_cast<std::uint64_t>(n);
    if (len > limits_.max_bulk) {
      return fail(ec, protocol_errc::bulk_too_large, 1,
                  "bulk length " + std::to_string(len) + " over the limit of " +
                      std::to_string(limits_.max_bulk));
    }
    if (in.size() - header < len + 2) return 0;  // wait for the bytes; nothing pre-allocated
    const std::size_t end = header + static_cast<std::size_t>(len);
    if (in[end] != '\r' || in[end + 1] != '\n') {
      return fail(ec, protocol_errc::missing_crlf, end,
                  "expected CRLF after a payload of " + std::to_string(len) + " bytes");
    }
    node = Node{type, 0, 0, in.substr(header, static_cast<std::size_t>(len))};
    if (type == Type::verbatim_string && (len < 4 || node.value[3] != ':')) {
      return fail(ec, protocol_errc::invalid_verbatim, header,
                  "expected a 3-byte format and ':' in a verbatim string");
    }
    return end + 2;
  };
  auto aggregate = [&](Type type) -> std::size_t {
    std::int64_t n = 0;
    if (!length(n)) return 0;
    if (n == -1 && t == '*') {
      node = Node{Type::null, 0, 0, {}};
      return header;
    }
    if (n < 0) {
      return fail(ec, protocol_errc::invalid_length, 1,
                  "negative element count " + std::to_string(n));
    }
    const auto count = static_cast<std::uint64_t>(n);
    if (count > limits_.max_aggregate) {
      return fail(ec, protocol_errc::aggregate_too_large, 1,
                  "element count " + std::to_string(count) + " over the limit of " +
                      std::to_string(limits_.max_aggregate));
    }
    // Counts empty aggregates too: "depth" is how many aggregates enclose a node, whatever
    // their size, so the same limit holds for every consumer that walks the tree.
    if (stack_.size() >= limits_.max_depth) {
      return fail(ec, protocol_errc::depth_exceeded, 0,
                  "nesting deeper than " + std::to_string(limits_.max_depth));
    }
    node = Node{type, 0, count, {}};
    return header;
  };
  auto simple = [&](Type type) -> std::size_t {
    node = Node{type, 0, 0, line};
    return header;
  };

  switch (t) {
    case '+':
      return simple(Type::simple_string);
    case '-':
      return simple(Type::simple_error);
    case ':': {
      std::int64_t v = 0;
      if (!parse_int64(line, v)) {
        return fail(ec, protocol_errc::invalid_integer, 1, "expected a 64-bit decimal integer");
      }
      return simple(Type::integer);
    }
    case '$':
      return bulk(Type::bulk_string);
    case '!':
      return bulk(Type::blob_error);
    case '=':
      return bulk(Type::verbatim_string);
    case '*':
      return aggregate(Type::array);
    case '%':
      return aggregate(Type::map);
    case '~':
      return aggregate(Type::set);
    case '|':
      return aggregate(Type::attribute);
    case '>':
      return aggregate(Type::push);
    case '_':
      if (!line.empty()) return fail(ec, protocol_errc::invalid_null, 1, "expected CRLF after '_'");
      return simple(Type::null);
    case ',':
      if (!valid_double(line)) {
        return fail(ec, protocol_errc::invalid_double, 1, "expected a double (digits, inf, nan)");
      }
      return simple(Type::double_type);
    case '#':
      if (line != "t" && line != "f") {
        return fail(ec, protocol_errc::invalid_boolean, 1, "expected 't' or 'f' after '#'");
      }
      return simple(Type::boolean);
    case '(': {
      const std::string_view digits = (!line.empty() && line[0] == '-') ? line.substr(1) : line;
      if (!is_digits(digits)) {
        return fail(ec, protocol_errc::invalid_integer, 1, "expected a big number");
      }
      return simple(Type::big_number);
    }
    default:
      return 0;  // unreachable: is_type_byte() checked it
  }
}

bool Parser::advance(Node& node) {
  node.depth = static_cast<std::uint32_t>(stack_.size());
  if (is_aggregate(node.type) && node.size > 0) {
    stack_.push_back(Frame{node.child_count(), node.type == Type::attribute});
    return false;
  }
  // A leaf (or an empty aggregate) completed; close every aggregate it completes in turn.
  bool attribute = node.type == Type::attribute;
  for (;;) {
    if (attribute) return false;  // attributes do not count as elements or as messages
    if (stack_.empty()) return true;
    Frame& f = stack_.back();
    if (--f.remaining > 0) return false;
    attribute = f.attribute;
    stack_.pop_back();
  }
}

}  // namespace redwire::resp
