// The cache's Redis side: one hash per key written by one script (value, "not found" flag,
// stale window, load time, and the PEXPIRE), read by one read-only script, and the stampede
// lock (SET NX PX with a random token, released by compare-and-delete).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "redwire/sync_client.hpp"

namespace redwire::patterns::detail {

/// One cached entry as read back.
struct CacheEntry {
  std::string value;
  bool negative = false;                 ///< a cached "not found"
  std::chrono::milliseconds fresh_left;  ///< PTTL minus the stale window; <= 0: stale
  std::chrono::milliseconds load_time;   ///< how long the load that wrote it took
};

/// What to write.
struct CacheWrite {
  std::optional<std::string> value;     ///< nullopt: a "not found"
  std::chrono::milliseconds fresh_ttl;  ///< jitter already applied; 0 with no value: delete
  std::chrono::milliseconds stale_ttl;
  std::chrono::milliseconds load_time;
  std::string lock_token;  ///< non-empty: write only while this token holds the lock
};

class CacheStore {
 public:
  CacheStore(SyncClient& redis, std::chrono::milliseconds timeout)
      : redis_(redis), timeout_(timeout) {}

  /// The lock key of `key`, in the same cluster slot: `<key>:lock` when the key has a hash tag,
  /// else `{<key>}:lock`.
  static std::string lock_key(std::string_view key);

  /// Every call throws redwire::Error when Redis fails.
  std::optional<CacheEntry> read(std::string_view key);
  /// False when the token no longer holds the lock (nothing written).
  bool write(std::string_view key, const CacheWrite& w);
  /// The token when the lock was taken, nullopt when another holder has it.
  std::optional<std::string> try_lock(std::string_view key, std::chrono::milliseconds ttl);
  void unlock(std::string_view key, const std::string& token);
  /// Deletes the value and the lock; true when a value was there.
  bool invalidate(std::string_view key);

 private:
  SyncClient& redis_;
  std::chrono::milliseconds timeout_;
};

}  // namespace redwire::patterns::detail
