// The sans-io heart of a connection: queues requests, coalesces their bytes into one write,
// matches replies to requests in order, routes RESP3 push frames apart, and decides what
// happens to each request when the link drops. It never touches a socket; the Asio layer
// moves bytes in and out, and unit tests step it with canned bytes.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/detail/request.hpp"
#include "redwire/resp/parser.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire::detail {

class Multiplexer {
 public:
  using Clock = Request::Clock;
  using PushHandler = std::function<void(const Reply&)>;
  /// What to do with a server error reply (Options::reconnect_on_error).
  enum class ErrorDecision { deliver, deliver_then_reconnect, resend_after_reconnect };
  using ErrorHook = std::function<ErrorDecision(const Reply&)>;

  explicit Multiplexer(resp::Limits limits = {}) : parser_(limits) {}

  // ---- submission ----
  /// Appends a user request (sent once the link is ready, in order).
  void push_back(RequestPtr r);
  /// Adds an internal request (handshake, health check) ahead of every queued user request.
  void push_internal(RequestPtr r);
  std::size_t queued() const noexcept { return queue_.size(); }
  std::size_t in_flight() const noexcept { return inflight_.size(); }
  std::size_t pending() const noexcept { return queue_.size() + inflight_.size(); }

  // ---- writing ----
  /// While not ready only internal requests are written.
  void set_ready(bool ready) noexcept { ready_ = ready; }
  bool ready() const noexcept { return ready_; }
  /// Gathers the bytes of every sendable queued request into one buffer (autopipelining) and
  /// moves those requests in flight. Empty when there is nothing to write.
  std::string_view prepare_write();
  /// The buffer returned by prepare_write() has been written.
  void commit_write() noexcept { write_buffer_.clear(); }

  // ---- reading ----
  /// Parses `data` and hands each reply to its request; push frames go to the push handler.
  /// Returns the bytes consumed. On a protocol error sets ec; the link must then be closed.
  std::size_t on_read(std::string_view data, std::error_code& ec);
  void set_push_handler(PushHandler h) { push_handler_ = std::move(h); }
  /// Consulted for error replies to single-command user requests. When it asks for a
  /// reconnect, writing stops at once and reconnect_requested() turns true; with
  /// resend_after_reconnect the request goes back to the queue instead of completing.
  void set_error_hook(ErrorHook h) { error_hook_ = std::move(h); }
  bool reconnect_requested() const noexcept { return reconnect_requested_; }
  /// RESP2 subscriber links: a reply that arrives while no request is in flight is a pub/sub
  /// message, handed to the push handler instead of being a protocol error.
  void set_unsolicited_as_push(bool on) noexcept { unsolicited_as_push_ = on; }
  /// Describes the last protocol error (what was expected, at which byte).
  const std::string& error_detail() const noexcept { return error_detail_; }

  // ---- faults ----
  /// The link is gone. Requests in flight that are retry-safe (or every non-transaction one when
  /// at_least_once) and not partially answered go back to the front of the queue; the others
  /// finish with errc::indeterminate. After a protocol error every request in flight finishes
  /// with `cause` (nothing is resent to a peer that broke the protocol). Internal requests
  /// finish with `cause`. Queued requests stay queued.
  void on_link_lost(std::error_code cause, bool at_least_once, std::string_view detail = {});
  /// A reconnect attempt failed: queued requests that have waited through more than
  /// `max_retries` attempts finish with errc::max_retries_exceeded.
  void on_reconnect_failed(std::optional<std::uint32_t> max_retries);
  /// Finishes every request, queued and in flight, with `ec`.
  void fail_all(std::error_code ec, std::string_view detail = {});

  // ---- timeouts and cancellation ----
  /// Registers the request's deadline (call after setting Request::deadline).
  void track_deadline(Request& r);
  /// The earliest deadline of a pending request, if any.
  std::optional<Clock::time_point> next_deadline() const;
  /// Finishes every request whose deadline has passed with errc::command_timeout. Unwritten
  /// ones leave the queue (they were never sent); written ones stay to absorb their reply.
  void expire(Clock::time_point now);
  /// The caller gave up on `r`: finish it with `ec` now; a reply that comes later is dropped.
  void cancel(const RequestPtr& r, std::error_code ec);

 private:
  void finish(Request& r, std::error_code ec, std::string_view detail = {});
  bool route(const Reply& reply, std::error_code& ec);

  resp::Parser parser_;
  resp::ReplyBuilder builder_;
  std::deque<RequestPtr> queue_;     // not yet written
  std::deque<RequestPtr> inflight_;  // written (or being written), awaiting replies
  std::multimap<Clock::time_point, Request*> deadlines_;
  std::string write_buffer_;
  std::string error_detail_;
  PushHandler push_handler_;
  ErrorHook error_hook_;
  bool ready_ = false;
  bool reconnect_requested_ = false;
  bool unsolicited_as_push_ = false;
};

}  // namespace redwire::detail
