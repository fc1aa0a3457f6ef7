// The state and coroutines behind StreamWorker. Everything runs on one strand: the read loop
// (worker_loop.cpp) and one coroutine per delivery (worker_delivery.cpp).
#pragma once

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "blocking_reader.hpp"
#include "redwire/stream_worker.hpp"

namespace redwire {
class Client;
}

namespace redwire::detail {

class StreamWorkerCore : public std::enable_shared_from_this<StreamWorkerCore> {
 public:
  StreamWorkerCore(Client& client, StreamWorkerOptions options, StreamHandler handler);
  ~StreamWorkerCore();

  const asio::any_io_executor& executor() const noexcept { return executor_; }
  const StreamWorkerOptions& options() const noexcept { return options_; }

  void start(Completion<std::error_code> done);
  void stop();
  /// The StreamWorker is going away: stop reading now, never touch the client again.
  void abandon();
  StreamWorkerStats stats() const;

 private:
  using Clock = std::chrono::steady_clock;

  // ---- the read loop (worker_loop.cpp) ----
  asio::awaitable<std::error_code> main_loop();
  asio::awaitable<std::error_code> ensure_group();
  /// Re-reads this consumer's pending entries (ID 0 onwards) until none are left.
  asio::awaitable<std::error_code> read_own_pending();
  asio::awaitable<std::error_code> read_new();
  asio::awaitable<void> claim_idle();
  /// Delivery counts (XPENDING) of this consumer's entries between two IDs.
  asio::awaitable<std::map<std::string, long long>> delivery_counts(const std::string& first,
                                                                    const std::string& last,
                                                                    std::size_t n);
  asio::awaitable<void> unblock_reader();
  /// Sleeps until notify() or `timeout` (the main loop is the only waiter).
  asio::awaitable<void> wait(std::chrono::milliseconds timeout);
  asio::awaitable<void> pause_after_error(std::chrono::milliseconds& backoff);
  void notify() { wake_.cancel(); }
  std::size_t free_slots() const noexcept;
  /// Errors that end run(): the client is gone, or the group is and may not be recreated.
  bool fatal(std::error_code ec) const;

  // ---- one delivery (worker_delivery.cpp) ----
  /// Starts handling `d` unless it is already being handled here.
  void dispatch(StreamDelivery d);
  asio::awaitable<void> process(StreamDelivery d);
  asio::awaitable<bool> acknowledge(const std::string& id);
  asio::awaitable<void> dead_letter(const StreamDelivery& d, const std::string& reason);

  void report(StreamWorkerEvent event) const;
  void report_failure(std::error_code ec, std::string what) const;
  template <class F>
  void update_stats(F&& f) {
    std::lock_guard lock(stats_m_);
    f(stats_);
  }

  Client& client_;
  StreamWorkerOptions options_;
  StreamHandler handler_;
  asio::any_io_executor executor_;
  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<BlockingReader> reader_;

  // Strand-only state.
  asio::steady_timer wake_;
  bool started_ = false;
  bool stopping_ = false;
  bool abandoned_ = false;
  bool reading_ = false;  // a blocking read is out
  std::set<std::string> in_flight_;
  Clock::time_point next_claim_{};
  std::string claim_cursor_ = "0-0";

  mutable std::mutex stats_m_;
  StreamWorkerStats stats_;
};

}  // namespace redwire::detail
