// One encoded command, ready to send, with what the client needs to know about it.
//
//   redwire::Command cmd("SET", "user:1", "John", "EX", 3600);
//   client.execute<std::optional<std::string>>(std::move(cmd), token);
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/command_info.hpp"
#include "redwire/error.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire {

class Command {
 public:
  Command() = default;

  template <class... Args>
  explicit Command(std::string_view name, const Args&... args) {
    resp::append_command(payload_, name, args...);
    classify(name);
  }

  /// A command rejected before sending (e.g. SET with both NX and XX): executing it completes
  /// with `ec` and nothing reaches the server.
  static Command invalid(std::error_code ec, std::string detail) {
    Command c;
    c.error_ = ec;
    c.error_detail_ = std::move(detail);
    return c;
  }
  std::error_code error() const noexcept { return error_; }
  const std::string& error_detail() const noexcept { return error_detail_; }

  /// The RESP bytes of this command.
  const std::string& payload() const noexcept { return payload_; }
  std::string take_payload() noexcept { return std::move(payload_); }
  std::uint32_t flags() const noexcept { return flags_; }
  bool readonly() const noexcept { return (flags_ & cmd_readonly) != 0; }
  bool blocking() const noexcept { return (flags_ & cmd_blocking) != 0; }

  /// For blocking commands: how long the server may hold the reply (0 = forever). The command
  /// timeout, if any, counts from the end of this window.
  std::chrono::milliseconds block_timeout() const noexcept { return block_timeout_; }
  Command& block_for(std::chrono::milliseconds t) noexcept {
    block_timeout_ = t;
    return *this;
  }

  /// Per-call timeout overriding Options::command_timeout (0 = none, negative = use the default).
  std::chrono::milliseconds timeout() const noexcept { return timeout_; }
  Command& with_timeout(std::chrono::milliseconds t) noexcept {
    timeout_ = t;
    return *this;
  }

 private:
  void classify(std::string_view name) noexcept;

  std::string payload_;
  std::error_code error_;
  std::string error_detail_;
  std::uint32_t flags_ = 0;
  std::chrono::milliseconds block_timeout_{0};
  std::chrono::milliseconds timeout_{-1};
};

}  // namespace redwire
