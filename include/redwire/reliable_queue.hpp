// A reliable list queue — the guide's "LPUSH + BRPOP" answer without losing a job when a worker
// dies: BLMOVE moves each job into the worker's own processing list, ack() removes it (LREM)
// once done, and a dead worker's processing list is moved back to the queue.
//
//   redwire::ReliableQueue jobs{redis, {.queue = "queue:emails", .worker = "worker-1"}};
//   co_await jobs.push(R"({"to":"x@y.com"})", asio::use_awaitable);
//   std::optional<std::string> job = co_await jobs.pop(5s, asio::use_awaitable);
//   if (job) { send(*job); co_await jobs.ack(*job, asio::use_awaitable); }
//   co_await jobs.recover_dead_workers(asio::use_awaitable);   // now and then, from any worker
//
// At-least-once: a job whose worker died after doing the work but before ack() is done again.
// Liveness: every pop() (and heartbeat()) renews a key that expires after liveness_ttl; a worker
// whose key has expired counts as dead. Keep pop()'s timeout and the time to handle one job
// well below liveness_ttl (or call heartbeat() meanwhile).
//
// Keys: the queue, and "{<queue>}:processing:<worker>", "{<queue>}:alive:<worker>",
// "{<queue>}:workers" — one hash slot, so it also works on a cluster (the recovery script reads
// the per-worker keys it finds in the workers set).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "redwire/client.hpp"

namespace redwire {

struct ReliableQueueOptions {
  std::string queue{};   ///< the list producers push to
  std::string worker{};  ///< unique per running worker; reuse it after a restart
  std::chrono::milliseconds liveness_ttl = std::chrono::seconds(30);
};

class ReliableQueue {
 public:
  /// `client` must outlive the queue.
  ReliableQueue(Client& client, ReliableQueueOptions options);

  /// LPUSH queue item — the queue's new length. Completion: void(std::error_code, long long).
  template <class Token>
  auto push(std::string_view item, Token&& token) {
    return client_.execute<long long>(Command("LPUSH", options_.queue, item),
                                      std::forward<Token>(token));
  }
  /// BLMOVE queue <processing> RIGHT LEFT timeout: the oldest job, now held in this worker's
  /// processing list until ack(); nullopt when none came within `timeout` (0 = wait forever).
  /// Renews this worker's liveness. Completion: void(std::error_code, std::optional<std::string>).
  template <class Token>
  auto pop(std::chrono::milliseconds timeout, Token&& token) {
    heartbeat([](std::error_code) {});  // best effort; a failure shows in the BLMOVE too
    return client_.execute<std::optional<std::string>>(pop_command(timeout),
                                                       std::forward<Token>(token));
  }
  /// LREM <processing> 1 item: the job is done. true when it was held here (false: it was
  /// recovered by another worker meanwhile, which may run it again).
  /// Completion: void(std::error_code, bool).
  template <class Token>
  auto ack(std::string_view item, Token&& token) {
    return client_.execute<bool>(Command("LREM", processing_, 1, item), std::forward<Token>(token));
  }
  /// Renews this worker's liveness (for jobs that take longer than liveness_ttl).
  /// Completion: void(std::error_code).
  template <class Token>
  auto heartbeat(Token&& token) {
    return client_.execute<void>(heartbeat_command(), std::forward<Token>(token));
  }
  /// Moves every job in `worker`'s processing list back to the consuming end of the queue, in
  /// their original order, atomically — whether or not that worker is alive (use it for a
  /// worker known dead, or for this worker's own list at start-up). The number moved.
  /// Completion: void(std::error_code, long long).
  template <class Token>
  auto recover(std::string_view worker, Token&& token) {
    return client_.execute<long long>(recover_command(worker), std::forward<Token>(token));
  }
  /// recover() for every registered worker whose liveness expired (never this one), and
  /// forgets them. The number of jobs moved. Completion: void(std::error_code, long long).
  template <class Token>
  auto recover_dead_workers(Token&& token) {
    return client_.execute<long long>(recover_dead_command(), std::forward<Token>(token));
  }

  const std::string& processing_list() const noexcept { return processing_; }
  /// The processing list of `worker` for `queue`.
  static std::string processing_list_of(std::string_view queue, std::string_view worker);

 private:
  Command pop_command(std::chrono::milliseconds timeout) const;
  Command heartbeat_command() const;
  Command recover_command(std::string_view worker) const;
  Command recover_dead_command() const;

  Client& client_;
  ReliableQueueOptions options_{};
  std::string processing_{};
};

}  // namespace redwire
