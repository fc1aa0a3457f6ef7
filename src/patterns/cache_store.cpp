#include "cache_store.hpp"

#include <tuple>

#include "redwire/script.hpp"
#include "sync_calls.hpp"

namespace redwire::patterns::detail {
namespace {

// A key of another type (a plain string written by another client, say) reads as a miss; the
// next write replaces it.
const Script kRead{R"(
if redis.call('TYPE', KEYS[1])['ok'] ~= 'hash' then return {0} end
local f = redis.call('HMGET', KEYS[1], 'v', 'n', 'g', 'd')
if not f[1] then return {0} end
return {1, f[1], tonumber(f[2] or '0'), tonumber(f[3] or '0'), tonumber(f[4] or '0'),
        redis.call('PTTL', KEYS[1])}
)",
                   true};

// KEYS: key, lock. ARGV: value, negative (0/1), hard TTL ms (0: delete), stale ms, load ms,
// token ('' = unconditional). The TTL is set in the same script as the value: never missing.
const Script kWrite{R"(
if ARGV[6] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[6] then return 0 end
redis.call('DEL', KEYS[1])
if tonumber(ARGV[3]) <= 0 then return 1 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'n', ARGV[2], 'g', ARGV[4], 'd', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
)"};

const Script kUnlock{R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)"};

const Script kInvalidate{R"(
local n = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return n
)"};

bool has_hash_tag(std::string_view key) {
  const auto open = key.find('{');
  if (open == std::string_view::npos) return false;
  const auto close = key.find('}', open + 1);
  return close != std::string_view::npos && close > open + 1;
}

}  // namespace

std::string CacheStore::lock_key(std::string_view key) {
  // Without a tag the whole key is hashed, and "{key}" hashes the same bytes (unless the key
  // holds a '}', which would end the tag early: then the lock may sit in another slot).
  if (has_hash_tag(key) || key.find('}') != std::string_view::npos) {
    return std::string(key) + ":lock";
  }
  return "{" + std::string(key) + "}:lock";
}

std::optional<CacheEntry> CacheStore::read(std::string_view key) {
  Reply reply = run_script(redis_, kRead, key, {}, timeout_);
  std::tuple<long long, std::string, long long, long long, long long, long long> row;
  ReplyView v = reply.view();
  if (v.size() == 1) return std::nullopt;  // {0}: miss
  std::string detail;
  if (auto ec = from_reply(v, row, &detail)) throw_error(ec, detail);
  auto& [found, value, negative, grace, load_ms, pttl] = row;
  if (found != 1 || pttl == -2) return std::nullopt;  // -2: expired between HMGET and PTTL
  CacheEntry e;
  e.value = std::move(value);
  e.negative = negative == 1;
  // PTTL -1 (no expiry) cannot come from our writes; treat it as fresh forever.
  e.fresh_left = std::chrono::milliseconds(pttl < 0 ? (1ll << 40) : pttl - grace);
  e.load_time = std::chrono::milliseconds(load_ms);
  return e;
}

bool CacheStore::write(std::string_view key, const CacheWrite& w) {
  const std::string lock = lock_key(key);
  const long long hard = w.fresh_ttl.count() <= 0 ? 0 : (w.fresh_ttl + w.stale_ttl).count();
  const ScriptArgs args{w.value ? std::string_view(*w.value) : std::string_view(),
                        w.value ? "0" : "1",
                        hard,
                        w.stale_ttl.count(),
                        w.load_time.count(),
                        std::string_view(w.lock_token)};
  const std::vector<std::string_view> keys{key, lock};
  Reply reply = run_script(redis_, kWrite, keys, args, timeout_);
  long long written = 0;
  if (auto ec = from_reply(reply.view(), written)) throw_error(ec, "cache write reply");
  return written == 1;
}

std::optional<std::string> CacheStore::try_lock(std::string_view key,
                                                std::chrono::milliseconds ttl) {
  std::string token = random_hex(16);
  const std::string lock = lock_key(key);
  const bool taken = redis_.execute<SetReply>(
      timed(Command("SET", lock, token, "PX", ttl.count(), "NX"), timeout_));
  if (!taken) return std::nullopt;
  return token;
}

void CacheStore::unlock(std::string_view key, const std::string& token) {
  const std::string lock = lock_key(key);
  run_script(redis_, kUnlock, lock, {std::string_view(token)}, timeout_);
}

bool CacheStore::invalidate(std::string_view key) {
  const std::string lock = lock_key(key);
  const std::vector<std::string_view> keys{key, lock};
  Reply reply = run_script(redis_, kInvalidate, keys, {}, timeout_);
  long long n = 0;
  if (auto ec = from_reply(reply.view(), n)) throw_error(ec, "cache invalidate reply");
  return n > 0;
}

}  // namespace redwire::patterns::detail
