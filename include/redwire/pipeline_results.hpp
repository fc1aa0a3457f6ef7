// What a pipeline or a transaction gives back: one entry per queued command, in order. An entry
// holds the reply (which may be a server error reply, kept in its slot) or, when no reply came,
// the reason (errc::indeterminate after a lost link, errc::command_timeout, ...).
//
//   auto n = p.incr("a");                        // Slot<long long>
//   PipelineResults r = p.exec();
//   long long v = r.value(n);                    // or r.get(n, v) for an error code
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "redwire/convert.hpp"
#include "redwire/exceptions.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire {

/// Where a queued command's result will be; typed by what the command returns.
template <class T>
struct Slot {
  std::size_t index = 0;
};

/// One command's outcome.
struct PipelineReply {
  std::error_code ec;  ///< set when no reply came (indeterminate, timeout, not sent)
  Reply reply;         ///< the reply; may be a server error reply

  bool ok() const noexcept { return !ec && !reply.is_error(); }
  /// The transport error, or the server error's classification, or nothing.
  std::error_code error() const noexcept {
    if (ec) return ec;
    if (reply.is_error()) return make_error_code(classify_server_error(reply.value()));
    return {};
  }
  /// The server's error text ("WRONGTYPE Operation against ..."), if any.
  std::string_view error_text() const noexcept {
    return reply.is_error() ? reply.value() : std::string_view{};
  }
  /// Converts the reply; returns the error (transport, server or conversion) instead.
  template <class T>
  std::error_code get(T& out, std::string* detail = nullptr) const {
    if (ec) return ec;
    return from_reply(reply.view(), out, detail);
  }
};

class PipelineResults {
 public:
  PipelineResults() = default;
  explicit PipelineResults(std::vector<PipelineReply> slots) : slots_(std::move(slots)) {}

  std::size_t size() const noexcept { return slots_.size(); }
  bool empty() const noexcept { return slots_.empty(); }
  const PipelineReply& operator[](std::size_t i) const { return slots_.at(i); }
  auto begin() const noexcept { return slots_.begin(); }
  auto end() const noexcept { return slots_.end(); }
  /// True when every command got a non-error reply.
  bool all_ok() const noexcept {
    for (const auto& s : slots_) {
      if (!s.ok()) return false;
    }
    return true;
  }

  /// The typed value of a slot, or its error as an error code (and text in `detail`).
  template <class T>
  std::error_code get(Slot<T> slot, T& out, std::string* detail = nullptr) const {
    return slots_.at(slot.index).get(out, detail);
  }
  /// The typed value of a slot; throws redwire::Error (see sync_client.hpp) on any error.
  template <class T>
  T value(Slot<T> slot) const {
    T out{};
    std::string detail;
    if (auto ec = get(slot, out, &detail)) throw_error(ec, detail.empty() ? ec.message() : detail);
    return out;
  }

  std::vector<PipelineReply>& slots() noexcept { return slots_; }

 private:
  std::vector<PipelineReply> slots_;
};

}  // namespace redwire
