// Shared pieces of the Sentinel tests: options pointing at a throwaway topology, a timestamped
// event log, and a load of callers that count every outcome.
#pragma once

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "redwire/sentinel.hpp"
#include "redwire/test/sentinel_topology.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {

inline SentinelOptions sentinel_options_for(test::SentinelTopology& topo) {
  SentinelOptions so;
  for (auto port : topo.sentinel_ports()) so.sentinels.push_back({"127.0.0.1", port});
  so.master_name = topo.master_name();
  so.sentinel_timeout = std::chrono::milliseconds(250);
  so.node.connect_timeout = std::chrono::seconds(3);
  so.node.retry_strategy = [](std::uint32_t) {
    return std::optional(std::chrono::milliseconds(50));
  };
  so.node.max_retries_per_request = std::nullopt;  // wait through the failover
  return so;
}

/// Events with the time they were seen (the client's strand calls handler()).
class TimedEvents {
 public:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point at;
    Event event;
  };
  EventHandler handler() {
    return [this](const Event& e) {
      std::lock_guard lock(m_);
      entries_.push_back({Clock::now(), e});
    };
  }
  std::vector<Entry> snapshot() const {
    std::lock_guard lock(m_);
    return entries_;
  }
  /// The first `type` event on `endpoint` at or after `since`.
  std::optional<Clock::time_point> first(EventType type, const std::string& endpoint,
                                         Clock::time_point since = {}) const {
    std::lock_guard lock(m_);
    for (const auto& e : entries_) {
      if (e.event.type == type && e.event.endpoint == endpoint && e.at >= since) return e.at;
    }
    return std::nullopt;
  }
  /// True when some event's detail contains `text`.
  bool any_detail(const std::string& text) const {
    std::lock_guard lock(m_);
    for (const auto& e : entries_) {
      if (e.event.detail.find(text) != std::string::npos) return true;
    }
    return false;
  }
  /// One line per event; with `origin`, each starts with its time in ms since then.
  std::string dump(std::optional<Clock::time_point> origin = std::nullopt) const {
    std::lock_guard lock(m_);
    std::string out;
    for (const auto& e : entries_) {
      if (origin) {
        out += std::to_string(
                   std::chrono::duration_cast<std::chrono::milliseconds>(e.at - *origin).count()) +
               " ms ";
      }
      out += std::string(to_string(e.event.type)) + " " + e.event.endpoint + " " +
             e.event.ec.message() + " " + e.event.detail + "\n";
    }
    return out;
  }

 private:
  mutable std::mutex m_;
  std::vector<Entry> entries_;
};

/// `callers` coroutines that INCR a counter and GET it until stopped, counting each outcome.
/// Runs the io_context on a thread of its own.
class IncrLoad {
 public:
  IncrLoad(Client& redis, asio::io_context& io, int callers, std::string key)
      : redis_(redis), io_(io), work_(asio::make_work_guard(io)), key_(std::move(key)) {
    for (int i = 0; i < callers; ++i) asio::co_spawn(io_, caller(), asio::detached);
    running_ = callers;
    thread_ = std::thread([this] { io_.run(); });
  }
  ~IncrLoad() { finish(); }

  /// Stops the callers (each finishes its current command) and the io thread.
  void finish() {
    stop_ = true;
    if (!thread_.joinable()) return;
    test::wait_until([&] { return running_.load() == 0; }, std::chrono::seconds(60),
                     "the callers to finish");
    work_.reset();
    io_.stop();
    thread_.join();
  }
  void wait_for_acks(int n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    test::wait_until([&] { return acked.load() >= n; }, timeout,
                     std::to_string(n) + " acknowledged INCRs");
  }
  /// Acknowledged INCR replies that came twice: a write acknowledged by a master and then lost
  /// (the next master hands out the same number again).
  std::size_t duplicate_values() const {
    std::lock_guard lock(m_);
    return values_.size() - std::set<long long>(values_.begin(), values_.end()).size();
  }
  void print(const char* what, long long server_value) const {
    std::printf(
        "[%s] INCR acknowledged=%d indeterminate=%d failed=%d | GET ok=%d failed=%d | "
        "server value=%lld duplicates=%zu\n",
        what, acked.load(), indeterminate.load(), failed.load(), gets_ok.load(), gets_failed.load(),
        server_value, duplicate_values());
  }

  std::atomic<int> acked{0}, indeterminate{0}, failed{0}, gets_ok{0}, gets_failed{0};

 private:
  asio::awaitable<void> caller() {
    while (!stop_) {
      std::error_code ec;
      const long long v = co_await redis_.incr(key_, asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        ++acked;
        std::lock_guard lock(m_);
        values_.push_back(v);
      } else if (ec == errc::indeterminate) {
        ++indeterminate;
      } else {
        ++failed;
        std::printf("INCR failed: %s\n", ec.message().c_str());
      }
      std::error_code gec;
      co_await redis_.get(key_, asio::redirect_error(asio::use_awaitable, gec));
      if (gec) {
        ++gets_failed;
      } else {
        ++gets_ok;
      }
    }
    --running_;
  }

  Client& redis_;
  asio::io_context& io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::string key_;
  std::atomic<bool> stop_{false};
  std::atomic<int> running_{0};
  mutable std::mutex m_;
  std::vector<long long> values_;
  std::thread thread_;
};

inline std::string endpoint_of(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace redwire::testing
