// One link to one server, driven on a strand: connect (TCP or unix socket), handshake, read and
// write through the multiplexer, command timeouts, health check, reconnect with backoff, close.
// Everything that decides *what* happens lives in the sans-io Multiplexer and Handshake; this
// class only moves bytes and runs timers.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "redwire/detail/handshake.hpp"
#include "redwire/detail/multiplexer.hpp"
#include "redwire/events.hpp"
#include "redwire/options.hpp"

namespace redwire::detail {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Executor = asio::strand<asio::any_io_executor>;

  Connection(asio::any_io_executor ex, Options options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Starts connecting (called by the client unless lazy_connect).
  void start();
  /// Thread-safe: queues the request; it is written with whatever else is queued (autopipelining).
  /// `timeout` < 0 means Options::command_timeout; 0 means none.
  void submit(RequestPtr r, std::chrono::milliseconds timeout = std::chrono::milliseconds(-1),
              std::chrono::milliseconds block = std::chrono::milliseconds(0));
  /// Thread-safe: the caller gave up on `r`.
  void cancel(RequestPtr r, std::error_code ec);
  /// Graceful: no new commands; those pending complete; then the link closes. No reconnect.
  void close();
  /// Immediate: the link closes now; unanswered commands end (indeterminate when written).
  void disconnect();

  /// Set before start(); runs on the strand.
  void set_event_handler(EventHandler h) { events_ = std::move(h); }
  /// Set before start(); RESP3 push frames (pub/sub messages, invalidations) land here.
  void set_push_handler(Multiplexer::PushHandler h) { mux_.set_push_handler(std::move(h)); }
  /// Commands replayed in every handshake after SELECT (READONLY, CLIENT TRACKING, ...).
  void add_handshake_command(std::string payload, bool ignore_errors);

  const Executor& executor() const noexcept { return strand_; }
  const Options& options() const noexcept { return options_; }
  /// Protocol negotiated by the last handshake.
  int protocol() const noexcept { return protocol_; }

 private:
  class HandshakeRequest;
  class HealthCheckRequest;

  void flush_incoming();
  void stop_accepting();
  void accept(RequestPtr r, std::chrono::milliseconds timeout, std::chrono::milliseconds block);
  void begin_connect();
  void on_connected(std::uint64_t gen);
  void step_handshake(std::uint64_t gen, Handshake::Step step);
  void on_ready(std::uint64_t gen);
  void start_read(std::uint64_t gen);
  void kick_write();
  void link_failed(std::uint64_t gen, std::error_code ec, std::string detail = {});
  void schedule_reconnect(std::error_code cause);
  void end(std::error_code ec, std::string detail = {});
  void arm_deadline_timer();
  void arm_health_check(std::uint64_t gen);
  void close_socket();
  void maybe_finish_close();
  void emit(EventType type, std::error_code ec = {}, std::string detail = {},
            std::chrono::milliseconds delay = {}, std::uint32_t attempt = 0);

  Options options_;
  Executor strand_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket tcp_;
  asio::local::stream_protocol::socket unix_;
  asio::steady_timer connect_timer_;
  asio::steady_timer retry_timer_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer health_timer_;
  asio::steady_timer wait_timer_;  // ready-check waits
  Multiplexer mux_;
  std::unique_ptr<Handshake> handshake_;
  std::vector<HandshakeConfig::Extra> handshake_extra_;
  EventHandler events_;

  // Submission queue shared with other threads.
  std::mutex incoming_mutex_;
  std::vector<std::pair<RequestPtr, std::pair<std::chrono::milliseconds, std::chrono::milliseconds>>>
      incoming_;
  bool flush_posted_ = false;
  bool accepting_ = true;

  // Strand-only state.
  std::vector<char> read_buffer_;
  std::size_t read_begin_ = 0;
  std::size_t read_end_ = 0;
  std::uint64_t generation_ = 0;  // bumps with every link; stale callbacks compare and leave
  std::uint32_t attempt_ = 0;
  int protocol_ = 3;
  bool started_ = false;
  bool link_up_ = false;     // socket connected (handshake may be running)
  bool ready_ = false;       // handshake done
  bool writing_ = false;
  bool closing_ = false;     // close() or disconnect() called
  bool ended_ = false;
  bool saw_traffic_ = false;  // for the health check
  std::error_code end_error_;
  std::string end_detail_;
  std::chrono::steady_clock::time_point armed_deadline_ = std::chrono::steady_clock::time_point::max();
};

}  // namespace redwire::detail
