// The blocking facade, for scripts and simple services. It owns an io thread; any number of
// threads may call it at once (their commands share one multiplexed connection). Errors are
// thrown as redwire::Error subclasses carrying the error code and, for server errors, the
// server's prefix and message.
//
//   redwire::SyncClient r{"redis://127.0.0.1"};
//   r.hset("user:1001", {{"name", "John"}, {"age", "30"}});
//   std::map<std::string, std::string> user = r.hgetall("user:1001");
//   long long n = r.command<long long>("INCRBY", "counter", 5);
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "redwire/client.hpp"
#include "redwire/exceptions.hpp"
#include "redwire/script.hpp"

namespace redwire {

class SyncPipeline;
class SyncTransaction;

namespace detail {
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// The request behind one blocking call: keeps the server's text for the exception. The caller
// waits on an atomic (C++20 wait/notify: a futex) rather than a promise/future pair, which
// would allocate a shared state and lock a mutex per call. Whoever ends the request holds a
// reference to it while on_finish() runs (as for every request), so the notify never outlives it.
template <class T>
class SyncRequest final : public Request {
 public:
  void on_reply(const Reply& reply) override {
    conversion_ = from_reply(reply.view(), value_, &detail_);
  }
  void on_finish(std::error_code ec) override {
    if (!ec) ec = conversion_;
    if (detail_.empty()) detail_ = error_detail;
    result_ = ec;
    done_.store(1, std::memory_order_release);
    done_.notify_one();
  }
  /// Blocks until the request ends; its error, if any. Polls for up to `spin` first, unless
  /// another caller of the same client is polling (`spinners`): a reply that comes meanwhile
  /// costs no sleep and no wake-up of this thread, and callers never crowd out the io thread.
  std::error_code wait(std::chrono::microseconds spin, std::atomic<int>& spinners) {
    if (spin.count() > 0 && done_.load(std::memory_order_acquire) == 0) {
      if (spinners.fetch_add(1, std::memory_order_relaxed) == 0) {
        const auto until = std::chrono::steady_clock::now() + spin;
        while (done_.load(std::memory_order_acquire) == 0 &&
               std::chrono::steady_clock::now() < until) {
          for (int i = 0; i < 16 && done_.load(std::memory_order_acquire) == 0; ++i) cpu_relax();
        }
      }
      spinners.fetch_sub(1, std::memory_order_relaxed);
      if (done_.load(std::memory_order_acquire) != 0) return result_;
    }
    done_.wait(0, std::memory_order_acquire);
    return result_;
  }
  /// Blocks until the request ends (no polling).
  std::error_code wait() {
    done_.wait(0, std::memory_order_acquire);
    return result_;
  }
  ValueStorage<T>& value() { return value_; }
  const std::string& detail() const { return detail_; }

 private:
  std::atomic<int> done_{0};  // int: the futex waits on the object itself
  std::error_code result_;
  ValueStorage<T> value_{};
  std::error_code conversion_;
  std::string detail_;
};
}  // namespace detail

class SyncClient : public Commands<SyncClient> {
 public:
  explicit SyncClient(Options options = {});
  explicit SyncClient(std::string_view url) : SyncClient(Options::from_url(url)) {}
  /// Over Client(executor, options, setup) (e.g. Sentinel: see sentinel.hpp).
  SyncClient(Options options, Client::LinkSetup setup);
  /// Disconnects and joins the io thread.
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  /// Runs a prepared command; returns its reply as T or throws.
  template <class T>
  T execute(Command cmd) {
    if (cmd.error()) throw_error(cmd.error(), cmd.error_detail());
    auto req = std::make_shared<detail::SyncRequest<T>>();
    client_->submit(std::move(cmd), req);
    if (auto ec = req->wait(spin_, spinners_)) {
      throw_error(ec, req->detail().empty() ? ec.message() : req->detail());
    }
    if constexpr (!std::is_void_v<T>) return std::move(req->value());
  }

  /// Any command, generic:  r.command<long long>("INCRBY", "counter", 5)
  template <class T, class... Args>
  T command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }

  /// A pipeline / a MULTI transaction whose exec() blocks (include redwire/sync_pipeline.hpp).
  SyncPipeline pipeline();
  SyncTransaction multi();

  /// Runs a Lua script: EVALSHA, falling back to EVAL on NOSCRIPT. Returns T or throws.
  template <class T>
  T run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    Reply reply = execute<Reply>(script.evalsha(keys, args));
    if (reply.is_error() && classify_server_error(reply.value()) == server_errc::noscript) {
      reply = execute<Reply>(script.eval(keys, args));
    }
    if constexpr (std::is_void_v<T>) {
      if (reply.is_error())
        throw_error(make_error_code(classify_server_error(reply.value())),
                    std::string(reply.value()));
    } else {
      T out{};
      std::string detail;
      if (auto ec = from_reply(reply.view(), out, &detail)) throw_error(ec, detail);
      return out;
    }
  }

  /// The asynchronous client underneath (runs on this facade's io thread).
  Client& async() noexcept { return *client_; }
  void close() { client_->close(); }

 private:
  std::chrono::microseconds spin_;  // Options::blocking_spin
  std::atomic<int> spinners_{0};    // callers polling now (at most one polls)
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<Client> client_;
  std::thread thread_;
};

}  // namespace redwire
