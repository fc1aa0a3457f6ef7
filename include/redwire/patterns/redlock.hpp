// Redlock (https://redis.io/docs/manual/patterns/distributed-locks/) over N independent Redis
// masters, wire-compatible with the Node.js `redlock` package (v4/v5): same keys (the resource
// names as given), same kind of value (16 random bytes in hex), same acquire / extend / release
// semantics — a redwire service and a Node.js service exclude each other on the same servers.
//
//   redwire::patterns::Redlock redlock{{redwire::Options::from_url("redis://10.0.0.1"),
//                                       redwire::Options::from_url("redis://10.0.0.2"),
//                                       redwire::Options::from_url("redis://10.0.0.3")},
//                                      {.drift_factor = 0.01, .retry_count = 10,
//                                       .retry_delay = 200ms, .retry_jitter = 200ms}};
//   redlock.with_lock({"locks:order:o-123"}, 5s, [&](redwire::patterns::Lease& lease) {
//     // critical section; lease.check() before side effects of a long one
//   });
//   redwire::patterns::Lease lease = redlock.acquire({"locks:a", "locks:b"}, 5s);  // both or none
//
// The algorithm: a random value; the acquire script sent to every instance at once, each call
// bounded by instance_timeout; acquired when a majority (N/2 + 1) said yes and the validity —
// TTL minus the time that took (std::chrono::steady_clock) minus the drift allowance
// (TTL x drift_factor + 2 ms) — is still positive. Otherwise the value is released everywhere
// and the attempt repeated after retry_delay ± retry_jitter, retry_count times. Release goes to
// every instance; extension needs a majority again.
//
// What it does not promise (docs/patterns.md): safety when an instance restarts without its
// data before the TTL has passed (run them with appendfsync always, or restart them after the
// longest TTL), nor when a holder pauses past its validity — the fencing tokens (fencing = true)
// let the protected resource reject such a holder's late writes.
#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/client.hpp"
#include "redwire/options.hpp"
#include "redwire/patterns/lease.hpp"

namespace redwire::patterns {

struct RedlockOptions {
  /// Clock drift allowance as a fraction of the TTL (node-redlock's driftFactor).
  double drift_factor = 0.01;
  /// Attempts after the first; -1 = until acquired (node-redlock's retryCount).
  int retry_count = 10;
  /// Pause between attempts, ± a uniformly random retry_jitter (retryDelay, retryJitter).
  std::chrono::milliseconds retry_delay = 200ms;
  std::chrono::milliseconds retry_jitter = 100ms;
  /// Bound on each instance's answer; small next to the TTL, so that a dead instance costs
  /// little validity.
  std::chrono::milliseconds instance_timeout = 100ms;
  /// Fencing tokens: one counter per resource (<resource><fence_suffix>) on every instance,
  /// INCRed with each acquisition; the lease gets the highest value a majority returned, and
  /// that value is written back to the majority (never lowering a counter) before acquire
  /// returns. Counters never expire.
  bool fencing = false;
  std::string fence_suffix = ":fence";
};

namespace detail {
class RedlockCore;
}

class Redlock {
 public:
  /// One client per instance (independent masters, not replicas), on an io thread owned by the
  /// Redlock. Throws std::invalid_argument for no instances or bad options.
  explicit Redlock(const std::vector<Options>& instances, RedlockOptions options = {});
  /// Over clients you own (node-redlock's `new Redlock([redis, ...])`). Their executors must
  /// run on threads other than the ones calling acquire/extend/release (which block): e.g.
  /// SyncClient::async().
  explicit Redlock(std::vector<Client*> instances, RedlockOptions options = {});
  ~Redlock();
  Redlock(const Redlock&) = delete;
  Redlock& operator=(const Redlock&) = delete;

  /// Acquires every resource on a majority, retrying per the options. Throws LockNotAcquired
  /// (with what each instance answered on the last attempt).
  Lease acquire(const std::vector<std::string>& resources, std::chrono::milliseconds ttl);
  Lease acquire(std::string_view resource, std::chrono::milliseconds ttl) {
    return acquire(std::vector<std::string>{std::string(resource)}, ttl);
  }
  /// acquire({"locks:a", "locks:b"}, ttl): without it the braces would fit both overloads above.
  Lease acquire(std::initializer_list<std::string> resources, std::chrono::milliseconds ttl) {
    return acquire(std::vector<std::string>(resources), ttl);
  }
  /// One attempt, no retries: nullopt when not acquired.
  std::optional<Lease> try_acquire(const std::vector<std::string>& resources,
                                   std::chrono::milliseconds ttl);

  /// Acquires, runs fn(lease) (or fn()) while an AutoExtension keeps the lock, releases, and
  /// returns fn's result. Throws LockNotAcquired, fn's exceptions (after releasing), or LockLost
  /// when the lock could not be kept for the whole of fn (after fn returned).
  template <class F>
  decltype(auto) with_lock(const std::vector<std::string>& resources, std::chrono::milliseconds ttl,
                           F&& fn) {
    return detail::run_locked(acquire(resources, ttl), std::forward<F>(fn));
  }

  std::size_t size() const noexcept;    ///< N
  std::size_t quorum() const noexcept;  ///< N/2 + 1
  const RedlockOptions& options() const noexcept;

 private:
  std::shared_ptr<detail::RedlockCore> core_;
};

}  // namespace redwire::patterns
