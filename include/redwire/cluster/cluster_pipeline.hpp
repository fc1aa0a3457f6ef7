// Pipelines and transactions on a cluster, with the same slots and results as the standalone
// ones (pipeline.hpp, pipeline_results.hpp).
//
//   auto p = cluster.pipeline();
//   auto a = p.set("a", "1");                // any slot: the pipeline is split per node,
//   auto n = p.incr("b");                    // sent in parallel, and the results come back
//   auto v = p.mget({"a", "b", "c"});        // in the order queued (MGET split per slot too)
//   PipelineResults r = co_await p.exec(asio::use_awaitable);
//   r.value(n) ...
//
//   auto tx = cluster.multi();               // every key in one slot: use a {hash tag}
//   tx.decrby("{acct:1}:balance", 10);
//   tx.incrby("{acct:1}:spent", 10);
//   auto res = co_await tx.exec(asio::use_awaitable);
//
// Pipelines: commands for the same node keep their order; each command's MOVED/ASK/TRYAGAIN is
// followed on its own (a redirected command is sent again alone, in queue order). A command
// whose keys span slots gets the server's CROSSSLOT error in its slot (nothing is sent for it),
// except MGET/MSET/DEL/UNLINK/EXISTS/TOUCH, which are split and merged. Commands that change a
// link's state (MULTI, WATCH, SUBSCRIBE, SELECT, ...) and blocking commands make exec fail with
// errc::invalid_argument. Exec's error code is set only when no command got a reply.
//
// Transactions: MULTI ... EXEC goes to the master of the slot that every key shares (keyless
// commands are fine). Keys in several slots: exec fails with server_errc::crossslot and each
// slot holds the CROSSSLOT error, nothing sent. A transaction refused at queue time with MOVED
// (the slot moved) is sent again to the new master — it never ran; ASK/TRYAGAIN/CLUSTERDOWN
// make it wait and retry. Never replayed once EXEC may have run (errc::indeterminate).
#pragma once

#include <asio/async_result.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/cluster/cluster_client.hpp"
#include "redwire/commands.hpp"
#include "redwire/detail/completion.hpp"
#include "redwire/pipeline_results.hpp"
#include "redwire/script.hpp"

namespace redwire {

namespace detail {

/// One queued command of a cluster batch.
struct ClusterBatchEntry {
  std::string payload;  ///< key prefix applied
  bool readonly = false;
  /// Script calls: the EVAL form, used when the command has to be sent on its own (after a
  /// redirect), and the script, loaded (SCRIPT LOAD) ahead of the batch on each node.
  std::string eval_payload;
  std::string script_sha1;
  std::string script_source;
};

/// Commands queued for a cluster pipeline or transaction.
class ClusterBatch {
 public:
  explicit ClusterBatch(std::string key_prefix) : prefix_(std::move(key_prefix)) {}
  void add(Command&& cmd);
  void add_script_call(const Script& s, Command&& evalsha, Command&& eval);
  std::size_t size() const noexcept { return entries_.size(); }
  std::error_code error() const noexcept { return error_; }
  const std::string& error_detail() const noexcept { return error_detail_; }
  std::vector<ClusterBatchEntry> take() { return std::move(entries_); }

 private:
  std::string prefix_;
  std::vector<ClusterBatchEntry> entries_;
  std::error_code error_;
  std::string error_detail_;
};

using BatchCompletion = Completion<std::error_code, PipelineResults>;

/// Sends a pipeline's entries (cluster_pipeline_run.cpp).
void run_cluster_pipeline(ClusterClient& client, std::vector<ClusterBatchEntry> entries,
                          BatchCompletion done);
/// Sends a transaction's entries (cluster_transaction_run.cpp).
void run_cluster_transaction(ClusterClient& client, std::vector<ClusterBatchEntry> entries,
                             BatchCompletion done);

template <class Handler>
void start_cluster_batch(ClusterClient& client, ClusterBatch& batch, bool transaction,
                         Handler handler) {
  BatchCompletion done(std::move(handler), client.get_executor());
  if (batch.error() || batch.size() == 0) {
    done.complete(batch.size() == 0 ? std::error_code{} : batch.error(), PipelineResults{});
    return;
  }
  if (transaction) {
    run_cluster_transaction(client, batch.take(), std::move(done));
  } else {
    run_cluster_pipeline(client, batch.take(), std::move(done));
  }
}

}  // namespace detail

/// Queues commands for any slots; exec() sends them per node in parallel. Not thread-safe; one
/// ClusterPipeline per task.
class ClusterPipeline : public Commands<ClusterPipeline> {
 public:
  explicit ClusterPipeline(ClusterClient& client)
      : client_(&client), batch_(client.options().node.key_prefix) {}

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
  /// A script call (EVALSHA; the script is loaded ahead of the batch on each node it runs on).
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    const Slot<T> slot{batch_.size()};
    batch_.add_script_call(script, script.evalsha(keys, args), script.eval(keys, args));
    return slot;
  }
  std::size_t size() const noexcept { return batch_.size(); }

  /// Completion: void(std::error_code, PipelineResults).
  template <class Token>
  auto exec(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, PipelineResults)>(
        [this](auto handler) {
          detail::start_cluster_batch(*client_, batch_, false, std::move(handler));
        },
        token);
  }

 private:
  ClusterClient* client_;
  detail::ClusterBatch batch_;
};

/// MULTI ... EXEC on one slot's master, written in one go; never replayed once sent.
class ClusterTransaction : public Commands<ClusterTransaction> {
 public:
  explicit ClusterTransaction(ClusterClient& client)
      : client_(&client), batch_(client.options().node.key_prefix) {}

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
  /// EVALSHA inside the transaction (loaded ahead of MULTI on the slot's master).
  template <class T>
  Slot<T> run_script(const Script& script, const StringList& keys, const ScriptArgs& args) {
    const Slot<T> slot{batch_.size()};
    batch_.add_script_call(script, script.evalsha(keys, args), script.eval(keys, args));
    return slot;
  }
  std::size_t size() const noexcept { return batch_.size(); }

  template <class Token>
  auto exec(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, PipelineResults)>(
        [this](auto handler) {
          detail::start_cluster_batch(*client_, batch_, true, std::move(handler));
        },
        token);
  }

 private:
  ClusterClient* client_;
  detail::ClusterBatch batch_;
};

}  // namespace redwire
