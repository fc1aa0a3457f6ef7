// How the patterns (cache-aside) turn a C++ value into the bytes stored in Redis and back: the
// customization point redwire::patterns::Codec<T>.
//
//   - std::string is stored as-is (no quotes, binary-safe; an empty string is a value like any
//     other);
//   - integers and floating point as their shortest decimal text (INCR-compatible);
//   - anything nlohmann-json can convert (structs with to_json/from_json or
//     NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE, vectors, maps, nlohmann::json itself) as compact JSON.
//
// A type of your own (protobuf, msgpack, compressed JSON, ...) specializes Codec:
//
//   template <> struct redwire::patterns::Codec<Profile> {
//     static std::string encode(const Profile& p) { return p.SerializeAsString(); }
//     static Profile decode(std::string_view bytes) { Profile p; p.ParseFromArray(...); return p; }
//   };
//
// decode() throws (any exception) when the bytes are not a valid T; the cache then treats the
// entry as a miss and loads again (an entry written by an older version of the type, say).
#pragma once

#include <charconv>
#include <concepts>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#if __has_include(<nlohmann/json.hpp>)
#include <nlohmann/json.hpp>
#define REDWIRE_PATTERNS_HAVE_JSON 1
#else
#define REDWIRE_PATTERNS_HAVE_JSON 0
#endif

namespace redwire::patterns {

/// Primary template: JSON through nlohmann-json. Specialize it for your own formats.
template <class T, class Enable = void>
struct Codec {
#if REDWIRE_PATTERNS_HAVE_JSON
  static std::string encode(const T& value) {
    return nlohmann::json(value).dump();
  }
  static T decode(std::string_view bytes) {
    return nlohmann::json::parse(bytes.begin(), bytes.end()).template get<T>();
  }
#else
  static_assert(sizeof(T) == 0,
                "no Codec for this type: install nlohmann-json (JSON is the default for "
                "structured types) or specialize redwire::patterns::Codec<T>");
#endif
};

/// Strings: stored as-is.
template <>
struct Codec<std::string> {
  static std::string encode(const std::string& value) { return value; }
  static std::string decode(std::string_view bytes) { return std::string(bytes); }
};

/// Numbers: decimal text, so that INCR/INCRBYFLOAT and other clients read them naturally.
template <class T>
struct Codec<T, std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, bool>>> {
  static std::string encode(T value) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, r.ptr);
  }
  static T decode(std::string_view bytes) {
    T value{};
    const auto r = std::from_chars(bytes.data(), bytes.data() + bytes.size(), value);
    if (r.ec != std::errc{} || r.ptr != bytes.data() + bytes.size()) {
      throw std::invalid_argument("cached bytes are not a number: " + std::string(bytes));
    }
    return value;
  }
};

/// Booleans: "1" / "0".
template <>
struct Codec<bool> {
  static std::string encode(bool value) { return value ? "1" : "0"; }
  static bool decode(std::string_view bytes) {
    if (bytes == "1") return true;
    if (bytes == "0") return false;
    throw std::invalid_argument("cached bytes are not a boolean");
  }
};

/// True when Codec<T> can encode and decode T.
template <class T>
concept Encodable = requires(const T& v, std::string_view s) {
  { Codec<T>::encode(v) } -> std::convertible_to<std::string>;
  { Codec<T>::decode(s) } -> std::convertible_to<T>;
};

}  // namespace redwire::patterns
