// A request on its way through the multiplexer: the bytes of one or more commands and the
// object that receives their replies. All members are touched on the connection's strand only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/resp/reply.hpp"

namespace redwire::detail {

class Request {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~Request() = default;

  /// Called for each reply, in order; `reply` is only valid during the call.
  virtual void on_reply(const Reply& reply) = 0;
  /// Called exactly once: with no error after the last reply, or with the reason it ended.
  virtual void on_finish(std::error_code ec) = 0;

  std::string payload;  ///< RESP bytes of every command in this request
  std::uint32_t expected_replies = 1;
  std::uint32_t received = 0;
  std::uint32_t reconnects_waited = 0;  ///< failed reconnect attempts spent in the queue
  bool internal = false;      ///< handshake / health check: sent before ready, never replayed
  bool retry_safe = false;    ///< may be resent after being written (read-only)
  bool never_replay = false;  ///< transactions: never resent once written
  bool abandoned = false;     ///< caller gave up (timeout, cancel): replies are dropped
  bool written = false;       ///< its bytes were handed to the socket
  bool finished = false;
  /// Why it ended, when there is more to say than the error code (the server's text of an
  /// authentication failure, a protocol error's offset). Never holds secrets.
  std::string error_detail;
  /// Counts unfinished requests on a link (the blocking pool picks the least loaded link).
  std::shared_ptr<std::atomic<int>> load;
  Clock::time_point deadline = Clock::time_point::max();

 private:
  friend class Multiplexer;
  std::multimap<Clock::time_point, Request*>::iterator deadline_entry_{};
  bool has_deadline_entry_ = false;
};

using RequestPtr = std::shared_ptr<Request>;

/// Ends a request exactly once (the multiplexer and the connection both end requests).
inline void complete(Request& r, std::error_code ec, std::string_view detail = {}) {
  if (r.finished) return;
  r.finished = true;
  if (!detail.empty()) r.error_detail.assign(detail);
  if (r.load) r.load->fetch_sub(1, std::memory_order_relaxed);
  r.on_finish(ec);
}

}  // namespace redwire::detail
