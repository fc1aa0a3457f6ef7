// A held lock: what SingleInstanceLock (lock.hpp) and Redlock (redlock.hpp) hand out. It knows
// how long it is still valid on this process's monotonic clock, extends and releases itself,
// carries the optional fencing tokens, and releases on destruction.
//
//   redwire::patterns::Lease lease = redlock.acquire({"locks:order:o-123"}, 5s);
//   lease.check();                        // throws LockLost if the validity ran out
//   storage.write(data, *lease.fencing_token());
//   lease.release();                      // or let the destructor do it
//
// AutoExtension keeps a lease alive while a long critical section runs, and tells the holder
// (callback + lease.lost()) the moment it cannot:
//
//   redwire::patterns::AutoExtension keeper{lease, {.on_lost = [](const std::string& why) {
//     log.error("lock lost: {}", why);   // stop touching the resource
//   }}};
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace redwire::patterns {

using namespace std::chrono_literals;

/// No quorum (or, for a single instance, the key was taken) within the retries.
class LockNotAcquired : public std::runtime_error {
 public:
  LockNotAcquired(const std::string& what, int attempts)
      : std::runtime_error(what), attempts_(attempts) {}
  int attempts() const noexcept { return attempts_; }

 private:
  int attempts_;
};

/// The lease ran out or was taken over while it was supposed to be held.
class LockLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
struct LeaseCore;
}

class Lease {
 public:
  /// Releases if still held (errors ignored: the keys expire on their own).
  ~Lease();
  Lease(Lease&&) noexcept;
  Lease& operator=(Lease&&) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  /// The keys, as given (node-redlock's scheme: the resource name is the key).
  const std::vector<std::string>& resources() const noexcept;
  /// The random value stored under every key (32 hex digits, like node-redlock's).
  const std::string& value() const noexcept;
  /// One fencing token per resource when fencing is on; empty otherwise. Strictly greater than
  /// the token of every earlier holder of the same resource (see docs/patterns.md for when).
  const std::vector<long long>& fencing_tokens() const noexcept;
  /// The first resource's fencing token, if any.
  std::optional<long long> fencing_token() const;

  /// Time left before the lock may be considered free by others, on std::chrono::steady_clock
  /// (TTL - time to acquire - clock drift allowance); zero when expired, lost or released.
  std::chrono::milliseconds valid_for() const;
  bool valid() const { return valid_for() > 0ms; }
  /// True once an extension found the lock taken over or expired (see lost_reason()).
  bool lost() const;
  std::string lost_reason() const;
  /// Throws LockLost unless valid(): call it before every side effect of a long critical
  /// section.
  void check() const;

  /// Resets the TTL on the servers to `ttl` (compare-and-pexpire: only keys still holding this
  /// lease's value). True on success (on a quorum for Redlock); false when the servers did not
  /// confirm — the lease stays valid until its old validity ends, unless they refused outright
  /// (the lock was taken over or expired), which marks it lost. A lease past its validity is
  /// never extended (it is marked lost instead): someone else may hold the lock by now.
  bool extend(std::chrono::milliseconds ttl);
  /// The TTL the lease was acquired with.
  std::chrono::milliseconds ttl() const;

  /// Deletes the keys that still hold this lease's value (compare-and-delete), on every
  /// instance. Idempotent. True when the release reached a quorum (a single instance: it).
  bool release();

  explicit Lease(std::shared_ptr<detail::LeaseCore> core);  ///< (used by the lock types)
  const std::shared_ptr<detail::LeaseCore>& core() const noexcept { return core_; }

 private:
  std::shared_ptr<detail::LeaseCore> core_;
};

struct AutoExtensionOptions {
  /// The TTL each extension sets; 0 = the lease's own TTL.
  std::chrono::milliseconds ttl = 0ms;
  /// Extend when this much validity is left; 0 = a third of the TTL.
  std::chrono::milliseconds threshold = 0ms;
  /// Called once, on the extension thread, when the lease is lost: taken over, expired while
  /// this process was paused, or not confirmed by the servers before its validity ran out.
  std::function<void(const std::string& reason)> on_lost{};
};

/// Extends a lease in the background until destroyed (or stop()). A failed extension is retried
/// while the lease is still valid; when it cannot be kept, the lease is marked lost and on_lost
/// runs. Stops quietly if the lease is released.
class AutoExtension {
 public:
  AutoExtension(Lease& lease, AutoExtensionOptions options = {});
  ~AutoExtension();
  AutoExtension(const AutoExtension&) = delete;
  AutoExtension& operator=(const AutoExtension&) = delete;
  /// Stops extending (waits for an extension in flight).
  void stop();
  /// Extensions that succeeded so far.
  int extensions() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

namespace detail {
/// with_lock's body: keeps `lease` alive while `fn` runs, then releases it. Throws LockLost
/// (after fn returned) if the lease was lost meanwhile: the critical section was not protected
/// all along.
template <class F>
decltype(auto) run_locked(Lease lease, F&& fn) {
  AutoExtension keeper{lease};
  auto finish = [&] {
    keeper.stop();
    if (lease.lost())
      throw LockLost("lock lost during the critical section: " + lease.lost_reason());
    lease.release();
  };
  if constexpr (std::is_invocable_v<F, Lease&>) {
    if constexpr (std::is_void_v<std::invoke_result_t<F, Lease&>>) {
      fn(lease);
      finish();
    } else {
      auto result = fn(lease);
      finish();
      return result;
    }
  } else {
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      fn();
      finish();
    } else {
      auto result = fn();
      finish();
      return result;
    }
  }
}
}  // namespace detail

}  // namespace redwire::patterns
