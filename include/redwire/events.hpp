// Connection events, as ioredis users know them: connecting, connect, ready, error, close,
// reconnecting, end. Handlers run on the connection's strand; keep them short.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

namespace redwire {

enum class EventType {
  connecting,    ///< a TCP/unix connect is starting
  connect,       ///< the socket is connected; the handshake starts
  ready,         ///< handshake (and ready check) done; commands flow
  error,         ///< something failed (ec, detail); a reconnect may follow
  close,         ///< the link closed
  reconnecting,  ///< a reconnect is scheduled after `delay`
  end,           ///< no more reconnects: closed by the user or the retry strategy gave up
};

std::string_view to_string(EventType t) noexcept;

struct Event {
  EventType type;
  std::error_code ec;                  ///< for error/close/end
  std::chrono::milliseconds delay{0};  ///< for reconnecting
  std::uint32_t attempt = 0;           ///< for reconnecting
  std::string detail;                  ///< server text or protocol detail; never secrets
  std::string endpoint;                ///< host:port or socket path
};

using EventHandler = std::function<void(const Event&)>;

}  // namespace redwire
