// The request behind one asynchronous command: converts the reply to T on the connection's
// strand and completes the user's handler on the handler's associated executor.
#pragma once

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/dispatch.hpp>
#include <asio/execution.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>
#include <system_error>
#include <type_traits>
#include <utility>

#include "redwire/convert.hpp"
#include "redwire/detail/request.hpp"

namespace redwire::detail {

template <class T>
struct CompletionSignature {
  using type = void(std::error_code, T);
};
template <>
struct CompletionSignature<void> {
  using type = void(std::error_code);
};

template <class T>
using ValueStorage = std::conditional_t<std::is_void_v<T>, Ignore, T>;

template <class T, class Handler>
class AsyncRequest final : public Request {
  // The handler's own executor (asio::use_future's, a coroutine's, a strand, ...), tracked so
  // that its context does not run out of work while the command is pending.
  using WorkExecutor = std::decay_t<decltype(asio::prefer(
      asio::get_associated_executor(std::declval<Handler&>(),
                                    std::declval<const asio::any_io_executor&>()),
      asio::execution::outstanding_work.tracked))>;

 public:
  AsyncRequest(Handler handler, const asio::any_io_executor& io_executor)
      : handler_(std::move(handler)),
        work_(asio::prefer(asio::get_associated_executor(handler_, io_executor),
                           asio::execution::outstanding_work.tracked)) {}

  void on_reply(const Reply& reply) override { conversion_ = from_reply(reply.view(), value_); }

  void on_finish(std::error_code ec) override {
    if (!ec) ec = conversion_;
    if (slot_.is_connected()) slot_.clear();
    auto executor = std::move(work_);
    ValueStorage<T> value = ec ? ValueStorage<T>{} : std::move(value_);
    asio::dispatch(executor, [h = std::move(handler_), ec, v = std::move(value)]() mutable {
      if constexpr (std::is_void_v<T>) {
        std::move(h)(ec);
      } else {
        std::move(h)(ec, std::move(v));
      }
    });
  }

  /// Wires per-operation cancellation (asio::bind_cancellation_slot, awaitable operators, ...).
  /// An unwritten command is withdrawn; a written one is abandoned (its reply is dropped when it
  /// comes; it may still run on the server). The handler gets asio::error::operation_aborted.
  template <class Cancel>
  void connect_cancellation(Cancel&& cancel) {
    slot_ = asio::get_associated_cancellation_slot(handler_);
    if (slot_.is_connected()) slot_.assign(std::forward<Cancel>(cancel));
  }

 private:
  Handler handler_;
  WorkExecutor work_;
  ValueStorage<T> value_{};
  std::error_code conversion_;
  asio::cancellation_slot slot_;
};

}  // namespace redwire::detail
