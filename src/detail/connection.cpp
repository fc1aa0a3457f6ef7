// A Connection's link lifecycle: construction, submission queue, connect (TCP/unix, address
// provider), Redis handshake, read loop, timers, reconnect, close. TLS is in connection_tls.cpp,
// the write path in connection_write.cpp.
#include "redwire/detail/connection.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <asio/bind_executor.hpp>
#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <cstring>

#include "detail/connection_internal.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {
constexpr std::size_t kInitialReadBuffer = 64 * 1024;
constexpr std::size_t kMinRead = 16 * 1024;
}  // namespace

// Receives the replies of one handshake batch and feeds them to the Handshake state machine.
class Connection::HandshakeRequest final : public Request {
 public:
  HandshakeRequest(std::weak_ptr<Connection> conn, std::uint64_t gen)
      : conn_(std::move(conn)), gen_(gen) {}
  void on_reply(const Reply& reply) override {
    auto c = conn_.lock();
    if (!c || c->generation_ != gen_ || !c->handshake_) return;
    if (auto step = c->handshake_->on_reply(reply)) next_ = std::move(*step);
  }
  void on_finish(std::error_code ec) override {
    auto c = conn_.lock();
    if (!c || c->generation_ != gen_ || ec || !next_) return;  // link failures are handled there
    c->step_handshake(gen_, std::move(*next_));
  }

 private:
  std::weak_ptr<Connection> conn_;
  std::uint64_t gen_;
  std::optional<Handshake::Step> next_;
};

// An idle-time PING: no reply within the health-check interval means the link is dead.
class Connection::HealthCheckRequest final : public Request {
 public:
  HealthCheckRequest(std::weak_ptr<Connection> conn, std::uint64_t gen)
      : conn_(std::move(conn)), gen_(gen) {}
  void on_reply(const Reply&) override {}
  void on_finish(std::error_code ec) override {
    auto c = conn_.lock();
    if (!c || c->generation_ != gen_ || ec != errc::command_timeout) return;
    c->link_failed(gen_, ec, "health check: no reply to PING");
  }

 private:
  std::weak_ptr<Connection> conn_;
  std::uint64_t gen_;
};

Connection::Connection(asio::any_io_executor ex, Options options)
    : options_(std::move(options)),
      strand_(asio::make_strand(ex)),
      resolver_(strand_),
      tcp_(strand_),
      unix_(strand_),
      connect_timer_(strand_),
      retry_timer_(strand_),
      deadline_timer_(strand_),
      health_timer_(strand_),
      wait_timer_(strand_),
      mux_(options_.limits),
      connect_host_(options_.host),
      connect_port_(options_.port),
      endpoint_(options_.endpoint()) {
  mux_.set_push_handler([this](const Reply& push) {
    for (auto& h : push_handlers_) h(push);
  });
  if (options_.reconnect_on_error) {
    mux_.set_error_hook([this](const Reply& reply) {
      const ServerError e{classify_server_error(reply.value()), std::string(reply.value())};
      switch (options_.reconnect_on_error(e)) {
        case ErrorAction::none:
          return Multiplexer::ErrorDecision::deliver;
        case ErrorAction::reconnect:
          return Multiplexer::ErrorDecision::deliver_then_reconnect;
        case ErrorAction::reconnect_and_resend:
          return Multiplexer::ErrorDecision::resend_after_reconnect;
      }
      return Multiplexer::ErrorDecision::deliver;
    });
  }
}

Connection::~Connection() = default;

void Connection::add_handshake_command(
    std::string payload, bool ignore_errors,
    std::function<std::error_code(const Reply&, std::string&)> check) {
  handshake_extra_.push_back({std::move(payload), ignore_errors, std::move(check)});
}

void Connection::add_push_handler(Multiplexer::PushHandler h) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(h)]() mutable {
    self->push_handlers_.push_back(std::move(h));
  });
}

void Connection::add_ready_hook(std::function<void()> hook) {
  asio::post(strand_, [self = shared_from_this(), hook = std::move(hook)]() mutable {
    self->ready_hooks_.push_back(std::move(hook));
  });
}

void Connection::submit_now(RequestPtr r) {
  Request& ref = *r;
  mux_.push_internal(std::move(r));
  mux_.track_deadline(ref);
  arm_deadline_timer();
  kick_write();
}

void Connection::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->started_ || self->closing_) return;
    self->started_ = true;
    self->begin_connect();
  });
}

void Connection::submit(RequestPtr r, std::chrono::milliseconds timeout,
                        std::chrono::milliseconds block) {
  if (try_accept_inline(r, timeout, block)) return;
  {
    std::lock_guard lock(incoming_mutex_);
    if (!accepting_) {  // after close()/disconnect(), in the caller's program order
      asio::post(strand_,
                 [r = std::move(r)] { complete(*r, make_error_code(errc::connection_closed)); });
      return;
    }
    incoming_.emplace_back(std::move(r), std::make_pair(timeout, block));
    has_incoming_.store(true, std::memory_order_relaxed);
    if (flush_posted_) return;
    flush_posted_ = true;
  }
  asio::post(strand_, [self = shared_from_this()] { self->flush_incoming(); });
}

// The fast path of submit(): a reply's handler (a coroutine resumed by its reply, a callback)
// submitting the next command while the read handler delivers replies on this strand. The
// request goes straight into the multiplexer and the read handler writes everything submitted
// during the delivery at once, after it (no post, no lock). Only when nothing could end the
// request here and now (the caller is still inside its initiating function) and nothing
// submitted earlier waits in incoming_ (so a thread's requests keep their order).
bool Connection::try_accept_inline(RequestPtr& r, std::chrono::milliseconds timeout,
                                   std::chrono::milliseconds block) {
  // running_in_this_thread() first: delivering_ and the rest are strand-only state.
  if (!strand_.running_in_this_thread() || !delivering_) return false;
  if (!accepting_.load(std::memory_order_acquire) ||
      has_incoming_.load(std::memory_order_acquire)) {
    return false;
  }
  if (r->finished || ended_ || closing_ || !ready_ || !started_ ||
      mux_.pending() >= options_.max_pending) {
    return false;
  }
  accept(std::move(r), timeout, block);
  accepted_inline_ = true;
  return true;
}

void Connection::flush_incoming() {
  decltype(incoming_) batch;
  {
    std::lock_guard lock(incoming_mutex_);
    batch.swap(incoming_);
    has_incoming_.store(false, std::memory_order_relaxed);
    flush_posted_ = false;
  }
  for (auto& [r, times] : batch) accept(std::move(r), times.first, times.second);
  arm_deadline_timer();
  kick_write();
}

void Connection::accept(RequestPtr r, std::chrono::milliseconds timeout,
                        std::chrono::milliseconds block) {
  if (r->finished) return;  // cancelled before it reached the strand
  if (ended_) return complete(*r, end_error_, end_detail_);
  if (closing_) return complete(*r, make_error_code(errc::connection_closed));
  if (!ready_) {
    if (!options_.offline_queue) return complete(*r, make_error_code(errc::offline_queue_disabled));
    if (mux_.queued() >= options_.offline_queue_limit) {
      return complete(*r, make_error_code(errc::offline_queue_full));
    }
  }
  if (mux_.pending() >= options_.max_pending) {
    return complete(*r, make_error_code(errc::too_many_pending));
  }
  if (timeout.count() < 0) timeout = options_.command_timeout;
  // A blocking command may hold its reply for `block` (negative: forever, so no deadline).
  if (timeout.count() > 0 && block.count() >= 0) {
    r->deadline = std::chrono::steady_clock::now() + timeout + block;
  }
  Request& ref = *r;
  mux_.push_back(std::move(r));
  mux_.track_deadline(ref);
  if (!started_) {
    started_ = true;  // lazy_connect: the first command connects
    begin_connect();
  }
}

void Connection::cancel(RequestPtr r, std::error_code ec) {
  asio::post(strand_, [self = shared_from_this(), r = std::move(r), ec] {
    self->mux_.cancel(r, ec);
    self->maybe_finish_close();
  });
}

void Connection::emit(EventType type, std::error_code ec, std::string detail,
                      std::chrono::milliseconds delay, std::uint32_t attempt) {
  if (!events_) return;
  events_(Event{type, ec, delay, attempt, std::move(detail), endpoint_});
}

void Connection::begin_connect() {
  const std::uint64_t gen = ++generation_;
  link_up_ = false;
  ready_ = false;
  emit(EventType::connecting);
  if (options_.tls.enabled && !tls_context_) {
    std::string detail;
    if (!options_.path.empty()) {
      detail = "TLS over a unix socket (" + options_.path + ") is not supported";
    } else {
      tls_context_ = shared_tls_context(options_.tls, detail);
    }
    if (!tls_context_) {
      const auto ec = make_error_code(errc::invalid_tls_config);
      emit(EventType::error, ec, detail);
      end(ec, std::move(detail));
      return;
    }
  }
  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), gen](std::error_code ec) {
    if (ec || gen != self->generation_ || self->ready_) return;
    self->link_failed(gen, make_error_code(errc::connect_timeout),
                      self->tls_handshaking_
                          ? "TLS handshake with " + self->endpoint_ +
                                " did not finish within connect_timeout (not a TLS port?)"
                          : std::string());
  });
  if (!address_provider_) return connect_to(gen);
  address_provider_([self = shared_from_this(), gen](std::error_code ec, std::string host,
                                                     std::uint16_t port, std::string detail) {
    asio::post(self->strand_,
               [self, gen, ec, host = std::move(host), port, detail = std::move(detail)]() mutable {
                 if (gen != self->generation_) return;
                 if (ec) return self->link_failed(gen, ec, std::move(detail));
                 self->connect_host_ = std::move(host);
                 self->connect_port_ = port;
                 self->connect_to(gen);
               });
  });
}

void Connection::connect_to(std::uint64_t gen) {
  endpoint_ = options_.path.empty()
                  ? (connect_host_.find(':') != std::string::npos ? "[" + connect_host_ + "]"
                                                                  : connect_host_) +
                        ":" + std::to_string(connect_port_)
                  : "unix:" + options_.path;
  auto self = shared_from_this();
  if (!options_.path.empty()) {
    unix_.async_connect(
        asio::local::stream_protocol::endpoint(options_.path), [self, gen](std::error_code ec) {
          if (gen != self->generation_) return;
          if (ec) return self->link_failed(gen, ec, "connect to " + self->options_.endpoint());
          std::error_code ignored;
          self->unix_.non_blocking(true, ignored);  // kick_write() writes without blocking
          self->on_connected(gen);
        });
    return;
  }
  resolver_.async_resolve(
      connect_host_, std::to_string(connect_port_),
      [self, gen](std::error_code ec, asio::ip::tcp::resolver::results_type results) {
        if (gen != self->generation_) return;
        if (ec) {
          return self->link_failed(gen, make_error_code(errc::resolve_failed),
                                   "resolve " + self->connect_host_ + ": " + ec.message());
        }
        asio::async_connect(self->tcp_, results,
                            [self, gen](std::error_code ec2, const asio::ip::tcp::endpoint&) {
                              if (gen != self->generation_) return;
                              if (ec2) {
                                return self->link_failed(gen, ec2, "connect to " + self->endpoint_);
                              }
                              self->set_tcp_options();
                              if (self->tls_context_) return self->start_tls(gen);
                              self->on_connected(gen);
                            });
      });
}

void Connection::set_tcp_options() {
  std::error_code ignored;
  tcp_.non_blocking(true, ignored);  // kick_write() writes without blocking
  tcp_.set_option(asio::ip::tcp::no_delay(options_.tcp_nodelay), ignored);
  if (options_.tcp_keepalive) {
    tcp_.set_option(asio::socket_base::keep_alive(true), ignored);
    const int idle = 30;  // seconds before the first probe, as ioredis's keepAlive default
    ::setsockopt(tcp_.native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  }
}

void Connection::on_connected(std::uint64_t gen) {
  link_up_ = true;
  emit(EventType::connect);
  read_buffer_.resize(kInitialReadBuffer);
  read_begin_ = read_end_ = 0;
  start_read(gen);
  HandshakeConfig config;
  config.protocol = options_.protocol;
  config.username = options_.username;
  config.password = options_.password;
  config.client_name = options_.client_name;
  config.db = options_.db;
  config.ready_check = options_.ready_check;
  config.extra = handshake_extra_;
  handshake_ = std::make_unique<Handshake>(std::move(config));
  step_handshake(gen, handshake_->start());
}

void Connection::step_handshake(std::uint64_t gen, Handshake::Step step) {
  if (gen != generation_) return;
  if (auto* send = std::get_if<Handshake::Send>(&step)) {
    auto req = std::make_shared<HandshakeRequest>(weak_from_this(), gen);
    req->payload = std::move(send->payload);
    req->expected_replies = send->replies;
    mux_.push_internal(std::move(req));
    kick_write();
  } else if (auto* wait = std::get_if<Handshake::Wait>(&step)) {
    // The server is loading its dataset: the ready check polls; this wait is not a timeout.
    connect_timer_.cancel();
    wait_timer_.expires_after(wait->delay);
    wait_timer_.async_wait([self = shared_from_this(), gen](std::error_code ec) {
      if (ec || gen != self->generation_) return;
      self->step_handshake(gen, self->handshake_->resume());
    });
  } else if (std::holds_alternative<Handshake::Done>(step)) {
    on_ready(gen);
  } else {
    auto& failed = std::get<Handshake::Failed>(step);
    link_failed(gen, failed.ec, failed.detail);
  }
}

void Connection::on_ready(std::uint64_t gen) {
  connect_timer_.cancel();
  ready_ = true;
  attempt_ = 0;
  protocol_ = handshake_->protocol();
  mux_.set_ready(true);
  emit(EventType::ready);
  for (auto& hook : ready_hooks_) hook();
  arm_health_check(gen);
  kick_write();
}

void Connection::start_read(std::uint64_t gen) {
  if (read_begin_ == read_end_) {
    read_begin_ = read_end_ = 0;
    if (read_buffer_.size() > 4 * kInitialReadBuffer) {
      read_buffer_.resize(kInitialReadBuffer);
      read_buffer_.shrink_to_fit();
    }
  }
  if (read_buffer_.size() - read_end_ < kMinRead) {
    if (read_begin_ > 0) {
      std::memmove(read_buffer_.data(), read_buffer_.data() + read_begin_, read_end_ - read_begin_);
      read_end_ -= read_begin_;
      read_begin_ = 0;
    }
    if (read_buffer_.size() - read_end_ < kMinRead) {
      // Grow only as bytes arrive: a declared length is never allocated up front.
      if (read_end_ >= options_.max_read_buffer) {
        return link_failed(gen, make_error_code(protocol_errc::buffer_limit_exceeded),
                           "a reply is larger than max_read_buffer (" +
                               std::to_string(options_.max_read_buffer) + " bytes)");
      }
      read_buffer_.resize(std::max(read_buffer_.size() * 2, read_end_ + kMinRead));
    }
  }
  auto buffer = asio::buffer(read_buffer_.data() + read_end_, read_buffer_.size() - read_end_);
  auto handler = asio::bind_executor(
      strand_, [self = shared_from_this(), gen, tls = tls_](std::error_code ec, std::size_t n) {
        if (gen != self->generation_) return;
        if (ec) {
          std::string detail;
          if (tls) {
            ec = self->tls_error(ec, detail);
          } else if (!self->ready_ && self->options_.path.empty() &&
                     (ec == asio::error::eof || ec == asio::error::connection_reset)) {
            // What a TLS-only port does to a plain-text HELLO.
            detail =
                "the server closed the connection during the handshake (a TLS port? then "
                "use rediss:// or Options::tls)";
          }
          return self->link_failed(gen, ec, std::move(detail));
        }
        self->read_end_ += n;
        self->saw_traffic_ = true;
        std::error_code perr;
        self->delivering_ = true;
        const std::size_t used =
            self->mux_.on_read(std::string_view(self->read_buffer_.data() + self->read_begin_,
                                                self->read_end_ - self->read_begin_),
                               perr);
        self->delivering_ = false;
        self->read_begin_ += used;
        const bool accepted = std::exchange(self->accepted_inline_, false);
        if (accepted) self->arm_deadline_timer();
        if (perr) return self->link_failed(gen, perr, self->mux_.error_detail());
        if (self->mux_.reconnect_requested()) {
          return self->link_failed(gen, make_error_code(errc::connection_lost),
                                   "reconnect_on_error asked for a new connection");
        }
        if (gen != self->generation_) return;
        // What the replies' handlers submitted goes out together, in one write.
        if (accepted) self->kick_write();
        if (gen != self->generation_) return;
        self->maybe_finish_close();
        if (gen != self->generation_) return;
        self->start_read(gen);
      });
  if (!options_.path.empty()) {
    unix_.async_read_some(buffer, std::move(handler));
  } else if (tls_) {
    tls_->stream.async_read_some(buffer, std::move(handler));
  } else {
    tcp_.async_read_some(buffer, std::move(handler));
  }
}

void Connection::link_failed(std::uint64_t gen, std::error_code ec, std::string detail) {
  // Deferred: this may be called from inside the multiplexer's reply dispatch.
  asio::post(strand_, [self = shared_from_this(), gen, ec, detail = std::move(detail)]() mutable {
    if (gen != self->generation_ || self->ended_) return;
    ++self->generation_;
    const bool was_ready = self->ready_;
    self->close_socket();
    self->mux_.on_link_lost(ec, self->options_.at_least_once, detail);
    self->emit(EventType::error, ec, detail);
    if (was_ready) self->emit(EventType::close, ec);
    if (self->closing_ && self->mux_.pending() == 0) {
      self->end(make_error_code(errc::connection_closed));
    } else if (ec == errc::auth_failed || ec == errc::unsupported) {
      self->end(ec, std::move(detail));  // retrying cannot help; do not hammer the server
    } else {
      self->schedule_reconnect(ec, std::move(detail));
    }
  });
}

void Connection::schedule_reconnect(std::error_code cause, std::string detail) {
  ++attempt_;
  std::optional<std::chrono::milliseconds> delay;
  if (options_.retry_strategy) delay = options_.retry_strategy(attempt_);
  if (!delay) {
    end(cause, std::move(detail));
    return;
  }
  mux_.on_reconnect_failed(options_.max_retries_per_request);
  emit(EventType::reconnecting, cause, {}, *delay, attempt_);
  retry_timer_.expires_after(*delay);
  retry_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
    if (ec || self->ended_) return;  // (closing: still connects to finish pending commands)
    self->begin_connect();
  });
}

void Connection::end(std::error_code ec, std::string detail) {
  if (ended_) return;
  ended_ = true;
  end_error_ = ec;
  end_detail_ = std::move(detail);
  ++generation_;
  close_socket();
  connect_timer_.cancel();
  retry_timer_.cancel();
  health_timer_.cancel();
  wait_timer_.cancel();
  mux_.fail_all(ec, end_detail_);
  deadline_timer_.cancel();
  emit(EventType::end, ec);
}

void Connection::close_socket() {
  std::error_code ignored;
  resolver_.cancel();
  tcp_.close(ignored);
  unix_.close(ignored);
  if (tls_) {  // no close_notify: closing the socket aborts the pending TLS operations
    tls_->stream.next_layer().close(ignored);
    tls_.reset();  // the next connect makes a fresh stream; pending handlers hold this one
  }
  tls_handshaking_ = false;
  link_up_ = false;
  ready_ = false;
  writing_ = false;
  mux_.set_ready(false);
  health_timer_.cancel();
  wait_timer_.cancel();
}

void Connection::stop_accepting() {
  std::lock_guard lock(incoming_mutex_);
  accepting_ = false;
}

void Connection::close() {
  stop_accepting();
  asio::post(strand_, [self = shared_from_this()] {
    if (self->ended_ || self->closing_) return;
    self->closing_ = true;
    // Pending commands still complete (connecting first if need be); then the client ends.
    self->maybe_finish_close();
  });
}

void Connection::disconnect() {
  stop_accepting();
  asio::post(strand_, [self = shared_from_this()] {
    if (self->ended_) return;
    self->closing_ = true;
    const bool was_up = self->link_up_;
    ++self->generation_;
    self->close_socket();
    self->mux_.on_link_lost(make_error_code(errc::connection_closed), false);
    if (was_up) self->emit(EventType::close, make_error_code(errc::connection_closed));
    self->end(make_error_code(errc::connection_closed));
  });
}

void Connection::reconnect_now(std::string reason) {
  asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
    if (self->ended_ || self->closing_ || !self->link_up_) return;
    self->link_failed(self->generation_, make_error_code(errc::connection_lost), std::move(reason));
  });
}

void Connection::maybe_finish_close() {
  if (!closing_ || ended_ || writing_ || mux_.pending() != 0) return;
  if (!started_) started_ = true;  // lazy client closed before its first command
  if (link_up_) emit(EventType::close, make_error_code(errc::connection_closed));
  end(make_error_code(errc::connection_closed));
}

void Connection::arm_deadline_timer() {
  const auto next = mux_.next_deadline();
  if (!next || *next >= armed_deadline_) return;
  armed_deadline_ = *next;
  deadline_timer_.expires_at(*next);
  deadline_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
    if (ec) return;  // re-armed for an earlier deadline, or ended
    self->armed_deadline_ = std::chrono::steady_clock::time_point::max();
    self->mux_.expire(std::chrono::steady_clock::now());
    self->maybe_finish_close();
    self->arm_deadline_timer();
  });
}

void Connection::arm_health_check(std::uint64_t gen) {
  if (options_.health_check_interval.count() <= 0) return;
  health_timer_.expires_after(options_.health_check_interval);
  health_timer_.async_wait([self = shared_from_this(), gen](std::error_code ec) {
    if (ec || gen != self->generation_) return;
    if (!self->saw_traffic_) {  // idle or stalled: ask
      auto ping = std::make_shared<HealthCheckRequest>(self->weak_from_this(), gen);
      resp::append_command(ping->payload, "PING");
      ping->deadline = std::chrono::steady_clock::now() + self->options_.health_check_interval;
      Request& ref = *ping;
      self->mux_.push_internal(std::move(ping));
      self->mux_.track_deadline(ref);
      self->arm_deadline_timer();
      self->kick_write();
    }
    self->saw_traffic_ = false;
    self->arm_health_check(gen);
  });
}

}  // namespace redwire::detail
