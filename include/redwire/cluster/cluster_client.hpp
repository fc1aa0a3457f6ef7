// The asynchronous Redis Cluster client: the same typed and generic commands as redwire::Client,
// routed by hash slot to one multiplexed link per node, following MOVED/ASK, retrying TRYAGAIN/
// CLUSTERDOWN and failovers, splitting cross-slot MGET/MSET/DEL/UNLINK/EXISTS/TOUCH per slot.
//
//   asio::io_context io;
//   redwire::ClusterClient cluster{io,
//   redwire::ClusterOptions::from_url("redis://127.0.0.1:7000")}; co_await
//   cluster.set("user:{1001}:name", "John", asio::use_awaitable); auto values = co_await
//   cluster.mget({"a", "b", "c"}, asio::use_awaitable);  // 3 slots, one call auto n = co_await
//   cluster.command<long long>("INCRBY", "counter", 5, asio::use_awaitable); for (auto& node :
//   cluster.masters()) {                                      // per-node commands
//     auto page = co_await cluster.execute_on<redwire::Reply>(node, redwire::Command("SCAN", 0),
//                                                             asio::use_awaitable);
//   }
//
// Routing, what is split, what is refused and how redirects are retried: docs/cluster.md.
// Completions run on the handler's associated executor; any thread may issue commands.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/associated_cancellation_slot.hpp>
#include <asio/async_result.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/compose.hpp>
#include <asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "redwire/cluster/cluster_options.hpp"
#include "redwire/cluster/node_address.hpp"
#include "redwire/cluster/slot_map.hpp"
#include "redwire/command.hpp"
#include "redwire/commands.hpp"
#include "redwire/detail/async_request.hpp"
#include "redwire/script.hpp"

namespace redwire {

class ClusterPipeline;
class ClusterTransaction;

/// What the client has been through (for logs, tests and dashboards).
struct ClusterStats {
  std::uint64_t moved = 0;             ///< MOVED redirects followed
  std::uint64_t ask = 0;               ///< ASK redirects followed
  std::uint64_t retries = 0;           ///< TRYAGAIN / CLUSTERDOWN / dead-link retries
  std::uint64_t refreshes = 0;         ///< topology refreshes started
  std::uint64_t failed_refreshes = 0;  ///< refreshes in which no node answered usefully
  std::size_t nodes_linked = 0;        ///< nodes with an open link now
};

namespace detail {
class ClusterCore;
/// The calls behind one command (several for a split or fan-out), for cancellation.
class CallGroup;
void cancel_calls(const std::shared_ptr<CallGroup>& group, asio::cancellation_type type);
}  // namespace detail

class ClusterClient : public Commands<ClusterClient> {
 public:
  using executor_type = asio::any_io_executor;

  /// Starts loading the slot map from the seeds at once; commands issued meanwhile wait for
  /// it. Throws std::system_error (errc::invalid_argument) for unusable options (no seeds,
  /// db != 0, a unix socket).
  ClusterClient(asio::any_io_executor executor, ClusterOptions options);
  ClusterClient(asio::io_context& io, ClusterOptions options)
      : ClusterClient(io.get_executor(), std::move(options)) {}
  /// Disconnects: pending commands end (written ones as errc::indeterminate).
  ~ClusterClient();
  ClusterClient(const ClusterClient&) = delete;
  ClusterClient& operator=(const ClusterClient&) = delete;

  executor_type get_executor() const noexcept { return executor_; }
  const ClusterOptions& options() const noexcept;

  /// Runs a prepared command and converts its reply to T. Completion signature:
  /// void(std::error_code, T), or void(std::error_code) for T = void.
  template <class T, class Token>
  auto execute(Command cmd, Token&& token) {
    return asio::async_initiate<Token, typename detail::CompletionSignature<T>::type>(
        [this](auto handler, Command c) {
          this->initiate<T>(std::move(handler), std::move(c), std::nullopt);
        },
        token, std::move(cmd));
  }

  /// Any command, generic: the last argument is the completion token.
  ///   co_await cluster.command<long long>("INCRBY", "counter", 5, asio::use_awaitable);
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

  /// Runs a command on one node exactly (SCAN page by page, INFO, CLUSTER ..., CONFIG ...):
  /// no routing and no redirects followed — a MOVED reply is the answer. The node must be a
  /// member of the cluster (see masters(), nodes()); else errc::invalid_argument.
  template <class T, class Token>
  auto execute_on(const cluster::NodeAddress& node, Command cmd, Token&& token) {
    return asio::async_initiate<Token, typename detail::CompletionSignature<T>::type>(
        [this](auto handler, Command c, cluster::NodeAddress at) {
          this->initiate<T>(std::move(handler), std::move(c), std::move(at));
        },
        token, std::move(cmd), node);
  }

  /// A batch of commands over any slots: split per node, sent in parallel, results in the
  /// order queued (cluster_pipeline.hpp).
  ClusterPipeline pipeline();
  /// MULTI ... EXEC on the master of the one slot its keys share (cluster_pipeline.hpp).
  ClusterTransaction multi();

  /// EVALSHA, then EVAL on NOSCRIPT (per node). Every key must hash to one slot (else the
  /// completion gets server_errc::crossslot); a script without keys runs on any master.
  template <class T, class Token>
  auto run_script(const Script& script, const StringList& keys, const ScriptArgs& args,
                  Token&& token);

  /// Masters serving slots / every node, per the current slot map (empty before it loads).
  std::vector<cluster::NodeAddress> masters() const;
  std::vector<cluster::NodeAddress> nodes() const;
  /// A copy of the current slot map.
  cluster::SlotMap slot_map() const;
  ClusterStats stats() const;
  /// Asks for a topology refresh (rate-limited by min_refresh_interval).
  void refresh();

  /// Graceful: new commands fail with errc::connection_closed; pending ones complete (a
  /// command between redirects ends with errc::connection_closed), then the links close.
  void close();
  /// Immediate: the links close now; unanswered commands end (written ones as indeterminate).
  void disconnect();

  /// Submits a ready-made request (advanced: the blocking facade, pipelines). The reply, or the
  /// error, goes to `sink` (exactly once; never inside this call). With `pinned`, sends to that
  /// node only. Returns the calls for cancellation when `cancellable`.
  std::shared_ptr<detail::CallGroup> submit(Command cmd, detail::RequestPtr sink,
                                            std::optional<cluster::NodeAddress> pinned = {},
                                            bool cancellable = false);
  /// The shared state (advanced: pipelines and transactions run on it).
  const std::shared_ptr<detail::ClusterCore>& core() const noexcept { return core_; }

 private:
  template <class T, class Handler>
  void initiate(Handler handler, Command cmd, std::optional<cluster::NodeAddress> pinned) {
    using Req = detail::AsyncRequest<T, Handler>;
    const bool cancellable = asio::get_associated_cancellation_slot(handler).is_connected();
    auto req = std::make_shared<Req>(std::move(handler), executor_);
    auto group = submit(std::move(cmd), req, std::move(pinned), cancellable);
    if (group) {
      req->connect_cancellation(
          [group](asio::cancellation_type type) { detail::cancel_calls(group, type); });
    }
  }

  asio::any_io_executor executor_;
  std::shared_ptr<detail::ClusterCore> core_;
};

namespace detail {

// EVALSHA, then EVAL if the node answered NOSCRIPT.
template <class T>
struct ClusterScriptCall {
  ClusterClient* client;
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
auto ClusterClient::run_script(const Script& script, const StringList& keys, const ScriptArgs& args,
                               Token&& token) {
  return asio::async_compose<Token, typename detail::CompletionSignature<T>::type>(
      detail::ClusterScriptCall<T>{this, script.evalsha(keys, args), script.eval(keys, args)},
      token, executor_);
}

}  // namespace redwire
