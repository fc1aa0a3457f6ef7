// The independent Redis masters behind a Redlock: one client each (owned, on one io thread, or
// borrowed), and a blocking "run this script on every instance at once" with a bound per
// instance.
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "redwire/client.hpp"
#include "redwire/script.hpp"

namespace redwire::patterns::detail {

class LockInstances {
 public:
  /// One client per endpoint, on an io thread owned here. Their connection events tell which
  /// instances are down (closed, reconnecting): calls to those fail at once instead of waiting
  /// out the timeout in the offline queue.
  explicit LockInstances(const std::vector<Options>& endpoints);
  /// Clients owned by the caller; their executors must run on threads other than the callers of
  /// run_everywhere (which blocks).
  explicit LockInstances(std::vector<Client*> clients);
  ~LockInstances();
  LockInstances(const LockInstances&) = delete;
  LockInstances& operator=(const LockInstances&) = delete;

  std::size_t size() const noexcept { return clients_.size(); }
  /// "host:port" of instance i, for messages.
  const std::string& name(std::size_t i) const { return names_[i]; }

  struct Answer {
    std::error_code ec;  ///< link error, timeout, or the server's error reply
    std::string detail;
    Reply reply;
  };
  /// Runs `script` (EVALSHA, EVAL on NOSCRIPT) on every instance in parallel, each call bounded
  /// by `timeout`, and returns every instance's answer.
  std::vector<Answer> run_everywhere(const Script& script, const std::vector<std::string>& keys,
                                     const ScriptArgs& args, std::chrono::milliseconds timeout);

 private:
  std::unique_ptr<asio::io_context> io_;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::unique_ptr<Client>> owned_;
  std::vector<Client*> clients_;
  std::vector<std::string> names_;
  enum Health : int { unknown, up, down };
  std::vector<std::unique_ptr<std::atomic<int>>> health_;  // owned clients only
  std::thread thread_;
};

}  // namespace redwire::patterns::detail
