// Cache-aside with the protections the guide's `cacheAside` lacks: a miss is a miss (an empty
// string cached is a hit), a TTL with jitter on every write, negative caching, single-flight
// within a process, a short Redis lock against stampedes across processes,
// stale-while-revalidate, probabilistic early refresh (XFetch) and an explicit choice of what
// happens when Redis is down.
//
//   redwire::SyncClient redis{"redis://127.0.0.1"};
//   redwire::patterns::Cache cache{redis, {.stale_ttl = 30s, .on_redis_error =
//                                          redwire::patterns::OnRedisError::load_from_source}};
//   Profile p = cache.get_or_load<Profile>("user:1001:profile", 1h, [id] { return db.user(id); });
//   std::optional<Profile> q = cache.get_or_load<Profile>(     // nullopt: not in the database;
//       "user:9999:profile", 1h, [] { return db.find_user(9999); });  // cached for negative_ttl
//   cache.invalidate("user:1001:profile");
//
// Storage: one hash per key — v (the Codec<T> bytes), n (1 for a cached "not found"), g (the
// stale window in ms), d (how long the last load took, for XFetch) — with a PEXPIRE of
// fresh TTL x jitter + stale window, written by one script (the TTL can never be missing).
// Freshness is read from the key's own PTTL: no client clock is involved. The stampede lock is
// `<key>:lock` (inside the key's hash tag, or `{key}:lock`, so it shares the key's cluster
// slot) holding a random token.
//
// Thread-safe; the blocking facade only. See docs/patterns.md for the guarantees and limits.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "redwire/patterns/codec.hpp"
#include "redwire/sync_client.hpp"

namespace redwire::patterns {

using namespace std::chrono_literals;

/// What a cache call does when Redis fails (down, timeout, error reply).
enum class OnRedisError {
  propagate,         ///< throw the redwire::Error to the caller
  load_from_source,  ///< fail soft: run the loader, return its value, cache nothing
};

struct CacheOptions {
  /// Every write's fresh TTL is multiplied by a random factor in [1, 1 + ttl_jitter], so that
  /// keys written together do not expire together. 0 = exact TTLs.
  double ttl_jitter = 0.1;
  /// Stale-while-revalidate: after the fresh TTL the value stays this long; a caller that finds
  /// it gets it at once while one refresh (one per process, one across processes with the
  /// stampede lock) runs in the background. 0 = off: an expired value is a miss.
  std::chrono::milliseconds stale_ttl = 0ms;
  /// Probabilistic early refresh (XFetch, Vattani et al. 2015): a fresh value is refreshed in
  /// the background with a probability that grows as its expiry nears and with how long its
  /// load took: refresh when  load_time * beta * -ln(U(0,1]) >= remaining fresh time.
  /// 1.0 is the paper's choice; 0 = off.
  double early_refresh_beta = 0;
  /// Negative caching: a loader returning std::nullopt ("not found") is remembered this long.
  /// 0 = not remembered (every call asks the source again).
  std::chrono::milliseconds negative_ttl = 0ms;

  /// Cross-process stampede protection: before loading, take `<key>:lock` (SET NX PX with a
  /// random token). Others poll the cache every lock_poll for up to lock_wait, then load
  /// themselves. The loader should finish within lock_ttl: a value loaded after the lock
  /// expired (or after invalidate()) is not written, since a newer load may have run.
  bool stampede_lock = true;
  std::chrono::milliseconds lock_ttl = 5s;
  std::chrono::milliseconds lock_wait = 3s;
  std::chrono::milliseconds lock_poll = 10ms;

  /// Bound on each Redis call (offline queueing included). 0 = the client's command_timeout.
  std::chrono::milliseconds redis_timeout = 500ms;
  /// What happens when Redis fails. No default behaviour is hidden: propagate unless you say so.
  OnRedisError on_redis_error = OnRedisError::propagate;
  /// With load_from_source: after a Redis failure, go straight to the source for this long
  /// (so that a dead Redis costs one redis_timeout per error_backoff, not one per call).
  std::chrono::milliseconds error_backoff = 1s;

  /// Threads running background refreshes (stale-while-revalidate, early refresh).
  std::size_t refresh_threads = 1;
  /// Told when a background refresh fails (the loader threw, or Redis failed). Optional.
  std::function<void(std::string_view key, std::exception_ptr error)> on_refresh_error{};
};

/// Counters since construction.
struct CacheStats {
  std::uint64_t hits = 0;            ///< fresh value (or cached "not found") returned
  std::uint64_t stale_hits = 0;      ///< stale value returned while a refresh was started
  std::uint64_t misses = 0;          ///< nothing usable in Redis
  std::uint64_t loads = 0;           ///< loader calls (misses, refreshes, fail-soft)
  std::uint64_t shared_loads = 0;    ///< callers served by another thread's load (single-flight)
  std::uint64_t lock_waits = 0;      ///< misses that waited for another process's load
  std::uint64_t refreshes = 0;       ///< background refreshes started
  std::uint64_t writes_skipped = 0;  ///< loads not written (lock lost or invalidated meanwhile)
  std::uint64_t redis_errors = 0;    ///< Redis failures seen (fail-soft or propagated)
};

namespace detail {
class CacheCore;
}

class Cache {
 public:
  /// The client must outlive the Cache.
  explicit Cache(SyncClient& redis, CacheOptions options = {});
  /// Waits for background refreshes already started.
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  /// Returns the cached value of `key`, or runs `loader`, caches what it returns for `ttl`
  /// (plus jitter, plus the stale window) and returns it.
  ///
  /// `loader` returns T, or std::optional<T> where std::nullopt means "not found" (cached for
  /// negative_ttl); the call returns the same type. It runs at most once per key at a time in
  /// this process; its exception reaches every caller waiting for it and nothing is cached.
  /// With stale_ttl or early_refresh_beta it may run later on a refresh thread, after this call
  /// returned: it is copied, so capture what it needs by value.
  template <Encodable T, class Loader>
  requires std::is_invocable_v<Loader&>
  auto get_or_load(std::string_view key, std::chrono::milliseconds ttl, Loader loader) {
    using R = std::invoke_result_t<Loader&>;
    constexpr bool optional_result = std::is_same_v<R, std::optional<T>>;
    static_assert(optional_result || std::is_convertible_v<R, T>,
                  "the loader returns T or std::optional<T>");
    static_assert(std::is_copy_constructible_v<Loader>, "the loader is copied for refreshes");
    RawLoader raw = [loader]() mutable -> std::optional<std::string> {
      if constexpr (optional_result) {
        std::optional<T> v = loader();
        if (!v) return std::nullopt;
        return Codec<T>::encode(*v);
      } else {
        return Codec<T>::encode(T(loader()));
      }
    };
    auto decode = [](const std::optional<std::string>& bytes) -> std::optional<T> {
      if (!bytes) return std::nullopt;
      return Codec<T>::decode(*bytes);
    };
    RawResult r = load_raw(key, ttl, raw, optional_result, false);
    std::optional<T> out;
    try {
      out = decode(r.bytes);
    } catch (...) {
      if (!r.from_cache) throw;
      // Bytes in Redis that are not a T (an older format, another writer): load again,
      // bypassing the read; the new value replaces them.
      out = decode(load_raw(key, ttl, raw, optional_result, true).bytes);
    }
    if constexpr (optional_result) {
      return out;
    } else {
      return std::move(*out);  // a plain loader always yields bytes
    }
  }

  /// The cached value, without loading: std::nullopt on a miss or a cached "not found".
  /// A stale value (inside the stale window) is returned too.
  template <Encodable T>
  std::optional<T> get(std::string_view key) {
    std::optional<std::string> bytes = peek_raw(key);
    if (!bytes) return std::nullopt;
    return Codec<T>::decode(*bytes);
  }

  /// Write-through: stores `value` for `ttl` (jitter and stale window as for a load).
  template <Encodable T>
  void set(std::string_view key, const T& value, std::chrono::milliseconds ttl) {
    store_raw(key, Codec<T>::encode(value), ttl);
  }

  /// Deletes the value and the stampede lock of `key`: a load in flight (in any process) that
  /// took the lock will not write its result. True when a value was there.
  bool invalidate(std::string_view key);

  CacheStats stats() const;
  const CacheOptions& options() const noexcept;

 private:
  using RawLoader = std::function<std::optional<std::string>()>;
  struct RawResult {
    std::optional<std::string> bytes;  ///< nullopt: "not found" (loaded or cached)
    bool from_cache = false;           ///< read from Redis (else just loaded)
  };
  RawResult load_raw(std::string_view key, std::chrono::milliseconds ttl, RawLoader loader,
                     bool negative_ok, bool bypass_read);
  std::optional<std::string> peek_raw(std::string_view key);
  void store_raw(std::string_view key, std::string bytes, std::chrono::milliseconds ttl);

  std::unique_ptr<detail::CacheCore> core_;
};

}  // namespace redwire::patterns
