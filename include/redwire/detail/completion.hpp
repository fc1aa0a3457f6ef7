// A type-erased, one-shot completion handler: keeps the user's handler (and work on its
// associated executor) until the operation ends, then posts the call to that executor. Used by
// operations whose state lives in compiled code (the subscriber, the stream worker).
//
// (Asio 1.22 has no any_completion_handler; this is the small part of it we need.)
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/associated_executor.hpp>
#include <asio/execution.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

namespace redwire::detail {

template <class... Args>
class Completion {
 public:
  Completion() = default;

  /// Takes the handler; `io` is the executor used when the handler has none of its own.
  template <class Handler>
  Completion(Handler handler, const asio::any_io_executor& io)
      : impl_(std::make_unique<Impl<std::decay_t<Handler>>>(std::move(handler), io)) {}

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  /// The handler's cancellation slot (may be unconnected).
  asio::cancellation_slot slot() const noexcept {
    return impl_ ? impl_->slot() : asio::cancellation_slot();
  }

  /// Posts handler(args...) to the handler's executor; the completion is empty afterwards.
  /// Never runs the handler inline, so callers may hold locks.
  void complete(Args... args) {
    if (!impl_) return;
    auto impl = std::move(impl_);
    impl->complete(std::move(args)...);
  }

 private:
  struct Base {
    virtual ~Base() = default;
    virtual void complete(Args... args) = 0;
    virtual asio::cancellation_slot slot() const noexcept = 0;
  };

  template <class Handler>
  struct Impl final : Base {
    using WorkExecutor = std::decay_t<decltype(asio::prefer(
        asio::get_associated_executor(std::declval<Handler&>(),
                                      std::declval<const asio::any_io_executor&>()),
        asio::execution::outstanding_work.tracked))>;

    Impl(Handler h, const asio::any_io_executor& io)
        : handler(std::move(h)),
          work(asio::prefer(asio::get_associated_executor(handler, io),
                            asio::execution::outstanding_work.tracked)) {}

    void complete(Args... args) override {
      auto slot_now = asio::get_associated_cancellation_slot(handler);
      if (slot_now.is_connected()) slot_now.clear();
      asio::post(work, [h = std::move(handler), t = std::make_tuple(std::move(args)...)]() mutable {
        std::apply([&](auto&&... a) { std::move(h)(std::move(a)...); }, std::move(t));
      });
    }
    asio::cancellation_slot slot() const noexcept override {
      return asio::get_associated_cancellation_slot(handler);
    }

    Handler handler;
    WorkExecutor work;
  };

  std::unique_ptr<Base> impl_;
};

}  // namespace redwire::detail
