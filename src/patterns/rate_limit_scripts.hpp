// The rate limiters' Lua scripts and their arguments, one algorithm per source file. Every
// script returns {allowed (0/1), remaining, retry_after_ms, reset_after_ms}.
#pragma once

#include "redwire/patterns/rate_limit.hpp"
#include "redwire/script.hpp"

namespace redwire::patterns::detail {

/// One script call: run `script` with KEYS = {key} and `args`.
struct LimiterCall {
  const Script* script = nullptr;
  ScriptArgs args;
};

/// `now_ms` < 0: the script reads the server's TIME.
LimiterCall fixed_window_call(const FixedWindow& rule, long long cost);
LimiterCall sliding_window_call(const SlidingWindow& rule, long long cost, long long now_ms);
LimiterCall token_bucket_call(const TokenBucket& rule, long long cost, long long now_ms);

}  // namespace redwire::patterns::detail
