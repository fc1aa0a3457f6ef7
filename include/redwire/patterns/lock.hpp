// A lock on one Redis server: SET key value NX PX ttl; released by compare-and-delete and
// extended by compare-and-pexpire (Lua), so that a holder never deletes or prolongs a lock that
// expired and was taken by someone else.
//
//   redwire::SyncClient redis{"redis://127.0.0.1"};
//   redwire::patterns::SingleInstanceLock locks{redis};
//   if (auto lease = locks.try_acquire("locks:report:daily", 30s)) {
//     build_report();                                   // released when `lease` goes
//   }
//   locks.with_lock("locks:order:o-123", 5s, [&] { ... });  // waits per retry options
//
// An efficiency lock: it keeps two workers from doing the same job at once in normal operation.
// It is not a correctness guarantee — a failover to a replica that had not received the key,
// a restart without persistence, or a holder paused past its TTL let two holders overlap. When
// overlap would corrupt data, use fencing tokens (fencing = true) checked by the resource, and/or
// Redlock (redlock.hpp). Same key/value scheme as node-redlock with one instance.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "redwire/patterns/lease.hpp"
#include "redwire/sync_client.hpp"

namespace redwire::patterns {

struct LockOptions {
  /// Bound on each Redis call.
  std::chrono::milliseconds redis_timeout = 200ms;
  /// Validity = TTL - time to acquire - (TTL x drift_factor + 2 ms).
  double drift_factor = 0.01;
  /// acquire(): attempts after the first, -1 = until acquired; pause between them.
  int retry_count = 10;
  std::chrono::milliseconds retry_delay = 200ms;
  std::chrono::milliseconds retry_jitter = 100ms;
  /// A fencing token per acquisition: INCR of <resource><fence_suffix> in the acquire script.
  bool fencing = false;
  std::string fence_suffix = ":fence";
};

namespace detail {
class SingleInstanceBackend;
}

class SingleInstanceLock {
 public:
  /// The client must outlive the lock and its leases.
  explicit SingleInstanceLock(SyncClient& redis, LockOptions options = {});
  ~SingleInstanceLock();

  /// One attempt: nullopt when the key is held. Throws redwire::Error when Redis fails.
  std::optional<Lease> try_acquire(std::string_view resource, std::chrono::milliseconds ttl);
  /// Retries per the options; throws LockNotAcquired, or redwire::Error when Redis fails.
  Lease acquire(std::string_view resource, std::chrono::milliseconds ttl);

  /// Acquires, runs fn(lease) (or fn()) with an AutoExtension, releases; see Redlock::with_lock.
  template <class F>
  decltype(auto) with_lock(std::string_view resource, std::chrono::milliseconds ttl, F&& fn) {
    return detail::run_locked(acquire(resource, ttl), std::forward<F>(fn));
  }

  const LockOptions& options() const noexcept { return options_; }

 private:
  LockOptions options_;
  std::shared_ptr<detail::SingleInstanceBackend> backend_;
};

}  // namespace redwire::patterns
