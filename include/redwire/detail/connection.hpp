// One link to one server, driven on a strand: connect (TCP or unix socket), TLS handshake when
// Options::tls is on, Redis handshake, read and write through the multiplexer, command timeouts,
// health check, reconnect with backoff, close. Everything that decides *what* happens lives in the
// sans-io Multiplexer and Handshake; this class only moves bytes and runs timers.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "redwire/detail/handshake.hpp"
#include "redwire/detail/multiplexer.hpp"
#include "redwire/events.hpp"
#include "redwire/options.hpp"

namespace asio::ssl {
class context;
}

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
  /// Thread-safe: drops a connected link (handshaking or ready) as if it had failed with
  /// errc::connection_lost, then reconnects, asking the address provider again (Sentinel: a
  /// failover was announced). Written commands follow the delivery rules; queued ones wait.
  /// Does nothing while no link is connected: the next attempt asks the provider anyway.
  void reconnect_now(std::string reason);

  /// Where to connect, asked before every connect (Sentinel discovery). The provider calls
  /// `done(ec, host, port, detail)` once, from any thread; an error counts as a failed attempt.
  using AddressDone = std::function<void(std::error_code, std::string, std::uint16_t, std::string)>;
  using AddressProvider = std::function<void(AddressDone done)>;

  /// Set before start(); runs on the strand.
  void set_event_handler(EventHandler h) { events_ = std::move(h); }
  /// Set before start(): consulted before each connect attempt.
  void set_address_provider(AddressProvider p) { address_provider_ = std::move(p); }
  /// Thread-safe: every push frame (RESP3 pushes; RESP2 subscriber messages) is offered to
  /// each handler in turn, on the strand.
  void add_push_handler(Multiplexer::PushHandler h);
  /// Thread-safe: called on the strand each time a link becomes ready, before queued user
  /// commands are written (resubscribe, re-enable tracking, ...). It may call submit_now().
  void add_ready_hook(std::function<void()> hook);
  /// Strand only (from a ready hook or a push handler): queues an internal request ahead of
  /// user commands. Internal requests are never replayed on another link.
  void submit_now(RequestPtr r);
  /// Set before start(): RESP2 subscriber links treat replies with nothing in flight as pushes.
  void set_unsolicited_as_push(bool on) { mux_.set_unsolicited_as_push(on); }
  /// Set before start(): commands replayed in every handshake after SELECT (READONLY, CLIENT
  /// TRACKING, ROLE with a check, ...).
  void add_handshake_command(std::string payload, bool ignore_errors,
                             std::function<std::error_code(const Reply&, std::string&)> check = {});
  /// Where the current (or last) link goes: "host:port" or the socket path.
  const std::string& current_endpoint() const noexcept { return endpoint_; }

  const Executor& executor() const noexcept { return strand_; }
  const Options& options() const noexcept { return options_; }
  /// Protocol negotiated by the last handshake.
  int protocol() const noexcept { return protocol_; }

 private:
  class HandshakeRequest;
  class HealthCheckRequest;
  struct TlsLink;

  void flush_incoming();
  void stop_accepting();
  void accept(RequestPtr r, std::chrono::milliseconds timeout, std::chrono::milliseconds block);
  bool try_accept_inline(RequestPtr& r, std::chrono::milliseconds timeout,
                         std::chrono::milliseconds block);
  void begin_connect();
  void connect_to(std::uint64_t gen);
  void set_tcp_options();
  void start_tls(std::uint64_t gen);
  std::error_code tls_error(std::error_code ec, std::string& detail) const;
  void on_connected(std::uint64_t gen);
  void step_handshake(std::uint64_t gen, Handshake::Step step);
  void on_ready(std::uint64_t gen);
  void start_read(std::uint64_t gen);
  void kick_write();
  void link_failed(std::uint64_t gen, std::error_code ec, std::string detail = {});
  void schedule_reconnect(std::error_code cause, std::string detail = {});
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
  // TLS: the context is shared by every link with the same files (made at the first connect);
  // per connect, a fresh stream that takes over tcp_'s socket. Pending handlers hold it alive.
  std::shared_ptr<asio::ssl::context> tls_context_;
  std::shared_ptr<TlsLink> tls_;
  asio::steady_timer connect_timer_;
  asio::steady_timer retry_timer_;
  asio::steady_timer deadline_timer_;
  asio::steady_timer health_timer_;
  asio::steady_timer wait_timer_;  // ready-check waits
  Multiplexer mux_;
  std::unique_ptr<Handshake> handshake_;
  std::vector<HandshakeConfig::Extra> handshake_extra_;
  EventHandler events_;
  AddressProvider address_provider_;
  std::vector<Multiplexer::PushHandler> push_handlers_;
  std::vector<std::function<void()>> ready_hooks_;
  std::string connect_host_;
  std::uint16_t connect_port_ = 0;
  std::string endpoint_;

  // Submission queue shared with other threads.
  std::mutex incoming_mutex_;
  std::vector<
      std::pair<RequestPtr, std::pair<std::chrono::milliseconds, std::chrono::milliseconds>>>
      incoming_;
  bool flush_posted_ = false;
  // Written under incoming_mutex_; read without it on the strand (submit's fast path).
  std::atomic<bool> accepting_{true};
  std::atomic<bool> has_incoming_{false};  // incoming_ is not empty

  // Strand-only state.
  std::vector<char> read_buffer_;
  std::size_t read_begin_ = 0;
  std::size_t read_end_ = 0;
  std::uint64_t generation_ = 0;  // bumps with every link; stale callbacks compare and leave
  std::uint32_t attempt_ = 0;
  int protocol_ = 3;
  bool started_ = false;
  bool tls_handshaking_ = false;
  bool link_up_ = false;  // socket connected (handshake may be running)
  bool ready_ = false;    // handshake done
  bool writing_ = false;
  // The read handler is delivering replies: requests submitted by their handlers (on this
  // strand) go straight into the multiplexer and out in one write when the delivery is done.
  bool delivering_ = false;
  bool accepted_inline_ = false;
  bool closing_ = false;  // close() or disconnect() called
  bool ended_ = false;
  bool saw_traffic_ = false;  // for the health check
  std::error_code end_error_;
  std::string end_detail_;
  std::chrono::steady_clock::time_point armed_deadline_ =
      std::chrono::steady_clock::time_point::max();
};

}  // namespace redwire::detail
