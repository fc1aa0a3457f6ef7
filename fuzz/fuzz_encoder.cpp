// Round-trip fuzz target for the command encoder.
//
// The input is decoded into a list of arguments of mixed kinds (binary strings, signed and
// unsigned integers, doubles, vectors of strings), encoded with append_command(), parsed back
// with the RESP parser, and every argument must come back exactly: strings byte for byte,
// integers as their decimal, doubles as the same value (bit for bit, +inf/-inf/nan spelled the
// server's way). Input format, repeated until the bytes run out:
//   tag % 5 == 0: string    <len:1><bytes:len>
//   tag % 5 == 1: int64     <8 bytes>
//   tag % 5 == 2: uint64    <8 bytes>
//   tag % 5 == 3: double    <8 bytes>
//   tag % 5 == 4: vector    <count:1> then count strings as above (count % 8)
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "redwire/resp/encoder.hpp"
#include "redwire/resp/parser.hpp"

namespace {

struct FuzzArg {
  std::variant<std::string, std::int64_t, std::uint64_t, double, std::vector<std::string>> value;
};

}  // namespace

// Encodes a FuzzArg through the documented customization point, dispatching to the built-in
// traits of whatever it holds.
template <>
struct redwire::resp::ArgTraits<FuzzArg> {
  static std::size_t count(const FuzzArg& a) {
    return std::visit([](const auto& v) { return ArgTraits<std::decay_t<decltype(v)>>::count(v); },
                      a.value);
  }
  static void write(std::string& out, const FuzzArg& a) {
    std::visit([&](const auto& v) { ArgTraits<std::decay_t<decltype(v)>>::write(out, v); },
               a.value);
  }
};

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_encoder: %s\n", what);
  std::abort();
}

// What one encoded bulk string must decode to.
struct Expected {
  std::string exact;  // for strings and integers
  bool is_double = false;
  double number = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ >= in_.size(); }
  std::uint8_t byte() { return done() ? 0 : static_cast<std::uint8_t>(in_[pos_++]); }
  std::string bytes(std::size_t n) {
    n = n < in_.size() - pos_ ? n : in_.size() - pos_;
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  template <class T>
  T fixed() {
    char raw[sizeof(T)] = {};
    const std::string s = bytes(sizeof(T));
    std::memcpy(raw, s.data(), s.size());
    T v;
    std::memcpy(&v, raw, sizeof(T));
    return v;
  }
  std::string string() { return bytes(byte()); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

bool matches(const Expected& e, std::string_view got) {
  if (!e.is_double) return got == e.exact;
  if (std::isnan(e.number)) return got == "nan" || got == "-nan";
  if (std::isinf(e.number)) return got == (e.number > 0 ? "+inf" : "-inf");
  double back = 0;
  const auto [p, ec] = std::from_chars(got.data(), got.data() + got.size(), back);
  if (ec != std::errc{} || p != got.data() + got.size()) return false;
  return std::memcmp(&back, &e.number, sizeof back) == 0;  // bit for bit, -0 included
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<FuzzArg> args;
  std::vector<Expected> expected;
  while (!in.done()) {
    switch (in.byte() % 5) {
      case 0: {
        std::string s = in.string();
        expected.push_back({s});
        args.push_back({std::move(s)});
        break;
      }
      case 1: {
        const auto v = in.fixed<std::int64_t>();
        expected.push_back({std::to_string(v)});
        args.push_back({v});
        break;
      }
      case 2: {
        const auto v = in.fixed<std::uint64_t>();
        expected.push_back({std::to_string(v)});
        args.push_back({v});
        break;
      }
      case 3: {
        const auto v = in.fixed<double>();
        expected.push_back({"", true, v});
        args.push_back({v});
        break;
      }
      default: {
        std::vector<std::string> v(in.byte() % 8);
        for (auto& s : v) {
          s = in.string();
          expected.push_back({s});
        }
        args.push_back({std::move(v)});
        break;
      }
    }
  }

  std::string wire = "garbage before";  // append_command appends; it must not touch this prefix
  const std::size_t prefix = wire.size();
  redwire::resp::append_command(wire, args);
  if (wire.compare(0, prefix, "garbage before") != 0) fail("prefix modified");
  if (redwire::resp::count_args(args) != expected.size()) fail("count_args() is wrong");

  redwire::resp::Parser parser;
  std::error_code ec;
  std::size_t index = 0;
  std::size_t replies = 0;
  const std::string_view encoded = std::string_view(wire).substr(prefix);
  const std::size_t used = parser.feed(
      encoded,
      [&](const redwire::resp::Node& node, bool done) {
        replies += done ? 1 : 0;
        if (index == 0) {
          if (node.type != redwire::resp::Type::array || node.depth != 0) fail("not an array");
          if (node.size != expected.size()) fail("array size differs from the arguments");
        } else {
          if (node.type != redwire::resp::Type::bulk_string || node.depth != 1) fail("not a bulk");
          if (index > expected.size()) fail("more arguments than encoded");
          if (!matches(expected[index - 1], node.value)) fail("argument did not round-trip");
        }
        ++index;
      },
      ec);
  if (ec) fail("the encoder produced bytes the parser rejects");
  if (used != encoded.size()) fail("the parser left encoded bytes unconsumed");
  if (replies != 1 || index != expected.size() + 1) fail("wrong number of nodes or replies");
  return 0;
}
