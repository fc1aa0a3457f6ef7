// What a Lease holds: its keys, value, tokens and validity, and the lock instances behind it
// (one server, or Redlock's N), which extend and release it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace redwire::patterns::detail {

using SteadyClock = std::chrono::steady_clock;

/// The validity of a lock set for `ttl` at `start`: the drift allowance (node-redlock's:
/// ttl x drift_factor + 2 ms for Redis's 1 ms expiry precision) is taken off.
SteadyClock::time_point valid_until(SteadyClock::time_point start, std::chrono::milliseconds ttl,
                                    double drift_factor);

struct ExtendOutcome {
  bool ok = false;
  /// The servers answered "not yours" (taken over or expired) on enough instances that the
  /// lock cannot be held any more.
  bool refused = false;
  SteadyClock::time_point valid_until{};
  std::string reason;
};

/// The instances a lease lives on.
class LockBackend {
 public:
  virtual ~LockBackend() = default;
  virtual ExtendOutcome extend(const std::vector<std::string>& resources, const std::string& value,
                               std::chrono::milliseconds ttl) = 0;
  /// True when the release reached a quorum. Never throws.
  virtual bool release(const std::vector<std::string>& resources, const std::string& value) = 0;
};

struct LeaseCore {
  LeaseCore(std::shared_ptr<LockBackend> b, std::vector<std::string> r, std::string v,
            std::vector<long long> tokens, std::chrono::milliseconds t,
            SteadyClock::time_point until)
      : backend(std::move(b)),
        resources(std::move(r)),
        value(std::move(v)),
        fencing_tokens(std::move(tokens)),
        ttl(t),
        valid_until(until) {}

  const std::shared_ptr<LockBackend> backend;
  const std::vector<std::string> resources;
  const std::string value;
  const std::vector<long long> fencing_tokens;
  const std::chrono::milliseconds ttl;

  mutable std::mutex mutex;  // guards what follows
  SteadyClock::time_point valid_until;
  bool released = false;
  bool lost = false;
  std::string lost_reason;
};

/// Lease::valid_for() and Lease::extend() on the core (AutoExtension uses them too, so that a
/// moved Lease does not matter).
std::chrono::milliseconds valid_for(const LeaseCore& core);
bool extend(LeaseCore& core, std::chrono::milliseconds ttl);

}  // namespace redwire::patterns::detail
