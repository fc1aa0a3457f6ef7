// Pipelines (batching, no atomicity) and transactions (MULTI/EXEC, atomic). Commands are queued
// with the same typed methods as the client, written in one go, and the results come back in
// order, each in its own slot — errors included (see pipeline_results.hpp).
//
//   auto p = redis.pipeline();            // redwire::Pipeline (async) or SyncPipeline (blocking)
//   p.set("a", "1");
//   auto n = p.incr("a");                 // Slot<long long>
//   PipelineResults r = co_await p.exec(asio::use_awaitable);
//   r.value(n) == 2
//
//   auto tx = redis.multi();              // MULTI ... EXEC as one write; never replayed
//   tx.set("balance:alice", 100);
//   tx.decrby("balance:alice", 10);
//   auto res = co_await tx.exec(asio::use_awaitable);
//
// Exec's completion: void(std::error_code, PipelineResults). The error code is set when the
// batch as a whole did not happen or may not have: nothing answered (the reason, e.g.
// errc::indeterminate), a transaction aborted by WATCH (errc::transaction_aborted), or
// discarded by the server (server_errc::execabort: each slot then holds its queue-time reply).
// Blocking commands (BLPOP, ...) cannot be batched on the shared link: exec fails with
// errc::invalid_argument.
#pragma once

#include <asio/async_result.hpp>
#include <asio/compose.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "redwire/client.hpp"
#include "redwire/commands.hpp"
#include "redwire/detail/batch_request.hpp"
#include "redwire/pipeline_results.hpp"
#include "redwire/script.hpp"

namespace redwire {

namespace detail {

/// Commands queued for one write: bytes, count, and what makes the batch special.
class Batch {
 public:
  void add(Command&& cmd);
  /// Scripts used in the batch are loaded (SCRIPT LOAD) ahead of it, so EVALSHA cannot fail
  /// with NOSCRIPT; those loads are not part of the results.
  void add_script_call(const Script& s, Command&& evalsha);
  std::size_t size() const noexcept { return count_; }
  bool readonly() const noexcept { return readonly_; }
  std::error_code error() const noexcept { return error_; }
  const std::string& error_detail() const noexcept { return error_detail_; }
  /// The payload: script loads first, then the commands, optionally wrapped in MULTI/EXEC.
  std::string take_payload(bool transaction);
  std::size_t preamble_replies() const noexcept { return preloads_; }

 private:
  std::string scripts_;
  std::string payload_;
  std::unordered_set<std::string> loaded_;
  std::size_t count_ = 0;
  std::size_t preloads_ = 0;
  bool readonly_ = true;
  std::error_code error_;
  std::string error_detail_;
};

BatchFinisher pipeline_finisher(std::size_t preloads);
BatchFinisher transaction_finisher(std::size_t preloads, std::size_t commands);

template <class Handler>
void start_batch(Client& client, const std::shared_ptr<Connection>& link, Batch& batch,
                 bool transaction, Handler handler) {
  const auto executor = client.get_executor();
  if (batch.error() || batch.size() == 0) {
    const auto ec = batch.size() == 0 ? std::error_code{} : batch.error();
    asio::post(executor,
               [h = std::move(handler), ec]() mutable { std::move(h)(ec, PipelineResults{}); });
    return;
  }
  const std::size_t preloads = batch.preamble_replies();
  const std::size_t replies = preloads + batch.size() + (transaction ? 2 : 0);
  auto finisher =
      transaction ? transaction_finisher(preloads, batch.size()) : pipeline_finisher(preloads);
  auto req = std::make_shared<BatchRequest<Handler>>(std::move(handler), executor, replies,
                                                     std::move(finisher));
  req->retry_safe = !transaction && batch.readonly();
  req->never_replay = transaction;
  req->payload = batch.take_payload(transaction);
  client.submit_prepared(std::move(req), link);
}

}  // namespace detail

/// Queues commands and sends them in one write. Not thread-safe; one Pipeline per task.
class Pipeline : public Commands<Pipeline> {
 public:
  explicit Pipeline(Client& client) : client_(&client) {}

  /// Queues a prepared command; its result will be in the returned slot.
  template <class T>
  Slot<T> execute(Command cmd) {
    const Slot<T> slot{batch_.size()};
    batch_.add(std::move(cmd));
    return slot;
  }
  /// Any command, generic:  p.command<long long>("INCRBY", "counter", 5)
  template <class T, class... Args>
  Slot<T> command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }
  /// A script call (EVALSHA; the script is loaded ahead of the batch).
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    const Slot<T> slot{batch_.size()};
    batch_.add_script_call(script, script.evalsha(keys, args));
    return slot;
  }

  std::size_t size() const noexcept { return batch_.size(); }

  /// Sends everything queued. Completion: void(std::error_code, PipelineResults).
  template <class Token>
  auto exec(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, PipelineResults)>(
        [this](auto handler) {
          detail::start_batch(*client_, nullptr, batch_, false, std::move(handler));
        },
        token);
  }

 private:
  Client* client_;
  detail::Batch batch_;
};

/// MULTI ... EXEC, written in one go so that no other caller's command can interleave.
/// Never replayed after a lost link (the outcome is then errc::indeterminate).
class Transaction : public Commands<Transaction> {
 public:
  /// On the shared link, or on `link` (a Lease's, for WATCH).
  explicit Transaction(Client& client, std::shared_ptr<detail::Connection> link = nullptr)
      : client_(&client), link_(std::move(link)) {}

  template <class T>
  Slot<T> execute(Command cmd) {
    const Slot<T> slot{batch_.size()};
    batch_.add(std::move(cmd));
    return slot;
  }
  template <class T, class... Args>
  Slot<T> command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }
  /// EVALSHA inside the transaction: a NOSCRIPT error is returned in its slot (the server
  /// does not allow a fallback inside MULTI).
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    return execute<T>(script.evalsha(keys, args));
  }
  std::size_t size() const noexcept { return batch_.size(); }

  template <class Token>
  auto exec(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, PipelineResults)>(
        [this](auto handler) {
          detail::start_batch(*client_, link_, batch_, true, std::move(handler));
        },
        token);
  }

 private:
  Client* client_;
  std::shared_ptr<detail::Connection> link_;
  detail::Batch batch_;
};

namespace detail {

// EVALSHA, then EVAL if the server answered NOSCRIPT.
template <class T>
struct ScriptCall {
  Client* client;
  Command evalsha;
  Command eval;
  bool fell_back = false;

  template <class Self>
  void operator()(Self& self) {
    client->execute<Reply>(std::move(evalsha), std::move(self));
  }
  template <class Self>
  void operator()(Self& self, std::error_code ec, Reply reply) {
    if (!fell_back && !ec && reply.is_error() &&
        classify_server_error(reply.value()) == server_errc::noscript) {
      fell_back = true;
      client->execute<Reply>(std::move(eval), std::move(self));
      return;
    }
    ValueStorage<T> out{};
    if (!ec) ec = from_reply(reply.view(), out);
    if constexpr (std::is_void_v<T>) {
      self.complete(ec);
    } else {
      self.complete(ec, std::move(out));
    }
  }
};

}  // namespace detail

template <class T, class Token>
auto Client::run_script(const Script& script, const StringList& keys, const ScriptArgs& args,
                        Token&& token) {
  return asio::async_compose<Token, typename detail::CompletionSignature<T>::type>(
      detail::ScriptCall<T>{this, script.evalsha(keys, args), script.eval(keys, args)}, token,
      executor_);
}

}  // namespace redwire
