// Encodes commands as RESP arrays of bulk strings, appending to a caller-owned buffer.
// Arguments may be any mix of string-likes, integers, doubles, pairs and ranges of these,
// and are binary-safe (NUL, CR, LF pass through). No allocation per argument.
//
//   std::string out;
//   resp::append_command(out, "SET", key, 42, std::vector<std::string>{"a", "b"});
//
// Types of your own: specialize redwire::resp::ArgTraits<T> with
//   static std::size_t count(const T&);                  // how many arguments it expands to
//   static void write(std::string& out, const T&);       // calls append_bulk() count times
#pragma once

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace redwire::resp {

namespace detail {
inline void append_decimal(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}
}  // namespace detail

/// Appends one bulk string: $<len>\r\n<bytes>\r\n
inline void append_bulk(std::string& out, std::string_view s) {
  out += '$';
  detail::append_decimal(out, s.size());
  out += "\r\n";
  out.append(s);
  out += "\r\n";
}

/// Appends an array header: *<n>\r\n
inline void append_array_header(std::string& out, std::size_t n) {
  out += '*';
  detail::append_decimal(out, n);
  out += "\r\n";
}

template <class T, class Enable = void>
struct ArgTraits;  // customization point; see the header comment

template <class T>
concept StringLikeArg = std::is_convertible_v<const T&, std::string_view> &&
    !std::is_same_v<std::remove_cvref_t<T>, std::nullptr_t>;

template <class T>
concept IntegerArg = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char> &&
                     !std::same_as<T, char8_t> && !std::same_as<T, wchar_t>;

template <class T>
concept EncodableArg = requires(const T& v, std::string& out) {
  { ArgTraits<std::remove_cvref_t<T>>::count(v) } -> std::convertible_to<std::size_t>;
  ArgTraits<std::remove_cvref_t<T>>::write(out, v);
};

template <StringLikeArg T>
struct ArgTraits<T> {
  static constexpr std::size_t count(const T&) noexcept { return 1; }
  static void write(std::string& out, const T& v) { append_bulk(out, std::string_view(v)); }
};

template <IntegerArg T>
struct ArgTraits<T> {
  static constexpr std::size_t count(const T&) noexcept { return 1; }
  static void write(std::string& out, T v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    append_bulk(out, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
};

template <std::floating_point T>
struct ArgTraits<T> {
  static constexpr std::size_t count(const T&) noexcept { return 1; }
  static void write(std::string& out, T v) {
    if (v == std::numeric_limits<T>::infinity()) return append_bulk(out, "+inf");
    if (v == -std::numeric_limits<T>::infinity()) return append_bulk(out, "-inf");
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    append_bulk(out, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
};

template <class A, class B>
struct ArgTraits<std::pair<A, B>> {
  static std::size_t count(const std::pair<A, B>& p) {
    return ArgTraits<std::remove_cvref_t<A>>::count(p.first) +
           ArgTraits<std::remove_cvref_t<B>>::count(p.second);
  }
  static void write(std::string& out, const std::pair<A, B>& p) {
    ArgTraits<std::remove_cvref_t<A>>::write(out, p.first);
    ArgTraits<std::remove_cvref_t<B>>::write(out, p.second);
  }
};

template <class... Ts>
struct ArgTraits<std::tuple<Ts...>> {
  static std::size_t count(const std::tuple<Ts...>& t) {
    return std::apply(
        [](const auto&... e) {
          return (std::size_t{0} + ... + ArgTraits<std::remove_cvref_t<decltype(e)>>::count(e));
        },
        t);
  }
  static void write(std::string& out, const std::tuple<Ts...>& t) {
    std::apply(
        [&](const auto&... e) {
          (ArgTraits<std::remove_cvref_t<decltype(e)>>::write(out, e), ...);
        },
        t);
  }
};

/// Any range whose elements are encodable (vector<string>, map<string,int>, span, ...).
template <class R>
requires(std::ranges::input_range<R> && !StringLikeArg<R> &&
         EncodableArg<std::ranges::range_value_t<R>>) struct ArgTraits<R> {
  using Elem = std::remove_cvref_t<std::ranges::range_value_t<R>>;
  static std::size_t count(const R& r) {
    std::size_t n = 0;
    for (const auto& e : r) n += ArgTraits<Elem>::count(e);
    return n;
  }
  static void write(std::string& out, const R& r) {
    for (const auto& e : r) ArgTraits<Elem>::write(out, e);
  }
};

/// Number of bulk strings `args` expand to.
template <EncodableArg... Args>
std::size_t count_args(const Args&... args) {
  return (std::size_t{0} + ... + ArgTraits<std::remove_cvref_t<Args>>::count(args));
}

/// Appends a complete command (one RESP array of bulk strings) to `out`.
template <EncodableArg... Args>
void append_command(std::string& out, const Args&... args) {
  append_array_header(out, count_args(args...));
  (ArgTraits<std::remove_cvref_t<Args>>::write(out, args), ...);
}

}  // namespace redwire::resp
