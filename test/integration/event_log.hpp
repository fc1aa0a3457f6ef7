// Records connection events from the client's strand and lets a test wait for one (bounded).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "redwire/events.hpp"

namespace redwire::testing {

class EventLog {
 public:
  EventHandler handler() {
    return [this](const Event& e) {
      std::lock_guard lock(m_);
      events_.push_back(e);
      cv_.notify_all();
    };
  }
  std::size_t count(EventType t) const {
    std::lock_guard lock(m_);
    return static_cast<std::size_t>(
        std::count_if(events_.begin(), events_.end(), [&](const Event& e) { return e.type == t; }));
  }
  /// Waits until at least `n` events of type `t` were seen; false on timeout.
  bool wait_for(EventType t, std::size_t n = 1,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, timeout, [&] {
      return static_cast<std::size_t>(std::count_if(
                 events_.begin(), events_.end(), [&](const Event& e) { return e.type == t; })) >= n;
    });
  }
  std::vector<Event> snapshot() const {
    std::lock_guard lock(m_);
    return events_;
  }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<Event> events_;
};

}  // namespace redwire::testing
