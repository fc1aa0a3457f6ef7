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
// and optionally
//   static std::size_t size(const T&);                   // bytes write() appends, or more
// which lets append_command() reserve the whole command at once (without it, a guess is used).
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
// Appends <marker><n>\r\n in one append.
inline void append_header(std::string& out, char marker, std::uint64_t n) {
  char buf[24];
  buf[0] = marker;
  auto r = std::to_chars(buf + 1, buf + sizeof buf - 2, n);
  r.ptr[0] = '\r';
  r.ptr[1] = '\n';
  out.append(buf, static_cast<std::size_t>(r.ptr + 2 - buf));
}

constexpr std::size_t decimal_digits(std::uint64_t v) noexcept {
  std::size_t n = 1;
  for (; v >= 10; v /= 10) ++n;
  return n;
}
}  // namespace detail

/// Bytes of a bulk string of `n` bytes: $<n>\r\n<bytes>\r\n
constexpr std::size_t bulk_size(std::size_t n) noexcept {
  return n + detail::decimal_digits(n) + 5;
}

/// Appends one bulk string: $<len>\r\n<bytes>\r\n
inline void append_bulk(std::string& out, std::string_view s) {
  detail::append_header(out, '$', s.size());
  out.append(s);
  out.append("\r\n", 2);
}

/// Appends an array header: *<n>\r\n
inline void append_array_header(std::string& out, std::size_t n) {
  detail::append_header(out, '*', n);
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
  static std::size_t size(const T& v) noexcept { return bulk_size(std::string_view(v).size()); }
  static void write(std::string& out, const T& v) { append_bulk(out, std::string_view(v)); }
};

template <IntegerArg T>
struct ArgTraits<T> {
  static constexpr std::size_t count(const T&) noexcept { return 1; }
  static constexpr std::size_t size(const T&) noexcept { return bulk_size(20); }  // at most
  static void write(std::string& out, T v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    append_bulk(out, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
};

template <std::floating_point T>
struct ArgTraits<T> {
  static constexpr std::size_t count(const T&) noexcept { return 1; }
  static constexpr std::size_t size(const T&) noexcept { return bulk_size(32); }  // at most
  static void write(std::string& out, T v) {
    if (v == std::numeric_limits<T>::infinity()) return append_bulk(out, "+inf");
    if (v == -std::numeric_limits<T>::infinity()) return append_bulk(out, "-inf");
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    append_bulk(out, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
};

/// Bytes `v` encodes to: ArgTraits<T>::size when the traits have one, else a guess (the result
/// is only used to reserve the output buffer).
template <class T>
std::size_t arg_size(const T& v) {
  using Traits = ArgTraits<std::remove_cvref_t<T>>;
  if constexpr (requires { Traits::size(v); }) {
    return static_cast<std::size_t>(Traits::size(v));
  } else {
    return static_cast<std::size_t>(Traits::count(v)) * 16;
  }
}

template <class A, class B>
struct ArgTraits<std::pair<A, B>> {
  static std::size_t count(const std::pair<A, B>& p) {
    return ArgTraits<std::remove_cvref_t<A>>::count(p.first) +
           ArgTraits<std::remove_cvref_t<B>>::count(p.second);
  }
  static std::size_t size(const std::pair<A, B>& p) {
    return arg_size(p.first) + arg_size(p.second);
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
  static std::size_t size(const std::tuple<Ts...>& t) {
    return std::apply([](const auto&... e) { return (std::size_t{0} + ... + arg_size(e)); }, t);
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
  static std::size_t size(const R& r) {
    std::size_t n = 0;
    for (const auto& e : r) n += arg_size(e);
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

/// Appends a complete command (one RESP array of bulk strings) to `out`, growing it at most once.
template <EncodableArg... Args>
void append_command(std::string& out, const Args&... args) {
  const std::size_t n = count_args(args...);
  out.reserve(out.size() + 3 + detail::decimal_digits(n) + (std::size_t{0} + ... + arg_size(args)));
  append_array_header(out, n);
  (ArgTraits<std::remove_cvref_t<Args>>::write(out, args), ...);
}

}  // namespace redwire::resp
