// Token bucket as GCRA (the generic cell rate algorithm): instead of a token count and a refill
// timestamp, one "theoretical arrival time" (TAT) per identity. A request of cost n pushes the
// TAT n emission intervals (period / rate) ahead; it passes when the new TAT is at most
// capacity intervals ahead of now. Same behaviour as a bucket of `capacity` tokens refilled
// continuously at `rate` per `period`, with one key, one GET and one SET, and no refill loop.
// Times are in microseconds (TIME's resolution); the key expires when the bucket is full again.
#include <charconv>

#include "rate_limit_scripts.hpp"

namespace redwire::patterns::detail {
namespace {

// ARGV: emission interval µs (may be fractional), capacity, cost, now ms (< 0: TIME).
const Script kTokenBucket{R"(
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = now * 1000
end
local tolerance = interval * capacity
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - tolerance
local eps = 1e-6
if now < allow_at - eps then
  return {0, math.floor((tolerance - (tat - now)) / interval + eps),
          math.ceil((allow_at - now) / 1000 - eps), math.ceil((tat - now) / 1000 - eps)}
end
local ahead_ms = math.ceil((new_tat - now) / 1000 - eps)
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.max(ahead_ms, 1))
return {1, math.floor((tolerance - (new_tat - now)) / interval + eps), 0, ahead_ms}
)"};

std::string interval_us(const TokenBucket& rule) {
  const double us = static_cast<double>(std::chrono::microseconds(rule.period).count()) /
                    static_cast<double>(rule.rate);
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, us);
  return std::string(buf, r.ptr);
}

}  // namespace

LimiterCall token_bucket_call(const TokenBucket& rule, long long cost, long long now_ms) {
  return {&kTokenBucket, {interval_us(rule), rule.capacity, cost, now_ms}};
}

}  // namespace redwire::patterns::detail
