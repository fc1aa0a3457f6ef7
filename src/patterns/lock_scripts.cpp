#include "lock_scripts.hpp"

namespace redwire::patterns::detail {

const Script& acquire_script() {
  static const Script script{R"(
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
end
return #KEYS
)"};
  return script;
}

const Script& fenced_acquire_script() {
  static const Script script{R"(
local n = tonumber(ARGV[3])
for i = 1, n do
  if redis.call('EXISTS', KEYS[i]) == 1 then return {0} end
end
local out = {n}
for i = 1, n do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
  out[i + 1] = redis.call('INCR', KEYS[n + i])
end
return out
)"};
  return script;
}

const Script& extend_script() {
  static const Script script{R"(
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) ~= ARGV[1] then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('PEXPIRE', key, ARGV[2])
end
return #KEYS
)"};
  return script;
}

const Script& release_script() {
  static const Script script{R"(
local released = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released
)"};
  return script;
}

const Script& raise_fence_script() {
  static const Script script{R"(
for i, key in ipairs(KEYS) do
  local token = tonumber(ARGV[i])
  if tonumber(redis.call('GET', key) or '0') < token then
    redis.call('SET', key, token)
  end
end
return #KEYS
)"};
  return script;
}

}  // namespace redwire::patterns::detail
