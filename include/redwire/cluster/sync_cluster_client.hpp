// The blocking facade over ClusterClient, for scripts and simple services: the same typed
// commands as redwire::SyncClient, errors thrown as redwire::Error subclasses. It owns an io
// thread; any number of threads may call it at once.
//
//   redwire::SyncClusterClient r{redwire::ClusterOptions::from_url("redis://127.0.0.1:7000")};
//   r.set("user:{1001}:name", "John");
//   auto values = r.mget({"a", "b", "c"});          // keys in 3 slots: split and merged
//   auto p = r.pipeline(); p.set("a", "1"); auto n = p.incr("b"); auto res = p.exec();
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>

#include "redwire/cluster/cluster_client.hpp"
#include "redwire/cluster/cluster_pipeline.hpp"
#include "redwire/exceptions.hpp"
#include "redwire/script.hpp"
#include "redwire/sync_client.hpp"
#include "redwire/sync_pipeline.hpp"

namespace redwire {

/// A cluster pipeline whose exec() blocks. Per-command errors stay in their slots; exec()
/// throws only when no command got a reply.
class SyncClusterPipeline : public Commands<SyncClusterPipeline> {
 public:
  explicit SyncClusterPipeline(ClusterClient& client) : inner_(client) {}
  template <class T>
  Slot<T> execute(Command cmd) {
    return inner_.execute<T>(std::move(cmd));
  }
  template <class T, class... Args>
  Slot<T> command(std::string_view name, const Args&... args) {
    return inner_.command<T>(name, args...);
  }
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    return inner_.run_script<T>(script, keys, args);
  }
  std::size_t size() const noexcept { return inner_.size(); }
  PipelineResults exec() {
    auto [ec, results] = detail::wait_for_exec(inner_);
    if (ec) throw_error(ec, ec.message());
    return std::move(results);
  }

 private:
  ClusterPipeline inner_;
};

/// A cluster transaction whose exec() blocks; throws on CROSSSLOT, EXECABORT, a WATCH abort
/// and an unknown outcome, as SyncTransaction does.
class SyncClusterTransaction : public Commands<SyncClusterTransaction> {
 public:
  explicit SyncClusterTransaction(ClusterClient& client) : inner_(client) {}
  template <class T>
  Slot<T> execute(Command cmd) {
    return inner_.execute<T>(std::move(cmd));
  }
  template <class T, class... Args>
  Slot<T> command(std::string_view name, const Args&... args) {
    return inner_.command<T>(name, args...);
  }
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    return inner_.run_script<T>(script, keys, args);
  }
  std::size_t size() const noexcept { return inner_.size(); }
  PipelineResults exec() {
    auto [ec, results] = detail::wait_for_exec(inner_);
    if (ec) {
      std::string detail = ec.message();
      for (const auto& s : results) {
        if (s.reply.is_error()) {
          detail += "; " + std::string(s.error_text());
          break;
        }
      }
      throw_error(ec, detail);
    }
    return std::move(results);
  }

 private:
  ClusterTransaction inner_;
};

class SyncClusterClient : public Commands<SyncClusterClient> {
 public:
  /// Throws std::system_error for unusable options (see ClusterClient).
  explicit SyncClusterClient(ClusterOptions options);
  explicit SyncClusterClient(std::string_view seed_url)
      : SyncClusterClient(ClusterOptions::from_url(seed_url)) {}
  /// Disconnects and joins the io thread.
  ~SyncClusterClient();
  SyncClusterClient(const SyncClusterClient&) = delete;
  SyncClusterClient& operator=(const SyncClusterClient&) = delete;

  /// Runs a prepared command; returns its reply as T or throws.
  template <class T>
  T execute(Command cmd) {
    return wait<T>(std::move(cmd), std::nullopt);
  }
  /// Any command, generic:  r.command<long long>("INCRBY", "counter", 5)
  template <class T, class... Args>
  T command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }
  /// On one node exactly (see ClusterClient::execute_on).
  template <class T>
  T execute_on(const cluster::NodeAddress& node, Command cmd) {
    return wait<T>(std::move(cmd), node);
  }

  SyncClusterPipeline pipeline() { return SyncClusterPipeline(*client_); }
  SyncClusterTransaction multi() { return SyncClusterTransaction(*client_); }

  /// EVALSHA, falling back to EVAL on NOSCRIPT. Returns T or throws.
  template <class T>
  T run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    Reply reply = execute<Reply>(script.evalsha(keys, args));
    if (reply.is_error() && classify_server_error(reply.value()) == server_errc::noscript) {
      reply = execute<Reply>(script.eval(keys, args));
    }
    if constexpr (std::is_void_v<T>) {
      if (reply.is_error()) {
        throw_error(make_error_code(classify_server_error(reply.value())),
                    std::string(reply.value()));
      }
    } else {
      T out{};
      std::string detail;
      if (auto ec = from_reply(reply.view(), out, &detail)) throw_error(ec, detail);
      return out;
    }
  }

  std::vector<cluster::NodeAddress> masters() const { return client_->masters(); }
  std::vector<cluster::NodeAddress> nodes() const { return client_->nodes(); }
  ClusterStats stats() const { return client_->stats(); }
  /// The asynchronous client underneath (runs on this facade's io thread).
  ClusterClient& async() noexcept { return *client_; }
  void close() { client_->close(); }

 private:
  template <class T>
  T wait(Command cmd, std::optional<cluster::NodeAddress> node) {
    if (cmd.error()) throw_error(cmd.error(), cmd.error_detail());
    auto req = std::make_shared<detail::SyncRequest<T>>();
    client_->submit(std::move(cmd), req, std::move(node));
    if (auto ec = req->wait(spin_, spinners_))
      throw_error(ec, req->detail().empty() ? ec.message() : req->detail());
    if constexpr (!std::is_void_v<T>) return std::move(req->value());
  }

  std::chrono::microseconds spin_;  // node.blocking_spin
  std::atomic<int> spinners_{0};
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<ClusterClient> client_;
  std::thread thread_;
};

}  // namespace redwire
