// Argument helpers for typed commands: lists of keys or values, and option structs.
#pragma once

#include <chrono>
#include <initializer_list>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "redwire/resp/encoder.hpp"

namespace redwire {

/// One or more strings (keys, members, values), borrowed for the duration of a call:
///   del("k"), del({"a", "b"}), del(std::vector<std::string>{...})
class StringList {
 public:
  StringList(std::string_view one) : items_{one} {}               // NOLINT: implicit by design
  StringList(const char* one) : items_{std::string_view(one)} {}  // NOLINT
  StringList(const std::string& one) : items_{one} {}             // NOLINT
  StringList(std::initializer_list<std::string_view> many) : items_(many) {}
  template <std::ranges::input_range R>
  requires(std::is_convertible_v<std::ranges::range_reference_t<const R>, std::string_view> &&
           !std::is_convertible_v<const R&, std::string_view>)
      StringList(const R& many) {  // NOLINT
    for (const auto& s : many) items_.emplace_back(s);
  }
  auto begin() const noexcept { return items_.begin(); }
  auto end() const noexcept { return items_.end(); }
  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<std::string_view> items_;
};

/// Field/value (or member/score) pairs, borrowed for the duration of a call.
using FieldValues = std::vector<std::pair<std::string_view, std::string_view>>;

/// Marks option structs so that they are never taken for a completion token.
template <class T>
concept OptionArg = requires {
  typename std::remove_cvref_t<T>::redwire_option;
};
/// What may follow a command's arguments: nothing (blocking facade) or one completion token.
/// (A string is never a token: info("server") is INFO with a section, not INFO with a token.)
/// (Nor is an enum, a duration, a time point or a range: those are arguments of some overload.)
namespace detail {
template <class T>
struct is_chrono : std::false_type {};
template <class R, class P>
struct is_chrono<std::chrono::duration<R, P>> : std::true_type {};
template <class C, class D>
struct is_chrono<std::chrono::time_point<C, D>> : std::true_type {};
template <class T>
concept PlainArgument = OptionArg<T> || std::is_convertible_v<T, std::string_view> ||
    std::is_arithmetic_v<std::remove_cvref_t<T>> || std::is_enum_v<std::remove_cvref_t<T>> ||
    is_chrono<std::remove_cvref_t<T>>::value || std::ranges::range<std::remove_cvref_t<T>>;
}  // namespace detail
template <class... T>
concept TokenPack = (sizeof...(T) <= 1) && (!detail::PlainArgument<T> && ...);

/// Option structs that list their own arguments implement
///   template <class F> void visit_args(F&& f) const;   // f(arg) for each encodable argument
/// and are encoded by the ArgTraits specialization below.
template <class T>
concept VisitedOption = OptionArg<T> && requires(const T& t) {
  t.visit_args([](const auto&) {});
};

/// A range bound of ZCOUNT, ZRANGE BYSCORE/BYLEX, ZREMRANGEBY*, ...: a number (inclusive), or
/// the server's own syntax as text: "(1.5" (exclusive), "-inf", "+inf"; for lexicographic
/// ranges "[a", "(a", "-", "+".
class Bound {
 public:
  Bound(std::string_view text) : text_(text) {}    // NOLINT: implicit by design
  Bound(const char* text) : text_(text) {}         // NOLINT
  Bound(const std::string& text) : text_(text) {}  // NOLINT
  template <class N>
  requires(std::is_arithmetic_v<N> && !std::is_same_v<N, bool>) Bound(N n) {  // NOLINT
    std::string out;
    resp::ArgTraits<N>::write(out, n);  // "$<len>\r\n<digits>\r\n"
    const auto start = out.find('\n') + 1;
    text_ = out.substr(start, out.size() - start - 2);
  }
  const std::string& text() const noexcept { return text_; }
  static Bound exclusive(double n) { return Bound("(" + Bound(n).text()); }
  static Bound inf() { return Bound("+inf"); }
  static Bound minus_inf() { return Bound("-inf"); }

 private:
  std::string text_;
};

/// FLUSHDB / FLUSHALL / SCRIPT FLUSH / FUNCTION FLUSH: how the server frees memory.
enum class FlushMode { sync, async };

/// SET options: redwire::ex(60s), px(...), exat(...), pxat(...), keepttl(), nx(), xx(),
/// combined with |:   redis.set("k", "v", redwire::ex(60s) | redwire::nx(), token);
struct SetOptions {
  using redwire_option = void;
  enum class Expiry { none, ex, px, exat, pxat, keepttl };
  enum class Condition { none, nx, xx };
  Expiry expiry = Expiry::none;
  long long expiry_value = 0;
  Condition condition = Condition::none;
  bool conflict = false;  // two expiries or NX with XX: rejected before sending
};

SetOptions operator|(SetOptions a, const SetOptions& b);
SetOptions ex(std::chrono::seconds s);
SetOptions px(std::chrono::milliseconds ms);
SetOptions exat(std::chrono::system_clock::time_point t);
SetOptions pxat(std::chrono::system_clock::time_point t);
SetOptions keepttl();
SetOptions nx();
SetOptions xx();

/// EXPIRE conditions (Redis 7): NX, XX, GT, LT.
enum class ExpireCondition { none, nx, xx, gt, lt };

/// ZADD conditions and flags.
struct ZAddOptions {
  using redwire_option = void;
  enum class Condition { none, nx, xx, gt, lt };
  Condition condition = Condition::none;
  bool ch = false;  ///< return the number of changed elements, not only added

  template <class F>
  void visit_args(F&& f) const {
    constexpr std::string_view words[] = {"", "NX", "XX", "GT", "LT"};
    if (condition != Condition::none) f(words[static_cast<int>(condition)]);
    if (ch) f(std::string_view("CH"));
  }
};

/// A member with its score (ZRANGE ... WITHSCORES, ZADD).
struct ScoredMember {
  std::string member;
  double score = 0;
  bool operator==(const ScoredMember&) const = default;
};

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::StringList> {
  static std::size_t count(const StringList& l) noexcept { return l.size(); }
  static std::size_t size(const StringList& l) noexcept {
    std::size_t n = 0;
    for (auto s : l) n += bulk_size(s.size());
    return n;
  }
  static void write(std::string& out, const StringList& l) {
    for (auto s : l) append_bulk(out, s);
  }
};

template <redwire::VisitedOption T>
struct redwire::resp::ArgTraits<T> {
  static std::size_t count(const T& o) {
    std::size_t n = 0;
    o.visit_args(
        [&](const auto& a) { n += ArgTraits<std::remove_cvref_t<decltype(a)>>::count(a); });
    return n;
  }
  static std::size_t size(const T& o) {
    std::size_t n = 0;
    o.visit_args([&](const auto& a) { n += redwire::resp::arg_size(a); });
    return n;
  }
  static void write(std::string& out, const T& o) {
    o.visit_args(
        [&](const auto& a) { ArgTraits<std::remove_cvref_t<decltype(a)>>::write(out, a); });
  }
};

template <>
struct redwire::resp::ArgTraits<redwire::Bound> {
  static std::size_t count(const Bound&) noexcept { return 1; }
  static std::size_t size(const Bound& b) { return bulk_size(b.text().size()); }
  static void write(std::string& out, const Bound& b) { append_bulk(out, b.text()); }
};

template <>
struct redwire::resp::ArgTraits<redwire::FlushMode> {
  static std::size_t count(FlushMode) noexcept { return 1; }
  static void write(std::string& out, FlushMode m) {
    append_bulk(out, m == FlushMode::sync ? "SYNC" : "ASYNC");
  }
};

template <>
struct redwire::resp::ArgTraits<redwire::ExpireCondition> {
  static std::size_t count(ExpireCondition c) noexcept {
    return c == ExpireCondition::none ? 0 : 1;
  }
  static void write(std::string& out, ExpireCondition c) {
    constexpr std::string_view words[] = {"", "NX", "XX", "GT", "LT"};
    if (c != ExpireCondition::none) append_bulk(out, words[static_cast<int>(c)]);
  }
};

template <>
struct redwire::resp::ArgTraits<redwire::SetOptions> {
  static std::size_t count(const SetOptions& o) noexcept {
    using E = SetOptions::Expiry;
    return (o.expiry == E::none ? 0 : (o.expiry == E::keepttl ? 1 : 2)) +
           (o.condition == SetOptions::Condition::none ? 0 : 1);
  }
  static std::size_t size(const SetOptions& o) noexcept { return count(o) * bulk_size(20); }
  static void write(std::string& out, const SetOptions& o) {
    using E = SetOptions::Expiry;
    switch (o.expiry) {
      case E::none:
        break;
      case E::ex:
        append_bulk(out, "EX");
        break;
      case E::px:
        append_bulk(out, "PX");
        break;
      case E::exat:
        append_bulk(out, "EXAT");
        break;
      case E::pxat:
        append_bulk(out, "PXAT");
        break;
      case E::keepttl:
        append_bulk(out, "KEEPTTL");
        break;
    }
    if (o.expiry != E::none && o.expiry != E::keepttl) {
      ArgTraits<long long>::write(out, o.expiry_value);
    }
    if (o.condition == SetOptions::Condition::nx) append_bulk(out, "NX");
    if (o.condition == SetOptions::Condition::xx) append_bulk(out, "XX");
  }
};
