// The request behind one asynchronous command: converts the reply to T on the connection's
// strand and completes the user's handler on the handler's associated executor.
#pragma once

#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/dispatch.hpp>
#include <asio/execution.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>
#include <exception>
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
  /// `link_keeps_io_busy`: the link that runs the request has operations pending on
  /// `io_executor` for as long as a request is pending (a reader, a timer, a posted flush), so a
  /// handler on that same executor needs no work of its own (the client's links).
  AsyncRequest(Handler handler, const asio::any_io_executor& io_executor,
               bool link_keeps_io_busy = false)
      : handler_(std::move(handler)), work_(work_for(handler_, io_executor, link_keeps_io_busy)) {}

  void on_reply(const Reply& reply) override { conversion_ = from_reply(reply.view(), value_); }

  void on_finish(std::error_code ec) override {
    if (!ec) ec = conversion_;
    if (slot_.is_connected()) slot_.clear();
    auto executor = std::move(work_);
    ValueStorage<T> value = ec ? ValueStorage<T>{} : std::move(value_);
    if constexpr (std::is_same_v<WorkExecutor, asio::any_io_executor>) {
      // Already on a thread of the handler's io_context (the usual case: replies are delivered
      // on the link's strand over the client's executor): call the handler here, as dispatch()
      // would, without wrapping it for the type-erased executor.
      const auto* io = executor.template target<asio::io_context::executor_type>();
      if (io != nullptr && io->running_in_this_thread()) {
        try {
          call(std::move(handler_), ec, std::move(value));
        } catch (...) {
          // As dispatch() does: the exception leaves io_context::run(), not the reply delivery.
          asio::post(executor, [e = std::current_exception()] { std::rethrow_exception(e); });
        }
        return;
      }
    }
    asio::dispatch(executor, [h = std::move(handler_), ec, v = std::move(value)]() mutable {
      call(std::move(h), ec, std::move(v));
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
  static void call(Handler&& h, std::error_code ec, ValueStorage<T>&& v) {
    if constexpr (std::is_void_v<T>) {
      std::move(h)(ec);
    } else {
      std::move(h)(ec, std::move(v));
    }
  }

  static WorkExecutor work_for(Handler& h, const asio::any_io_executor& io, bool io_busy) {
    auto ex = asio::get_associated_executor(h, io);
    if constexpr (std::is_same_v<decltype(ex), asio::any_io_executor>) {
      if (io_busy && ex == io) return ex;
    }
    return asio::prefer(ex, asio::execution::outstanding_work.tracked);
  }

  Handler handler_;
  WorkExecutor work_;
  ValueStorage<T> value_{};
  std::error_code conversion_;
  asio::cancellation_slot slot_;
};

}  // namespace redwire::detail
