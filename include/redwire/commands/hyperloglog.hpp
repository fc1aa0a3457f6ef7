// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE.
#pragma once

#include <string_view>
#include <utility>

#include "redwire/commands/run.hpp"

namespace redwire {

template <class Derived>
class HyperLogLogCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {"PFADD", "PFCOUNT", "PFMERGE"};

  /// PFADD key element [element ...] — true when the estimate changed.
  /// https://redis.io/commands/pfadd
  template <class... Token>
  requires TokenPack<Token...>
  auto pfadd(std::string_view key, const StringList& elements, Token&&... token) {
    return run<bool>(Command("PFADD", key, elements), std::forward<Token>(token)...);
  }
  /// PFCOUNT key [key ...] — the estimated cardinality of the union.
  /// https://redis.io/commands/pfcount
  template <class... Token>
  requires TokenPack<Token...>
  auto pfcount(const StringList& keys, Token&&... token) {
    return run<long long>(Command("PFCOUNT", keys), std::forward<Token>(token)...);
  }
  /// PFMERGE destination source [source ...] — https://redis.io/commands/pfmerge
  template <class... Token>
  requires TokenPack<Token...>
  auto pfmerge(std::string_view destination, const StringList& sources, Token&&... token) {
    return run<void>(Command("PFMERGE", destination, sources), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
