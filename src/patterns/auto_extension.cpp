// AutoExtension: a thread that extends a lease when `threshold` of validity is left, retries a
// failed extension while the lease is still valid, and reports the loss once.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "lease_core.hpp"
#include "redwire/patterns/lease.hpp"

namespace redwire::patterns {

struct AutoExtension::State {
  std::mutex mutex;
  std::condition_variable_any wake;  // only stop requests wake it early
  int extensions = 0;
  std::jthread thread;
};

namespace {

// Marks the lease lost (unless its holder released it) and returns the reason to report, or an
// empty string when there is nothing to report.
std::string mark_lost(detail::LeaseCore& core) {
  std::lock_guard lock(core.mutex);
  if (core.released) return {};
  if (!core.lost) {
    core.lost = true;
    core.lost_reason = "validity ran out before an extension was confirmed";
  }
  return core.lost_reason;
}

}  // namespace

AutoExtension::AutoExtension(Lease& lease, AutoExtensionOptions options)
    : state_(std::make_shared<State>()) {
  State& s = *state_;
  const auto ttl = options.ttl > 0ms ? options.ttl : lease.ttl();
  // At most half the TTL: a threshold close to the TTL would extend without pause.
  const auto threshold = options.threshold > 0ms ? std::min(options.threshold, ttl / 2) : ttl / 3;
  const auto retry_pause = std::max<std::chrono::milliseconds>(threshold / 4, 1ms);
  s.thread = std::jthread([core = lease.core(), &s, ttl, threshold, retry_pause,
                           on_lost = std::move(options.on_lost)](std::stop_token stop) {
    auto sleep = [&](std::unique_lock<std::mutex>& lock, std::chrono::milliseconds d) {
      s.wake.wait_for(lock, stop, d, [] { return false; });
      return !stop.stop_requested();
    };
    std::unique_lock lock(s.mutex);
    for (;;) {
      const auto left = detail::valid_for(*core);  // 0 once lost or released
      if (left <= 0ms) break;
      if (left > threshold && !sleep(lock, left - threshold)) return;
      lock.unlock();
      const bool ok = detail::extend(*core, ttl);
      lock.lock();
      if (stop.stop_requested()) return;
      if (ok) {
        ++s.extensions;
      } else if (detail::valid_for(*core) > 0ms && !sleep(lock, retry_pause)) {
        return;  // not confirmed: try again while the lease is still valid
      }
    }
    lock.unlock();
    const std::string reason = mark_lost(*core);
    if (!reason.empty() && on_lost) on_lost(reason);
  });
}

AutoExtension::~AutoExtension() {
  stop();
}

void AutoExtension::stop() {
  if (!state_->thread.joinable()) return;
  state_->thread.request_stop();
  state_->thread.join();
}

int AutoExtension::extensions() const {
  std::lock_guard lock(state_->mutex);
  return state_->extensions;
}

}  // namespace redwire::patterns
