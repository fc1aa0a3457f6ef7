// Bitmap commands: SETBIT/GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD / BITFIELD_RO.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

/// BITCOUNT / BITPOS range: start [end [BYTE|BIT]] (BITCOUNT needs both ends).
struct BitRange {
  using redwire_option = void;
  enum class Unit { byte, bit };
  long long start = 0;
  std::optional<long long> end{};
  Unit unit = Unit::byte;

  template <class F>
  void visit_args(F&& f) const {
    f(start);
    if (end) {
      f(*end);
      f(std::string_view(unit == Unit::bit ? "BIT" : "BYTE"));
    }
  }
};

/// BITOP operations.
enum class BitOp { and_, or_, xor_, not_ };

/// The operations of one BITFIELD call, in order:
///   BitfieldOps ops;
///   ops.set("u8", 0, 200).incrby("u8", 0, 100).overflow(BitfieldOps::Overflow::sat).get("u4",
///   "#1");
/// Offsets are bit offsets, or "#n" for n times the type's width.
class BitfieldOps {
 public:
  using redwire_option = void;
  enum class Overflow { wrap, sat, fail };

  template <resp::EncodableArg Offset>
  BitfieldOps& get(std::string_view type, const Offset& offset) {
    return add("GET", type, offset);
  }
  template <resp::EncodableArg Offset>
  BitfieldOps& set(std::string_view type, const Offset& offset, long long value) {
    return add("SET", type, offset, value);
  }
  template <resp::EncodableArg Offset>
  BitfieldOps& incrby(std::string_view type, const Offset& offset, long long increment) {
    return add("INCRBY", type, offset, increment);
  }
  /// How the following SET / INCRBY handle overflow (WRAP by default).
  BitfieldOps& overflow(Overflow o) {
    constexpr std::string_view names[] = {"WRAP", "SAT", "FAIL"};
    return add("OVERFLOW", names[static_cast<int>(o)]);
  }

  /// The encoded arguments (for ArgTraits).
  const std::string& encoded() const noexcept { return encoded_; }
  std::size_t count() const noexcept { return count_; }

 private:
  template <class... Args>
  BitfieldOps& add(const Args&... args) {
    (resp::ArgTraits<std::remove_cvref_t<Args>>::write(encoded_, args), ...);
    count_ += resp::count_args(args...);
    return *this;
  }
  std::string encoded_{};
  std::size_t count_ = 0;
};

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::BitOp> {
  static std::size_t count(BitOp) noexcept { return 1; }
  static void write(std::string& out, BitOp op) {
    constexpr std::string_view names[] = {"AND", "OR", "XOR", "NOT"};
    append_bulk(out, names[static_cast<int>(op)]);
  }
};
template <>
struct redwire::resp::ArgTraits<redwire::BitfieldOps> {
  static std::size_t count(const BitfieldOps& ops) noexcept { return ops.count(); }
  static void write(std::string& out, const BitfieldOps& ops) { out += ops.encoded(); }
};

namespace redwire {

template <class Derived>
class BitmapCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "BITCOUNT", "BITFIELD", "BITFIELD_RO", "BITOP", "BITPOS", "GETBIT", "SETBIT"};

  /// SETBIT key offset 0|1 — the previous bit. https://redis.io/commands/setbit
  /// The name is in parentheses because <sys/param.h> (pulled in by cpp-httplib, among others)
  /// defines a function-like macro `setbit(a, i)`; with that header, call it as
  /// `(redis.setbit)(key, offset, value)`.
  template <class... Token>
  requires TokenPack<Token...>
  auto(setbit)(std::string_view key, long long offset, bool value, Token&&... token) {
    return run<bool>(Command("SETBIT", key, offset, value ? 1 : 0), std::forward<Token>(token)...);
  }
  /// GETBIT key offset — https://redis.io/commands/getbit
  template <class... Token>
  requires TokenPack<Token...>
  auto getbit(std::string_view key, long long offset, Token&&... token) {
    return run<bool>(Command("GETBIT", key, offset), std::forward<Token>(token)...);
  }
  /// BITCOUNT key — bits set in the whole value. https://redis.io/commands/bitcount
  template <class... Token>
  requires TokenPack<Token...>
  auto bitcount(std::string_view key, Token&&... token) {
    return run<long long>(Command("BITCOUNT", key), std::forward<Token>(token)...);
  }
  /// BITCOUNT key start end [BYTE|BIT]
  template <class... Token>
  requires TokenPack<Token...>
  auto bitcount(std::string_view key, const BitRange& range, Token&&... token) {
    return run<long long>(Command("BITCOUNT", key, range), std::forward<Token>(token)...);
  }
  /// BITPOS key 0|1 — the first bit with that value, -1 when none.
  /// https://redis.io/commands/bitpos
  template <class... Token>
  requires TokenPack<Token...>
  auto bitpos(std::string_view key, bool bit, Token&&... token) {
    return run<long long>(Command("BITPOS", key, bit ? 1 : 0), std::forward<Token>(token)...);
  }
  /// BITPOS key 0|1 start [end [BYTE|BIT]]
  template <class... Token>
  requires TokenPack<Token...>
  auto bitpos(std::string_view key, bool bit, const BitRange& range, Token&&... token) {
    return run<long long>(Command("BITPOS", key, bit ? 1 : 0, range),
                          std::forward<Token>(token)...);
  }
  /// BITOP AND|OR|XOR|NOT destination key [key ...] — the length of the result.
  /// https://redis.io/commands/bitop
  template <class... Token>
  requires TokenPack<Token...>
  auto bitop(BitOp op, std::string_view destination, const StringList& keys, Token&&... token) {
    return run<long long>(Command("BITOP", op, destination, keys), std::forward<Token>(token)...);
  }
  /// BITFIELD key ops... — one result per GET/SET/INCRBY (nullopt where OVERFLOW FAIL
  /// refused). https://redis.io/commands/bitfield
  template <class... Token>
  requires TokenPack<Token...>
  auto bitfield(std::string_view key, const BitfieldOps& ops, Token&&... token) {
    return run<std::vector<std::optional<long long>>>(Command("BITFIELD", key, ops),
                                                      std::forward<Token>(token)...);
  }
  /// BITFIELD_RO key GET... — read-only (GET operations only), allowed on replicas.
  /// https://redis.io/commands/bitfield_ro
  template <class... Token>
  requires TokenPack<Token...>
  auto bitfield_ro(std::string_view key, const BitfieldOps& ops, Token&&... token) {
    return run<std::vector<long long>>(Command("BITFIELD_RO", key, ops),
                                       std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
