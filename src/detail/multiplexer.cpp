#include "redwire/detail/multiplexer.hpp"

#include <algorithm>

#include "redwire/error.hpp"

namespace redwire::detail {

void Multiplexer::push_back(RequestPtr r) {
  queue_.push_back(std::move(r));
}

void Multiplexer::push_internal(RequestPtr r) {
  r->internal = true;
  const auto first_user =
      std::find_if(queue_.begin(), queue_.end(), [](const RequestPtr& q) { return !q->internal; });
  queue_.insert(first_user, std::move(r));
}

std::string_view Multiplexer::prepare_write() {
  while (!queue_.empty()) {
    RequestPtr& r = queue_.front();
    if (r->finished) {  // timed out or cancelled before it was sent: never sent
      queue_.pop_front();
      continue;
    }
    if (!ready_ && !r->internal) break;
    write_buffer_ += r->payload;
    r->written = true;
    if (r->expected_replies == 0) {
      // Nothing to wait for (e.g. SUBSCRIBE under RESP3: confirmations arrive as pushes).
      finish(*r, {});
    } else {
      inflight_.push_back(std::move(r));
    }
    queue_.pop_front();
  }
  return write_buffer_;
}

std::size_t Multiplexer::on_read(std::string_view data, std::error_code& ec) {
  bool stop = false;
  const std::size_t used = parser_.feed(
      data,
      [&](const resp::Node& node, bool done) {
        if (stop) return;
        builder_.add(node);
        if (!done) return;
        const Reply& reply = builder_.peek();
        if (reply.type() == resp::Type::push) {
          if (push_handler_) push_handler_(reply);
        } else if (!route(reply, ec)) {
          stop = true;
        }
        builder_.clear();
      },
      ec);
  if (ec && error_detail_.empty()) error_detail_ = parser_.error_detail();
  return used;
}

bool Multiplexer::route(const Reply& reply, std::error_code& ec) {
  if (inflight_.empty() && unsolicited_as_push_) {
    if (push_handler_) push_handler_(reply);
    return true;
  }
  if (inflight_.empty()) {
    ec = make_error_code(protocol_errc::unexpected_reply);
    error_detail_ = "protocol error: a reply arrived with no request waiting for it: " +
                    reply.to_string().substr(0, 200);
    return false;
  }
  Request& r = *inflight_.front();
  if (reply.is_error() && error_hook_ && r.expected_replies == 1 && !r.internal && !r.abandoned) {
    const ErrorDecision d = error_hook_(reply);
    if (d != ErrorDecision::deliver) {
      reconnect_requested_ = true;
      ready_ = false;  // nothing more goes out on this link
    }
    if (d == ErrorDecision::resend_after_reconnect) {
      RequestPtr again = std::move(inflight_.front());
      inflight_.pop_front();
      again->written = false;
      queue_.push_front(std::move(again));
      return true;
    }
  }
  ++r.received;
  if (!r.abandoned) r.on_reply(reply);
  if (r.received >= r.expected_replies) {
    RequestPtr keep = std::move(inflight_.front());
    inflight_.pop_front();
    finish(*keep, {});
  }
  return true;
}

void Multiplexer::finish(Request& r, std::error_code ec, std::string_view detail) {
  if (r.finished) return;
  if (r.has_deadline_entry_) {
    deadlines_.erase(r.deadline_entry_);
    r.has_deadline_entry_ = false;
  }
  complete(r, ec, detail);
}

void Multiplexer::on_link_lost(std::error_code cause, bool at_least_once, std::string_view detail) {
  parser_.reset();
  builder_.clear();
  write_buffer_.clear();
  error_detail_.clear();
  ready_ = false;
  reconnect_requested_ = false;
  const bool protocol = cause.category() == protocol_category();
  std::deque<RequestPtr> resend;
  auto lost = std::move(inflight_);
  inflight_.clear();
  for (auto& r : lost) {
    if (r->finished) continue;  // abandoned: its reply will never come now
    if (r->internal) {
      finish(*r, cause, detail);
    } else if (!protocol && r->received == 0 && !r->never_replay &&
               (r->retry_safe || at_least_once)) {
      // (After a protocol error nothing is resent: the peer's replies cannot be trusted.)
      r->written = false;
      resend.push_back(std::move(r));
    } else {
      finish(*r, protocol ? cause : make_error_code(errc::indeterminate), protocol ? detail : "");
    }
  }
  // Internal requests of the old link's handshake are void; user requests wait for the next.
  std::deque<RequestPtr> kept;
  for (auto& r : queue_) {
    if (r->finished) continue;
    if (r->internal) {
      finish(*r, cause);
    } else {
      kept.push_back(std::move(r));
    }
  }
  queue_ = std::move(resend);
  for (auto& r : kept) queue_.push_back(std::move(r));
}

void Multiplexer::on_reconnect_failed(std::optional<std::uint32_t> max_retries) {
  if (!max_retries) return;
  std::deque<RequestPtr> kept;
  for (auto& r : queue_) {
    if (r->finished) continue;
    if (++r->reconnects_waited > *max_retries) {
      finish(*r, make_error_code(errc::max_retries_exceeded));
    } else {
      kept.push_back(std::move(r));
    }
  }
  queue_ = std::move(kept);
}

void Multiplexer::fail_all(std::error_code ec, std::string_view detail) {
  auto queued = std::move(queue_);
  auto flying = std::move(inflight_);
  queue_.clear();
  inflight_.clear();
  for (auto& r : flying) finish(*r, ec, detail);
  for (auto& r : queued) finish(*r, ec, detail);
}

void Multiplexer::track_deadline(Request& r) {
  if (r.deadline == Clock::time_point::max() || r.finished) return;
  r.deadline_entry_ = deadlines_.emplace(r.deadline, &r);
  r.has_deadline_entry_ = true;
}

std::optional<Multiplexer::Clock::time_point> Multiplexer::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

void Multiplexer::expire(Clock::time_point now) {
  // Unwritten requests stay in the queue, finished: prepare_write() drops them unsent.
  // Written ones stay in flight, abandoned, to absorb their reply when it comes.
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    Request* r = deadlines_.begin()->second;
    r->abandoned = true;
    finish(*r, make_error_code(errc::command_timeout));
  }
}

void Multiplexer::cancel(const RequestPtr& r, std::error_code ec) {
  if (r->finished) return;
  r->abandoned = true;
  finish(*r, ec);
}

}  // namespace redwire::detail
