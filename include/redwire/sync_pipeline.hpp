// Blocking forms of pipelines, transactions and scripts for SyncClient:
//
//   auto p = r.pipeline(); p.set("a", "1"); auto n = p.incr("a");
//   redwire::PipelineResults results = p.exec();     // results.value(n) == 2
//   auto tx = r.multi(); tx.set("balance:alice", 100); tx.decrby("balance:alice", 10);
//   auto res = tx.exec();                             // throws on EXECABORT / WATCH abort
#pragma once

#include <future>
#include <string_view>
#include <utility>

#include "redwire/pipeline.hpp"

namespace redwire {

namespace detail {
// Runs an async exec and waits for it.
template <class Batch>
std::pair<std::error_code, PipelineResults> wait_for_exec(Batch& batch) {
  std::promise<std::pair<std::error_code, PipelineResults>> done;
  auto result = done.get_future();
  batch.exec([&done](std::error_code ec, PipelineResults r) {
    done.set_value({ec, std::move(r)});
  });
  return result.get();
}
}  // namespace detail

/// A pipeline whose exec() blocks. Per-command errors stay in their slots; exec() throws only
/// when the batch as a whole failed (nothing answered).
class SyncPipeline : public Commands<SyncPipeline> {
 public:
  explicit SyncPipeline(Client& client) : inner_(client) {}
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
  Pipeline inner_;
};

/// MULTI ... EXEC whose exec() blocks; throws on EXECABORT (ReplyError), on a WATCH abort
/// (Error with errc::transaction_aborted) and when the outcome is unknown (ConnectionError,
/// indeterminate). Runtime errors of single commands stay in their slots.
class SyncTransaction : public Commands<SyncTransaction> {
 public:
  explicit SyncTransaction(Client& client, std::shared_ptr<detail::Connection> link = nullptr)
      : inner_(client, std::move(link)) {}
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
  /// Like exec(), but a WATCH abort is returned as errc::transaction_aborted, not thrown.
  std::pair<std::error_code, PipelineResults> try_exec() { return detail::wait_for_exec(inner_); }
  PipelineResults exec() {
    auto [ec, results] = detail::wait_for_exec(inner_);
    if (ec) {
      std::string detail = ec.message();
      for (const auto& s : results) {
        if (s.reply.is_error()) detail += "; " + std::string(s.error_text());
      }
      throw_error(ec, detail);
    }
    return std::move(results);
  }

 private:
  Transaction inner_;
};

}  // namespace redwire
