// Sliding window as a sorted-set log: one member per allowed request, scored by its time.
// Chosen over the two-window approximation (two counters, the previous one weighted by the
// overlap) because it is exact — never more than `limit` requests in any interval of length
// `window`, with an exact retry-after (when the oldest blocking entry leaves) — and its cost is
// bounded: denied requests are not logged, so an identity holds at most `limit` members.
// The approximation is O(1) per identity; prefer a FixedWindow or TokenBucket when limits are
// in the tens of thousands per window.
#include "rate_limit_scripts.hpp"
#include "sync_calls.hpp"

namespace redwire::patterns::detail {
namespace {

// ARGV: limit, window ms, cost, now ms (< 0: TIME), a unique prefix for this call's members.
// The window is (now - window, now]: an entry leaves exactly `window` ms after it was added.
const Script kSlidingWindow{R"(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local function leaves_in(index)
  if index < 0 then return 0 end
  local e = redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')
  if #e == 0 then return 0 end
  return tonumber(e[2]) + window - now
end
if count + cost > limit then
  return {0, limit - count, leaves_in(count + cost - limit - 1), leaves_in(count - 1)}
end
for i = 1, cost do
  redis.call('ZADD', KEYS[1], now, ARGV[5] .. i)
end
redis.call('PEXPIRE', KEYS[1], window)
return {1, limit - count - cost, 0, window}
)"};

}  // namespace

LimiterCall sliding_window_call(const SlidingWindow& rule, long long cost, long long now_ms) {
  return {&kSlidingWindow, {rule.limit, rule.window.count(), cost, now_ms, random_hex(8) + ":"}};
}

}  // namespace redwire::patterns::detail
