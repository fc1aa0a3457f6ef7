// Conversion of replies to C++ types.
//
//   std::error_code ec = redwire::from_reply(reply.view(), out, &detail);
//
// Supported: std::string, std::string_view (borrowing from the Reply), integers, floating point,
// bool, std::optional<T> (null -> nullopt), std::vector<T>, std::vector<std::pair<K, V>>,
// std::map / std::unordered_map (RESP3 maps, RESP3 arrays of pairs and RESP2 flat arrays),
// std::set, std::pair, std::tuple, Reply (a copy of the subtree), redwire::Ignore and
// redwire::Result<T>.
// A server error reply converts only to Reply, Ignore-free Result<T>; for any other T the
// conversion yields its server_errc and the server's text in `detail`.
//
// Types of your own: specialize redwire::FromReply<T> with
//   static std::error_code convert(ReplyView v, T& out, std::string& detail);
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "redwire/error.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire {

/// Discards a reply (still reports server errors).
struct Ignore {};
inline constexpr Ignore ignore{};

/// The text of a server error reply: "WRONGTYPE Operation against a key ..."
struct ServerError {
  server_errc code = server_errc::other;
  std::string text;
  /// First word ("WRONGTYPE", "ERR", "MOVED", ...).
  std::string_view prefix() const noexcept {
    return std::string_view(text).substr(0, text.find(' '));
  }
  /// Text after the prefix.
  std::string_view message() const noexcept {
    const auto p = text.find(' ');
    return p == std::string::npos ? std::string_view{} : std::string_view(text).substr(p + 1);
  }
};

/// A value or the server error that took its place (pipelines, transactions, command<Result<T>>).
template <class T>
class Result {
 public:
  Result() = default;
  Result(T v) : v_(std::move(v)) {}            // NOLINT: implicit by design
  Result(ServerError e) : v_(std::move(e)) {}  // NOLINT
  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const ServerError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ServerError> v_;
};

template <class T, class Enable = void>
struct FromReply;  // customization point

namespace detail {
std::error_code conversion_failure(ReplyView v, std::string_view expected, std::string& detail,
                                   conversion_errc code = conversion_errc::unexpected_type);
std::error_code server_failure(ReplyView v, std::string& detail);
bool is_stringish(resp::Type t) noexcept;
std::string_view string_payload(ReplyView v) noexcept;  // strips the verbatim "txt:" prefix
// For a decimal that from_chars found out of range: true if it is too large (not too small).
bool decimal_overflows(std::string_view s) noexcept;

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<Result<T>> : std::true_type {};

template <class T>
inline constexpr bool accepts_errors = std::is_same_v<T, Reply> || is_result<T>::value;

template <class T>
struct is_pair : std::false_type {};
template <class A, class B>
struct is_pair<std::pair<A, B>> : std::true_type {};
}  // namespace detail

/// Converts `v` into `out`. On failure returns the error and, if given, a description.
template <class T>
std::error_code from_reply(ReplyView v, T& out, std::string* detail = nullptr) {
  std::string scratch;
  std::string& d = detail ? *detail : scratch;
  if constexpr (!detail::accepts_errors<T>) {
    if (v.is_error()) return detail::server_failure(v, d);
  }
  return FromReply<T>::convert(v, out, d);
}

template <>
struct FromReply<Reply> {
  static std::error_code convert(ReplyView v, Reply& out, std::string&) {
    out = Reply::copy_of(v);
    return {};
  }
};

template <>
struct FromReply<Ignore> {
  static std::error_code convert(ReplyView, Ignore&, std::string&) { return {}; }
};

template <class T>
struct FromReply<Result<T>> {
  static std::error_code convert(ReplyView v, Result<T>& out, std::string& detail) {
    if (v.is_error()) {
      out = ServerError{classify_server_error(v.value()), std::string(v.value())};
      return {};
    }
    T value{};
    if (auto ec = from_reply(v, value, &detail)) return ec;
    out = std::move(value);
    return {};
  }
};

template <>
struct FromReply<std::string> {
  static std::error_code convert(ReplyView v, std::string& out, std::string& detail) {
    if (!detail::is_stringish(v.type())) return detail::conversion_failure(v, "string", detail);
    out.assign(detail::string_payload(v));
    return {};
  }
};

template <>
struct FromReply<std::string_view> {
  static std::error_code convert(ReplyView v, std::string_view& out, std::string& detail) {
    if (!detail::is_stringish(v.type())) return detail::conversion_failure(v, "string", detail);
    out = detail::string_payload(v);
    return {};
  }
};

template <>
struct FromReply<bool> {
  static std::error_code convert(ReplyView v, bool& out, std::string& detail);
};

template <class T>
requires(std::integral<T> && !std::same_as<T, bool>) struct FromReply<T> {
  static std::error_code convert(ReplyView v, T& out, std::string& detail) {
    using resp::Type;
    const auto t = v.type();
    if (t == Type::null)
      return detail::conversion_failure(v, "integer", detail, conversion_errc::unexpected_null);
    if (t != Type::integer && !detail::is_stringish(t) && t != Type::big_number) {
      return detail::conversion_failure(v, "integer", detail);
    }
    auto s = detail::string_payload(v);
    // RESP3 allows ":+7"; from_chars does not take a '+'.
    if (t == Type::integer && s.size() > 1 && s[0] == '+') s.remove_prefix(1);
    T value{};
    auto [p, err] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (err == std::errc::result_out_of_range && p == s.data() + s.size()) {
      return detail::conversion_failure(v, "integer in range", detail,
                                        conversion_errc::out_of_range);
    }
    if (err != std::errc{} || p != s.data() + s.size() || s.empty()) {
      return detail::conversion_failure(v, "integer", detail, conversion_errc::invalid_number);
    }
    out = value;
    return {};
  }
};

template <std::floating_point T>
struct FromReply<T> {
  static std::error_code convert(ReplyView v, T& out, std::string& detail) {
    using resp::Type;
    const auto t = v.type();
    if (t == Type::null)
      return detail::conversion_failure(v, "number", detail, conversion_errc::unexpected_null);
    if (t != Type::double_type && t != Type::integer && !detail::is_stringish(t)) {
      return detail::conversion_failure(v, "number", detail);
    }
    auto s = detail::string_payload(v);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    if (s == "inf") {
      out = std::numeric_limits<T>::infinity();
      return {};
    }
    if (s == "-inf") {
      out = -std::numeric_limits<T>::infinity();
      return {};
    }
    if (s == "nan" || s == "-nan") {
      out = std::numeric_limits<T>::quiet_NaN();
      return {};
    }
    T value{};
    auto [p, err] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (err == std::errc::result_out_of_range && p == s.data() + s.size()) {
      // 1e400 and the like overflow to +/-inf (the server's own notion); 1e-400 underflows to 0.
      const T magnitude = detail::decimal_overflows(s) ? std::numeric_limits<T>::infinity() : T{0};
      out = s[0] == '-' ? -magnitude : magnitude;
      return {};
    }
    if (err != std::errc{} || p != s.data() + s.size() || s.empty()) {
      return detail::conversion_failure(v, "number", detail, conversion_errc::invalid_number);
    }
    out = value;
    return {};
  }
};

template <class T>
struct FromReply<std::optional<T>> {
  static std::error_code convert(ReplyView v, std::optional<T>& out, std::string& detail) {
    if (v.is_null()) {
      out.reset();
      return {};
    }
    T value{};
    if (auto ec = from_reply(v, value, &detail)) return ec;
    out = std::move(value);
    return {};
  }
};

namespace detail {
// Walks the children of an aggregate as elements (arrays, sets, pushes) or as pairs (maps, arrays
// of 2-element arrays, RESP2 flat arrays of even length), calling f(child) or f(key, value).
template <class F>
std::error_code for_each_pair(ReplyView v, std::string& detail, F&& f) {
  using resp::Type;
  const auto t = v.type();
  if ((t == Type::array || t == Type::push) && v.child_count() > 0 && v.child(0).is_aggregate()) {
    // RESP3 arrays of pairs [[k0, v0], [k1, v1], ...], e.g. ZRANGE ... WITHSCORES.
    for (ReplyView pair : v) {
      if (!pair.is_aggregate() || pair.child_count() != 2) {
        return conversion_failure(
            pair, "array of 2 elements (a key/value pair)", detail,
            pair.is_aggregate() ? conversion_errc::wrong_size : conversion_errc::unexpected_type);
      }
      if (auto ec = f(pair[0], pair[1])) return ec;
    }
    return {};
  }
  if (t == Type::map || ((t == Type::array || t == Type::push) && v.child_count() % 2 == 0)) {
    auto it = v.begin();
    const auto end = v.end();
    while (it != end) {
      ReplyView key = *it++;
      ReplyView value = *it++;
      if (auto ec = f(key, value)) return ec;
    }
    return {};
  }
  if (t == Type::null)
    return conversion_failure(v, "map", detail, conversion_errc::unexpected_null);
  return conversion_failure(v, "map (or an array of key/value pairs)", detail);
}

template <class F>
std::error_code for_each_element(ReplyView v, std::string& detail, F&& f) {
  using resp::Type;
  const auto t = v.type();
  if (t == Type::null)
    return conversion_failure(v, "array", detail, conversion_errc::unexpected_null);
  if (t != Type::array && t != Type::set && t != Type::push) {
    return conversion_failure(v, "array", detail);
  }
  for (ReplyView child : v) {
    if (auto ec = f(child)) return ec;
  }
  return {};
}
}  // namespace detail

template <class T, class A>
struct FromReply<std::vector<T, A>> {
  static std::error_code convert(ReplyView v, std::vector<T, A>& out, std::string& detail) {
    out.clear();
    if constexpr (detail::is_pair<T>::value) {
      // RESP3 maps, and RESP2 flat arrays [k0, v0, k1, v1, ...] (e.g. WITHSCORES, HGETALL).
      const bool flat = v.type() == resp::Type::array && v.child_count() > 0 &&
                        !v.child(0).is_aggregate() && v.child_count() % 2 == 0;
      if (v.type() == resp::Type::map || flat) {
        out.reserve(static_cast<std::size_t>(v.size()));
        return detail::for_each_pair(v, detail, [&](ReplyView k, ReplyView val) {
          T item{};
          if (auto ec = from_reply(k, item.first, &detail)) return ec;
          if (auto ec = from_reply(val, item.second, &detail)) return ec;
          out.push_back(std::move(item));
          return std::error_code{};
        });
      }
    }
    out.reserve(v.child_count());
    return detail::for_each_element(v, detail, [&](ReplyView child) {
      T item{};
      if (auto ec = from_reply(child, item, &detail)) return ec;
      out.push_back(std::move(item));
      return std::error_code{};
    });
  }
};

template <class Map>
struct MapFromReply {
  static std::error_code convert(ReplyView v, Map& out, std::string& detail) {
    out.clear();
    return detail::for_each_pair(v, detail, [&](ReplyView k, ReplyView val) {
      typename Map::key_type key{};
      typename Map::mapped_type value{};
      if (auto ec = from_reply(k, key, &detail)) return ec;
      if (auto ec = from_reply(val, value, &detail)) return ec;
      out.insert_or_assign(std::move(key), std::move(value));
      return std::error_code{};
    });
  }
};
template <class K, class V, class C, class A>
struct FromReply<std::map<K, V, C, A>> : MapFromReply<std::map<K, V, C, A>> {};
template <class K, class V, class H, class E, class A>
struct FromReply<std::unordered_map<K, V, H, E, A>>
    : MapFromReply<std::unordered_map<K, V, H, E, A>> {};

template <class Set>
struct SetFromReply {
  static std::error_code convert(ReplyView v, Set& out, std::string& detail) {
    out.clear();
    return detail::for_each_element(v, detail, [&](ReplyView child) {
      typename Set::value_type item{};
      if (auto ec = from_reply(child, item, &detail)) return ec;
      out.insert(std::move(item));
      return std::error_code{};
    });
  }
};
template <class T, class C, class A>
struct FromReply<std::set<T, C, A>> : SetFromReply<std::set<T, C, A>> {};
template <class T, class H, class E, class A>
struct FromReply<std::unordered_set<T, H, E, A>> : SetFromReply<std::unordered_set<T, H, E, A>> {};

template <class... Ts>
struct FromReply<std::tuple<Ts...>> {
  static std::error_code convert(ReplyView v, std::tuple<Ts...>& out, std::string& detail) {
    using resp::Type;
    if (v.type() == Type::null) {
      return detail::conversion_failure(v, "array", detail, conversion_errc::unexpected_null);
    }
    if (!v.is_aggregate() || v.type() == Type::attribute) {
      return detail::conversion_failure(v, "array", detail);
    }
    if (v.child_count() != sizeof...(Ts)) {
      return detail::conversion_failure(v,
                                        "array of " + std::to_string(sizeof...(Ts)) + " elements",
                                        detail, conversion_errc::wrong_size);
    }
    std::error_code ec;
    auto it = v.begin();
    std::apply([&](auto&... e) { ((ec ? void() : void(ec = from_reply(*it++, e, &detail))), ...); },
               out);
    return ec;
  }
};

template <class A, class B>
struct FromReply<std::pair<A, B>> {
  static std::error_code convert(ReplyView v, std::pair<A, B>& out, std::string& detail) {
    std::tuple<A, B> t;
    if (auto ec = FromReply<std::tuple<A, B>>::convert(v, t, detail)) return ec;
    out.first = std::move(std::get<0>(t));
    out.second = std::move(std::get<1>(t));
    return {};
  }
};

}  // namespace redwire
