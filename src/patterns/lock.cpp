// SingleInstanceLock: SET NX PX (or the fenced acquire script), compare-and-pexpire,
// compare-and-delete, on one server.
#include "redwire/patterns/lock.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <thread>

#include "lease_core.hpp"
#include "lock_scripts.hpp"
#include "sync_calls.hpp"

namespace redwire::patterns {
namespace detail {

class SingleInstanceBackend : public LockBackend {
 public:
  SingleInstanceBackend(SyncClient& redis, const LockOptions& o)
      : redis_(redis), timeout_(o.redis_timeout), drift_factor_(o.drift_factor) {}

  ExtendOutcome extend(const std::vector<std::string>& resources, const std::string& value,
                       std::chrono::milliseconds ttl) override {
    ExtendOutcome out;
    const auto start = SteadyClock::now();
    try {
      Reply reply = run_script(redis_, extend_script(), StringList(resources),
                               {std::string_view(value), ttl.count()}, timeout_);
      long long n = 0;
      from_reply(reply.view(), n);
      out.valid_until = valid_until(start, ttl, drift_factor_);
      out.ok =
          n == static_cast<long long>(resources.size()) && SteadyClock::now() < out.valid_until;
      out.refused = n == 0;
      out.reason = out.refused ? "the key no longer holds this lease's value (expired or taken)"
                               : "extended too late";
    } catch (const redwire::Error& e) {
      out.reason = e.what();  // not confirmed; the lease keeps its old validity
    }
    return out;
  }

  bool release(const std::vector<std::string>& resources, const std::string& value) override {
    try {
      run_script(redis_, release_script(), StringList(resources), {std::string_view(value)},
                 timeout_);
      return true;
    } catch (...) {
      return false;  // the key expires on its own
    }
  }

  SyncClient& redis() noexcept { return redis_; }
  std::chrono::milliseconds timeout() const noexcept { return timeout_; }
  double drift_factor() const noexcept { return drift_factor_; }

 private:
  SyncClient& redis_;
  std::chrono::milliseconds timeout_;
  double drift_factor_;
};

}  // namespace detail

SingleInstanceLock::SingleInstanceLock(SyncClient& redis, LockOptions options)
    : options_(std::move(options)),
      backend_(std::make_shared<detail::SingleInstanceBackend>(redis, options_)) {
  if (options_.drift_factor < 0 || options_.drift_factor >= 1 || options_.retry_count < -1) {
    throw std::invalid_argument("SingleInstanceLock: drift_factor in [0, 1), retry_count >= -1");
  }
}

SingleInstanceLock::~SingleInstanceLock() = default;

std::optional<Lease> SingleInstanceLock::try_acquire(std::string_view resource,
                                                     std::chrono::milliseconds ttl) {
  if (ttl <= 0ms) throw std::invalid_argument("SingleInstanceLock: the TTL must be positive");
  const std::string value = detail::random_hex(16);
  const auto start = detail::SteadyClock::now();
  std::vector<long long> tokens;
  if (options_.fencing) {
    const std::string fence = std::string(resource) + options_.fence_suffix;
    Reply reply = detail::run_script(
        backend_->redis(), detail::fenced_acquire_script(), {resource, std::string_view(fence)},
        {std::string_view(value), ttl.count(), 1}, backend_->timeout());
    std::vector<long long> row;
    if (auto ec = from_reply(reply.view(), row)) throw_error(ec, "lock acquire reply");
    if (row.size() != 2 || row[0] != 1) return std::nullopt;
    tokens.push_back(row[1]);
  } else {
    const bool set = backend_->redis().execute<SetReply>(detail::timed(
        Command("SET", resource, value, "PX", ttl.count(), "NX"), backend_->timeout()));
    if (!set) return std::nullopt;
  }
  const auto until = detail::valid_until(start, ttl, options_.drift_factor);
  auto core = std::make_shared<detail::LeaseCore>(backend_, std::vector{std::string(resource)},
                                                  value, std::move(tokens), ttl, until);
  return Lease(std::move(core));
}

Lease SingleInstanceLock::acquire(std::string_view resource, std::chrono::milliseconds ttl) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (int attempts = 1;; ++attempts) {
    if (auto lease = try_acquire(resource, ttl)) return std::move(*lease);
    if (options_.retry_count >= 0 && attempts > options_.retry_count) {
      throw LockNotAcquired("lock " + std::string(resource) + " is held by another holder after " +
                                std::to_string(attempts) + " attempt(s)",
                            attempts);
    }
    const long long j = options_.retry_jitter.count();
    const long long pause = options_.retry_delay.count() +
                            (j > 0 ? std::uniform_int_distribution<long long>(-j, j)(rng) : 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(std::max(0ll, pause)));
  }
}

}  // namespace redwire::patterns
