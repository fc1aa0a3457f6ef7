// Fixed window: the guide's INCR + EXPIRE with its gaps closed. One script checks, counts and
// sets the expiry, so a process dying between INCR and EXPIRE cannot leave a counter without a
// TTL (which would block an identity forever); a key found without a TTL gets one back.
// Denied requests are not counted, so `remaining` never goes negative and a denied request of
// cost N consumes nothing.
#include "rate_limit_scripts.hpp"

namespace redwire::patterns::detail {
namespace {

// ARGV: limit, window ms, cost.
const Script kFixedWindow{R"(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if count + cost > limit then
  if ttl < 0 then
    ttl = window
    if count > 0 then redis.call('PEXPIRE', KEYS[1], window) end
  end
  return {0, limit - count, ttl, ttl}
end
count = redis.call('INCRBY', KEYS[1], cost)
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], window)
  ttl = window
end
return {1, limit - count, 0, ttl}
)"};

}  // namespace

LimiterCall fixed_window_call(const FixedWindow& rule, long long cost) {
  return {&kFixedWindow, {rule.limit, rule.window.count(), cost}};
}

}  // namespace redwire::patterns::detail
