// Shared by every command group: how a typed method hands its Command to the client, pipeline
// or blocking facade it belongs to (`Derived::execute<T>(Command, token...)`).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "redwire/arguments.hpp"
#include "redwire/command.hpp"
#include "redwire/replies.hpp"

namespace redwire::detail {

template <class T, class Derived, class... Token>
auto run_command(Derived& self, Command&& cmd, Token&&... token) {
  return self.template execute<T>(std::move(cmd), std::forward<Token>(token)...);
}

/// Blocking commands: `cmd` waits up to `timeout` seconds on the server (0 = forever); the
/// command timeout, if any, counts from the end of that window.
inline Command block_window(Command cmd, std::string_view name,
                            std::chrono::duration<double> timeout) {
  if (timeout.count() < 0) {
    return Command::invalid(make_error_code(errc::invalid_argument),
                            std::string(name) + ": negative timeout");
  }
  cmd.block_for(timeout.count() == 0 ? std::chrono::milliseconds(-1)
                                     : std::chrono::ceil<std::chrono::milliseconds>(timeout));
  return cmd;
}

/// BLPOP/BRPOP-style commands: keys, then a timeout in seconds (0 = forever). The command
/// timeout, if any, counts from the end of the blocking window.
inline Command blocking_pop(std::string_view name, const StringList& keys,
                            std::chrono::duration<double> timeout) {
  if (timeout.count() < 0) {
    return Command::invalid(make_error_code(errc::invalid_argument),
                            std::string(name) + ": negative timeout");
  }
  Command cmd(name, keys, timeout.count());
  cmd.block_for(timeout.count() == 0 ? std::chrono::milliseconds(-1)
                                     : std::chrono::ceil<std::chrono::milliseconds>(timeout));
  return cmd;
}

}  // namespace redwire::detail
