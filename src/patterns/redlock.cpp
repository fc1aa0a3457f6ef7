// Redlock: majority acquisition within the validity (steady_clock), release everywhere,
// extension on a majority, optional fencing tokens.
#include "redwire/patterns/redlock.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <thread>

#include "lease_core.hpp"
#include "lock_instances.hpp"
#include "lock_scripts.hpp"
#include "sync_calls.hpp"

namespace redwire::patterns {
namespace detail {
namespace {

std::chrono::milliseconds jittered(std::chrono::milliseconds delay,
                                   std::chrono::milliseconds jitter) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  long long j = 0;
  if (jitter > 0ms) {
    j = std::uniform_int_distribution<long long>(-jitter.count(), jitter.count())(rng);
  }
  return std::chrono::milliseconds(std::max(0ll, delay.count() + j));
}

// The integer a lock script returned (the first element for the fenced acquire), or -1.
long long count_of(const LockInstances::Answer& a) {
  if (a.ec) return -1;
  ReplyView v = a.reply.view();
  if (v.is_aggregate()) {
    if (v.size() == 0) return -1;
    v = v.child(0);
  }
  long long n = -1;
  if (from_reply(v, n)) return -1;
  return n;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

class RedlockCore : public LockBackend, public std::enable_shared_from_this<RedlockCore> {
 public:
  RedlockCore(std::unique_ptr<LockInstances> instances, RedlockOptions options)
      : instances_(std::move(instances)), options_(std::move(options)) {
    if (instances_->size() == 0) throw std::invalid_argument("Redlock: no instances");
    if (options_.drift_factor < 0 || options_.drift_factor >= 1) {
      throw std::invalid_argument("Redlock: drift_factor must be in [0, 1)");
    }
    if (options_.retry_count < -1) throw std::invalid_argument("Redlock: retry_count >= -1");
    if (options_.instance_timeout <= 0ms) {
      throw std::invalid_argument("Redlock: instance_timeout must be positive");
    }
  }

  std::size_t size() const noexcept { return instances_->size(); }
  std::size_t quorum() const noexcept { return instances_->size() / 2 + 1; }
  const RedlockOptions& options() const noexcept { return options_; }

  struct Attempt {
    std::shared_ptr<LeaseCore> lease;
    std::string summary;  // why not, when not
  };

  Attempt attempt(const std::vector<std::string>& resources, std::chrono::milliseconds ttl) {
    const std::string value = random_hex(16);
    std::vector<std::string> keys = resources;
    ScriptArgs args{std::string_view(value), ttl.count()};
    if (options_.fencing) {
      for (const auto& r : resources) keys.push_back(r + options_.fence_suffix);
      args.emplace_back(static_cast<long long>(resources.size()));
    }
    const auto start = SteadyClock::now();
    const auto answers =
        instances_->run_everywhere(options_.fencing ? fenced_acquire_script() : acquire_script(),
                                   keys, args, options_.instance_timeout);
    const long long n = static_cast<long long>(resources.size());
    std::size_t yes = 0;
    std::vector<std::string> notes;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const long long c = count_of(answers[i]);
      if (c == n) {
        ++yes;
      } else {
        notes.push_back(instances_->name(i) + " " + describe(answers[i], c));
      }
    }
    std::string summary = std::to_string(yes) + " of " + std::to_string(size()) +
                          " instances (quorum " + std::to_string(quorum()) + ")" +
                          (notes.empty() ? "" : ": " + join(notes));
    if (yes >= quorum()) {
      std::vector<long long> tokens;
      if (options_.fencing) tokens = publish_tokens(resources, answers, n, summary);
      const auto until = valid_until(start, ttl, options_.drift_factor);
      if ((!options_.fencing || !tokens.empty()) && SteadyClock::now() < until) {
        return {std::make_shared<LeaseCore>(shared_from_this(), resources, value, std::move(tokens),
                                            ttl, until),
                {}};
      }
      if (!options_.fencing || !tokens.empty()) summary += "; validity used up while acquiring";
    }
    release(resources, value);  // whatever was taken on a minority
    return {nullptr, std::move(summary)};
  }

  ExtendOutcome extend(const std::vector<std::string>& resources, const std::string& value,
                       std::chrono::milliseconds ttl) override {
    const auto start = SteadyClock::now();
    const auto answers = instances_->run_everywhere(extend_script(), resources,
                                                    {std::string_view(value), ttl.count()},
                                                    options_.instance_timeout);
    const long long n = static_cast<long long>(resources.size());
    std::size_t yes = 0, refused = 0;
    std::vector<std::string> notes;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      const long long c = count_of(answers[i]);
      if (c == n) {
        ++yes;
        continue;
      }
      if (c == 0) ++refused;
      notes.push_back(instances_->name(i) + " " + describe(answers[i], c));
    }
    ExtendOutcome out;
    out.valid_until = valid_until(start, ttl, options_.drift_factor);
    out.ok = yes >= quorum() && SteadyClock::now() < out.valid_until;
    // With more than N - quorum instances saying "not yours", no majority can confirm it again.
    out.refused = refused > size() - quorum();
    out.reason = std::to_string(yes) + " of " + std::to_string(size()) + " instances (quorum " +
                 std::to_string(quorum()) + ") confirmed" +
                 (notes.empty() ? "" : ": " + join(notes));
    return out;
  }

  bool release(const std::vector<std::string>& resources, const std::string& value) override {
    try {
      const auto answers = instances_->run_everywhere(
          release_script(), resources, {std::string_view(value)}, options_.instance_timeout);
      std::size_t answered = 0;
      for (const auto& a : answers) answered += a.ec ? 0 : 1;
      return answered >= quorum();
    } catch (...) {
      return false;  // the keys expire on their own
    }
  }

 private:
  static std::string describe(const LockInstances::Answer& a, long long count) {
    if (a.ec) return "failed (" + (a.detail.empty() ? a.ec.message() : a.detail) + ")";
    if (count == 0) return "refused (held by another value, or expired)";
    return "answered " + a.reply.to_string();
  }

  // The highest token each counter reached on the instances that granted the lock, written back
  // to a majority so that any later majority's INCR exceeds it. Empty (and `summary` says why)
  // when the write-back did not reach a majority.
  std::vector<long long> publish_tokens(const std::vector<std::string>& resources,
                                        const std::vector<LockInstances::Answer>& answers,
                                        long long n, std::string& summary) {
    std::vector<long long> tokens(resources.size(), 0);
    for (const auto& a : answers) {
      if (count_of(a) != n) continue;
      ReplyView v = a.reply.view();
      for (std::size_t r = 0; r < resources.size() && r + 1 < v.child_count(); ++r) {
        long long t = 0;
        if (!from_reply(v.child(r + 1), t)) tokens[r] = std::max(tokens[r], t);
      }
    }
    std::vector<std::string> fences;
    ScriptArgs args;
    for (std::size_t r = 0; r < resources.size(); ++r) {
      fences.push_back(resources[r] + options_.fence_suffix);
      args.emplace_back(tokens[r]);
    }
    const auto raised =
        instances_->run_everywhere(raise_fence_script(), fences, args, options_.instance_timeout);
    std::size_t stored = 0;
    for (const auto& a : raised) stored += a.ec ? 0 : 1;
    if (stored >= quorum()) return tokens;
    summary += "; fencing tokens stored on " + std::to_string(stored) + " instances only";
    return {};
  }

  std::unique_ptr<LockInstances> instances_;
  RedlockOptions options_;
};

}  // namespace detail

Redlock::Redlock(const std::vector<Options>& instances, RedlockOptions options)
    : core_(std::make_shared<detail::RedlockCore>(
          std::make_unique<detail::LockInstances>(instances), std::move(options))) {}

Redlock::Redlock(std::vector<Client*> instances, RedlockOptions options)
    : core_(std::make_shared<detail::RedlockCore>(
          std::make_unique<detail::LockInstances>(std::move(instances)), std::move(options))) {}

Redlock::~Redlock() = default;

std::optional<Lease> Redlock::try_acquire(const std::vector<std::string>& resources,
                                          std::chrono::milliseconds ttl) {
  if (resources.empty() || ttl <= 0ms) {
    throw std::invalid_argument("Redlock: at least one resource and a positive TTL");
  }
  auto a = core_->attempt(resources, ttl);
  if (!a.lease) return std::nullopt;
  return Lease(std::move(a.lease));
}

Lease Redlock::acquire(const std::vector<std::string>& resources, std::chrono::milliseconds ttl) {
  if (resources.empty() || ttl <= 0ms) {
    throw std::invalid_argument("Redlock: at least one resource and a positive TTL");
  }
  const auto& o = core_->options();
  for (int attempts = 1;; ++attempts) {
    auto a = core_->attempt(resources, ttl);
    if (a.lease) return Lease(std::move(a.lease));
    if (o.retry_count >= 0 && attempts > o.retry_count) {
      throw LockNotAcquired("Redlock: could not lock " + detail::join(resources) + " after " +
                                std::to_string(attempts) + " attempt(s); last: " + a.summary,
                            attempts);
    }
    std::this_thread::sleep_for(detail::jittered(o.retry_delay, o.retry_jitter));
  }
}

std::size_t Redlock::size() const noexcept {
  return core_->size();
}
std::size_t Redlock::quorum() const noexcept {
  return core_->quorum();
}
const RedlockOptions& Redlock::options() const noexcept {
  return core_->options();
}

}  // namespace redwire::patterns
