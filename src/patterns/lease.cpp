// Lease: validity on the monotonic clock, extension (never past the validity), release.
#include "redwire/patterns/lease.hpp"

#include <cmath>

#include "lease_core.hpp"

namespace redwire::patterns {
namespace detail {

SteadyClock::time_point valid_until(SteadyClock::time_point start, std::chrono::milliseconds ttl,
                                    double drift_factor) {
  const auto drift =
      std::chrono::milliseconds(std::llround(static_cast<double>(ttl.count()) * drift_factor)) +
      2ms;
  return start + ttl - drift;
}

std::chrono::milliseconds valid_for(const LeaseCore& core) {
  std::lock_guard lock(core.mutex);
  if (core.released || core.lost) return 0ms;
  const auto left = core.valid_until - SteadyClock::now();
  return left <= SteadyClock::duration::zero()
             ? 0ms
             : std::chrono::duration_cast<std::chrono::milliseconds>(left);
}

bool extend(LeaseCore& core, std::chrono::milliseconds ttl) {
  {
    std::lock_guard lock(core.mutex);
    if (core.released || core.lost) return false;
    if (SteadyClock::now() >= core.valid_until) {
      // Past its validity the lock may already belong to someone else: extending it now would
      // hide that from the holder. It is gone.
      core.lost = true;
      core.lost_reason = "validity ran out before the extension (process paused or late)";
      return false;
    }
  }
  ExtendOutcome out = core.backend->extend(core.resources, core.value, ttl);
  std::lock_guard lock(core.mutex);
  if (core.released) return false;
  if (out.ok) {
    core.valid_until = out.valid_until;
    return true;
  }
  if (out.refused && !core.lost) {
    core.lost = true;
    core.lost_reason = "extension refused: " + out.reason;
  }
  return false;
}

}  // namespace detail

Lease::Lease(std::shared_ptr<detail::LeaseCore> core) : core_(std::move(core)) {}

Lease::~Lease() {
  if (core_) release();
}

Lease::Lease(Lease&&) noexcept = default;

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (core_) release();
    core_ = std::move(other.core_);
  }
  return *this;
}

const std::vector<std::string>& Lease::resources() const noexcept {
  return core_->resources;
}
const std::string& Lease::value() const noexcept {
  return core_->value;
}
const std::vector<long long>& Lease::fencing_tokens() const noexcept {
  return core_->fencing_tokens;
}
std::optional<long long> Lease::fencing_token() const {
  if (core_->fencing_tokens.empty()) return std::nullopt;
  return core_->fencing_tokens.front();
}
std::chrono::milliseconds Lease::ttl() const {
  return core_->ttl;
}

std::chrono::milliseconds Lease::valid_for() const {
  return detail::valid_for(*core_);
}

bool Lease::lost() const {
  std::lock_guard lock(core_->mutex);
  return core_->lost;
}

std::string Lease::lost_reason() const {
  std::lock_guard lock(core_->mutex);
  return core_->lost_reason;
}

void Lease::check() const {
  std::lock_guard lock(core_->mutex);
  if (core_->lost) throw LockLost("lock lost: " + core_->lost_reason);
  if (core_->released) throw LockLost("lock released");
  if (detail::SteadyClock::now() >= core_->valid_until) {
    throw LockLost("lock validity ran out (extend it sooner, or use AutoExtension)");
  }
}

bool Lease::extend(std::chrono::milliseconds ttl) {
  return detail::extend(*core_, ttl);
}

bool Lease::release() {
  {
    std::lock_guard lock(core_->mutex);
    if (core_->released) return true;
    core_->released = true;
  }
  return core_->backend->release(core_->resources, core_->value);
}

}  // namespace redwire::patterns
