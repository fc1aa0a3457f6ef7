// The asynchronous client: one multiplexed connection shared by any number of callers, from any
// thread. Every command takes an Asio completion token (callback, asio::use_future,
// asio::use_awaitable, asio::deferred, ...):
//
//   asio::io_context io;
//   redwire::Client redis{io, redwire::Options::from_url("redis://127.0.0.1:6379/0")};
//   co_await redis.set("user:1001:name", "John", redwire::ex(3600s), asio::use_awaitable);
//   auto name = co_await redis.get("user:1001:name", asio::use_awaitable);   // optional<string>
//   redis.get("k", [](std::error_code ec, std::optional<std::string> v) { ... });
//   auto n = co_await redis.command<long long>("INCRBY", "counter", 5, asio::use_awaitable);
//
// Completions run on the handler's associated executor (for a plain callback: the executor the
// client was created with). Commands issued while a write is in progress go out together in the
// next write (autopipelining). Blocking commands (BLPOP, BRPOP, XREAD BLOCK, ...) run on a small
// pool of dedicated links so they never stall the shared one.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/recycling_allocator.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "redwire/command.hpp"
#include "redwire/commands.hpp"
#include "redwire/detail/async_request.hpp"
#include "redwire/detail/connection.hpp"
#include "redwire/options.hpp"
#include "redwire/script.hpp"

namespace redwire {

class Pipeline;
class Transaction;
class Lease;

class Client : public Commands<Client> {
 public:
  using executor_type = asio::any_io_executor;

  /// Connects at once (unless options.lazy_connect); reconnects per options.retry_strategy.
  Client(asio::any_io_executor executor, Options options = {});
  explicit Client(asio::io_context& io, Options options = {})
      : Client(io.get_executor(), std::move(options)) {}

  /// Prepares a link before it connects (advanced): layers that decide where a link goes, such
  /// as Sentinel discovery (sentinel.hpp), install their address provider and handshake checks.
  using LinkSetup = std::function<void(detail::Connection&)>;
  /// As above; `setup` runs for the main link, every blocking-pool or leased link and a
  /// Subscriber's dedicated links, before each one starts.
  Client(asio::any_io_executor executor, Options options, LinkSetup setup);
  /// Disconnects: pending commands end (written ones as errc::indeterminate).
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  executor_type get_executor() const noexcept { return executor_; }
  const Options& options() const noexcept { return main_->options(); }

  /// Runs a prepared command and converts its reply to T (void: the reply is checked, then
  /// dropped). Completion signature: void(std::error_code, T), or void(std::error_code).
  template <class T, class Token>
  auto execute(Command cmd, Token&& token) {
    return asio::async_initiate<Token, typename detail::CompletionSignature<T>::type>(
        [this](auto handler, Command&& c) { this->initiate<T>(std::move(handler), std::move(c)); },
        token, std::move(cmd));
  }

  /// Any command, generic: the last argument is the completion token.
  ///   co_await redis.command<long long>("INCRBY", "counter", 5, asio::use_awaitable);
  template <class T, class... ArgsAndToken>
  auto command(std::string_view name, ArgsAndToken&&... args_and_token) {
    static_assert(sizeof...(ArgsAndToken) >= 1, "the last argument is the completion token");
    auto refs = std::forward_as_tuple(std::forward<ArgsAndToken>(args_and_token)...);
    constexpr std::size_t n = sizeof...(ArgsAndToken) - 1;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return execute<T>(Command(name, std::get<I>(refs)...), std::get<n>(std::move(refs)));
    }
    (std::make_index_sequence<n>{});
  }

  /// A batch of commands sent in one write (see pipeline.hpp).
  Pipeline pipeline();
  /// MULTI ... EXEC (see pipeline.hpp).
  Transaction multi();

  /// Runs a Lua script by its SHA1 (EVALSHA); when the server does not have it (NOSCRIPT)
  /// sends the source (EVAL), which also caches it for the next call.
  /// Completion: void(std::error_code, T).
  template <class T, class Token>
  auto run_script(const Script& script, const StringList& keys, const ScriptArgs& args,
                  Token&& token);

  /// Graceful: new commands fail with errc::connection_closed, pending ones complete, then the
  /// link closes. No reconnect follows.
  void close();
  /// Immediate: the links close now; unanswered commands end (written ones as indeterminate).
  void disconnect();

  /// The shared link (advanced: layers such as pub/sub register push handlers and ready hooks
  /// on it).
  detail::Connection& main_link() noexcept { return *main_; }
  /// What prepares each of this client's links (Sentinel discovery, ...); empty for a plain
  /// client. Layers that open links of their own (dedicated pub/sub links) apply it too.
  const LinkSetup& link_setup() const noexcept { return setup_; }

  /// Submits a ready-made request (advanced: pipelines, the blocking facade). Takes the
  /// command's payload.
  void submit(Command cmd, detail::RequestPtr request);
  /// Submits a request whose payload is already set (pipelines, transactions) on the shared
  /// link, or on `link` when given (a leased link).
  void submit_prepared(detail::RequestPtr request,
                       std::shared_ptr<detail::Connection> link = nullptr);
  /// Submits a prepared command on a given link (leased links; the blocking facade's leases).
  void submit_on(std::shared_ptr<detail::Connection> link, Command cmd, detail::RequestPtr request);

  /// A link for the caller alone, for connection state that cannot be shared on the
  /// multiplexed link: WATCH, CLIENT REPLY, ... It returns to a small pool when the Lease ends
  /// (after UNWATCH). See lease.hpp (include it to call this).
  Lease lease();

 private:
  friend class Lease;

  template <class T, class Handler>
  void initiate(Handler handler, Command&& cmd) {
    initiate_on<T>(nullptr, std::move(handler), std::move(cmd));
  }

  // `link` null: the shared link (or the blocking pool); else that (leased) link.
  template <class T, class Handler>
  void initiate_on(std::shared_ptr<detail::Connection> link, Handler handler, Command&& cmd) {
    using Req = detail::AsyncRequest<T, Handler>;
    // Recycled memory (asio's per-thread cache) when called on an io thread; the links run on
    // executor_ and keep it busy while the request is pending.
    auto req = std::allocate_shared<Req>(asio::recycling_allocator<Req>(), std::move(handler),
                                         executor_, true);
    if (cmd.error()) {  // rejected before sending; never completes inside the initiation
      asio::post(executor_, [req, ec = cmd.error()] { detail::complete(*req, ec); });
      return;
    }
    Route r = link ? Route{std::move(link), nullptr} : route(cmd);
    std::weak_ptr<Req> weak = req;
    req->connect_cancellation([weak, link = r.link](asio::cancellation_type type) {
      auto q = weak.lock();
      if (!q) return;
      // Withdrawing an unwritten command is always clean; abandoning a written one (it may
      // still run on the server) only honours terminal cancellation.
      if (q->written &&
          (type & asio::cancellation_type::terminal) == asio::cancellation_type::none) {
        return;
      }
      link->cancel(q, asio::error::operation_aborted);
    });
    send(r, std::move(cmd), std::move(req));
  }

  struct Route {
    std::shared_ptr<detail::Connection> link;
    std::shared_ptr<std::atomic<int>> load;  // set for pool links (already counted)
  };
  // The main link, or for blocking commands the least loaded link of the pool.
  Route route(const Command& cmd);
  void send(Route& r, Command&& cmd, detail::RequestPtr request);

  struct PoolLink {
    std::shared_ptr<detail::Connection> link;
    std::shared_ptr<std::atomic<int>> load;
  };

  std::shared_ptr<detail::Connection> take_exclusive_link();
  void return_exclusive_link(std::shared_ptr<detail::Connection> link);

  asio::any_io_executor executor_;
  std::shared_ptr<detail::Connection> main_;
  std::mutex pool_mutex_;
  std::vector<PoolLink> pool_;
  std::vector<std::shared_ptr<detail::Connection>> exclusive_idle_;
  std::vector<std::shared_ptr<detail::Connection>> exclusive_all_;
  LinkSetup setup_;
};

}  // namespace redwire
