// Cache-aside policy: fresh / stale / miss decisions, single-flight per key in this process,
// the cross-process stampede lock with polling, background refreshes and fail-soft.
#include "redwire/patterns/cache.hpp"

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <cmath>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "cache_store.hpp"

namespace redwire::patterns {
namespace detail {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

double uniform01() {  // (0, 1]
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return 1.0 - std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

milliseconds scaled(milliseconds ttl, double factor) {
  return milliseconds(
      static_cast<long long>(std::llround(static_cast<double>(ttl.count()) * factor)));
}

}  // namespace

class CacheCore {
 public:
  using RawLoader = std::function<std::optional<std::string>()>;
  struct Outcome {
    std::optional<std::string> bytes;
    bool from_cache = false;
  };

  CacheCore(SyncClient& redis, CacheOptions options)
      : options_(std::move(options)),
        store_(redis, options_.redis_timeout),
        pool_(options_.refresh_threads == 0 ? 1 : options_.refresh_threads) {}

  // Refresh tasks use `this`: the owner joins them before destroying the core.
  void join() { pool_.join(); }

  const CacheOptions& options() const noexcept { return options_; }

  Outcome load(std::string_view key, milliseconds ttl, const RawLoader& loader, bool negative_ok,
               bool bypass_read) {
    Outcome out = lookup(key, ttl, loader, negative_ok, bypass_read);
    if (!out.bytes && !negative_ok) {
      throw std::logic_error("cache: a \"not found\" reached a loader of plain T for key " +
                             std::string(key) + " (one key, two kinds of loader?)");
    }
    return out;
  }

  std::optional<std::string> peek(std::string_view key) {
    if (bypassing()) return std::nullopt;
    try {
      auto e = store_.read(key);
      if (!e || e->negative) return std::nullopt;
      return std::move(e->value);
    } catch (const redwire::Error&) {
      redis_failed();
      return std::nullopt;
    }
  }

  void store(std::string_view key, std::string bytes, milliseconds ttl) {
    if (bypassing()) return;
    try {
      store_.write(key, make_write(std::move(bytes), ttl, options_.stale_ttl, 0ms, {}));
    } catch (const redwire::Error&) {
      redis_failed();
    }
  }

  bool invalidate(std::string_view key) { return store_.invalidate(key); }

  CacheStats stats() const {
    CacheStats s;
    s.hits = hits_;
    s.stale_hits = stale_hits_;
    s.misses = misses_;
    s.loads = loads_;
    s.shared_loads = shared_loads_;
    s.lock_waits = lock_waits_;
    s.refreshes = refreshes_;
    s.writes_skipped = writes_skipped_;
    s.redis_errors = redis_errors_;
    return s;
  }

 private:
  struct Flight {
    std::promise<Outcome> promise;
    std::shared_future<Outcome> future = promise.get_future().share();
  };

  Outcome lookup(std::string_view key, milliseconds ttl, const RawLoader& loader, bool negative_ok,
                 bool bypass_read) {
    if (bypassing()) return single_flight(key, ttl, loader, negative_ok, false);
    if (!bypass_read) {
      std::optional<CacheEntry> e;
      try {
        e = store_.read(key);
      } catch (const redwire::Error&) {
        redis_failed();  // throws unless failing soft
        return single_flight(key, ttl, loader, negative_ok, false);
      }
      if (e && (!e->negative || negative_ok)) {
        if (e->fresh_left > 0ms) {
          ++hits_;
          if (early_refresh_due(*e)) refresh(key, ttl, loader, e->fresh_left);
          return {e->negative ? std::nullopt : std::optional(std::move(e->value)), true};
        }
        if (options_.stale_ttl > 0ms && !e->negative) {
          ++stale_hits_;
          refresh(key, ttl, loader, e->fresh_left);
          return {std::move(e->value), true};
        }
      }
    }
    ++misses_;
    return single_flight(key, ttl, loader, negative_ok, true, !bypass_read);
  }

  bool early_refresh_due(const CacheEntry& e) const {
    if (options_.early_refresh_beta <= 0 || e.load_time <= 0ms) return false;
    const double gap = static_cast<double>(e.load_time.count()) * options_.early_refresh_beta *
                       -std::log(uniform01());
    return gap >= static_cast<double>(e.fresh_left.count());
  }

  // One load per key at a time in this process; the others wait for its outcome.
  Outcome single_flight(std::string_view key, milliseconds ttl, const RawLoader& loader,
                        bool negative_ok, bool use_redis, bool accept_cached = true) {
    auto [flight, leader] = join(key);
    if (!leader) {
      ++shared_loads_;
      return flight->future.get();  // rethrows the leader's exception
    }
    return lead(std::string(key), flight, [&] {
      if (!use_redis) return Outcome{run_loader(loader).first, false};
      return load_through_lock(key, ttl, loader, negative_ok, std::nullopt, accept_cached);
    });
  }

  // Stale-while-revalidate and early refresh: one background load per key, unless one is
  // already running (a miss or a refresh).
  void refresh(std::string_view key, milliseconds ttl, const RawLoader& loader, milliseconds seen) {
    auto [flight, leader] = join(key);
    if (!leader) return;
    ++refreshes_;
    asio::post(pool_, [self = this, k = std::string(key), ttl, loader, seen, f = flight] {
      try {
        self->lead(k, f, [&] { return self->load_through_lock(k, ttl, loader, true, seen); });
      } catch (...) {
        if (self->options_.on_refresh_error)
          self->options_.on_refresh_error(k, std::current_exception());
      }
    });
  }

  std::pair<std::shared_ptr<Flight>, bool> join(std::string_view key) {
    std::lock_guard lock(flights_mutex_);
    auto it = flights_.find(std::string(key));
    if (it != flights_.end()) return {it->second, false};
    auto f = std::make_shared<Flight>();
    flights_.emplace(std::string(key), f);
    return {f, true};
  }

  template <class Work>
  Outcome lead(const std::string& key, const std::shared_ptr<Flight>& flight, Work work) {
    try {
      Outcome out = work();
      flight->promise.set_value(out);
      leave(key);
      return out;
    } catch (...) {
      flight->promise.set_exception(std::current_exception());
      leave(key);
      throw;
    }
  }

  void leave(const std::string& key) {
    std::lock_guard lock(flights_mutex_);
    flights_.erase(key);
  }

  // A cached entry that answers a load: present, usable, and fresher than what the caller saw
  // (a refresh saw a stale or nearly expired entry; a miss saw nothing).
  static bool answers(const std::optional<CacheEntry>& e, bool negative_ok,
                      const std::optional<milliseconds>& seen) {
    if (!e || (e->negative && !negative_ok)) return false;
    return e->fresh_left > (seen ? *seen : 0ms);
  }

  static Outcome from_entry(CacheEntry& e) {
    return {e.negative ? std::nullopt : std::optional(std::move(e.value)), true};
  }

  // Takes the stampede lock (or waits for the process that has it), loads, writes, unlocks.
  // Without accept_cached (the cached bytes did not decode) it loads at once.
  Outcome load_through_lock(std::string_view key, milliseconds ttl, const RawLoader& loader,
                            bool negative_ok, std::optional<milliseconds> seen,
                            bool accept_cached = true) {
    std::string token;
    if (options_.stampede_lock && !accept_cached) {
      try {
        if (auto t = store_.try_lock(key, options_.lock_ttl)) token = std::move(*t);
      } catch (const redwire::Error&) {
        redis_failed();
        return {run_loader(loader).first, false};
      }
    } else if (options_.stampede_lock) {
      const auto deadline = Clock::now() + options_.lock_wait;
      bool counted = false;
      for (;;) {
        std::optional<CacheEntry> e;
        try {
          if (auto t = store_.try_lock(key, options_.lock_ttl)) token = std::move(*t);
          e = store_.read(key);  // after taking the lock: did someone just write it?
        } catch (const redwire::Error&) {
          redis_failed();
          return {run_loader(loader).first, false};
        }
        if (answers(e, negative_ok, seen)) {
          if (!token.empty()) release(key, token);
          return from_entry(*e);
        }
        if (!token.empty()) break;
        if (seen && e) return from_entry(*e);  // a refresh: another process is on it
        if (!counted) {
          ++lock_waits_;
          counted = true;
        }
        if (Clock::now() >= deadline) break;  // waited long enough: load without the lock
        std::this_thread::sleep_for(options_.lock_poll);
      }
    }
    auto [value, took] = run_loader(loader, [&] {
      if (!token.empty()) release(key, token);
    });
    const milliseconds fresh = value ? ttl : options_.negative_ttl;
    try {
      if (!store_.write(key,
                        make_write(value, fresh, value ? options_.stale_ttl : 0ms, took, token))) {
        ++writes_skipped_;
      }
    } catch (const redwire::Error&) {
      if (!token.empty()) release(key, token);
      redis_failed();
      return {std::move(value), false};
    }
    if (!token.empty()) release(key, token);
    return {std::move(value), false};
  }

  template <class OnError = void (*)()>
  std::pair<std::optional<std::string>, milliseconds> run_loader(
      const RawLoader& loader, OnError on_error = [] {}) {
    ++loads_;
    const auto start = Clock::now();
    try {
      std::optional<std::string> v = loader();
      return {std::move(v), std::chrono::duration_cast<milliseconds>(Clock::now() - start)};
    } catch (...) {
      on_error();
      throw;
    }
  }

  CacheWrite make_write(std::optional<std::string> value, milliseconds fresh, milliseconds stale,
                        milliseconds took, std::string token) const {
    CacheWrite w;
    w.value = std::move(value);
    w.fresh_ttl = options_.ttl_jitter > 0 && fresh > 0ms
                      ? scaled(fresh, 1.0 + options_.ttl_jitter * (1.0 - uniform01()))
                      : fresh;
    w.stale_ttl = stale;
    w.load_time = took;
    w.lock_token = std::move(token);
    return w;
  }

  void release(std::string_view key, const std::string& token) {
    try {
      store_.unlock(key, token);
    } catch (const redwire::Error&) {
      ++redis_errors_;  // the lock expires on its own after lock_ttl
    }
  }

  // Counts the failure; rethrows it unless the caller chose to fail soft.
  void redis_failed() {
    ++redis_errors_;
    if (options_.on_redis_error == OnRedisError::propagate) throw;
    const auto until = Clock::now() + options_.error_backoff;
    bypass_until_.store(until.time_since_epoch().count(), std::memory_order_relaxed);
  }

  bool bypassing() const {
    if (options_.on_redis_error != OnRedisError::load_from_source) return false;
    return Clock::now().time_since_epoch().count() < bypass_until_.load(std::memory_order_relaxed);
  }

  CacheOptions options_;
  CacheStore store_;
  asio::thread_pool pool_;
  std::mutex flights_mutex_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::atomic<Clock::rep> bypass_until_{0};
  std::atomic<std::uint64_t> hits_{0}, stale_hits_{0}, misses_{0}, loads_{0}, shared_loads_{0},
      lock_waits_{0}, refreshes_{0}, writes_skipped_{0}, redis_errors_{0};
};

}  // namespace detail

Cache::Cache(SyncClient& redis, CacheOptions options)
    : core_(std::make_unique<detail::CacheCore>(redis, std::move(options))) {}

Cache::~Cache() {
  core_->join();
}

Cache::RawResult Cache::load_raw(std::string_view key, std::chrono::milliseconds ttl,
                                 RawLoader loader, bool negative_ok, bool bypass_read) {
  auto out = core_->load(key, ttl, loader, negative_ok, bypass_read);
  return {std::move(out.bytes), out.from_cache};
}

std::optional<std::string> Cache::peek_raw(std::string_view key) {
  return core_->peek(key);
}

void Cache::store_raw(std::string_view key, std::string bytes, std::chrono::milliseconds ttl) {
  core_->store(key, std::move(bytes), ttl);
}

bool Cache::invalidate(std::string_view key) {
  return core_->invalidate(key);
}

CacheStats Cache::stats() const {
  return core_->stats();
}

const CacheOptions& Cache::options() const noexcept {
  return core_->options();
}

}  // namespace redwire::patterns
