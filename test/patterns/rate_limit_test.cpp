// Rate limiters against a real server: exact allow counts at window boundaries (a hand-driven
// clock for the sliding window and GCRA; short real windows for the fixed window, which lives
// on the key's expiry), remaining / retry-after / reset-after, 8 concurrent callers,
// NOSCRIPT, the async form, and fail-open / fail-closed / propagate with the server stopped.
#include <asio/use_future.hpp>
#include <atomic>
#include <deque>
#include <latch>
#include <random>
#include <thread>
#include <vector>

#include "patterns_fixture.hpp"
#include "redwire/patterns/rate_limit.hpp"

namespace redwire::testing {
namespace {

using patterns::Decision;
using patterns::FixedWindow;
using patterns::RateLimiter;
using patterns::RateLimitFailure;
using patterns::RateLimitOptions;
using patterns::SlidingWindow;
using patterns::TokenBucket;

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<long long>> now = std::make_shared<std::atomic<long long>>(1'000'000);
  patterns::RateLimitClock fn() const {
    return [n = now] { return std::chrono::milliseconds(n->load()); };
  }
  void set(long long ms) { now->store(1'000'000 + ms); }
};

RateLimitOptions with_clock(const ManualClock& clock) {
  RateLimitOptions o;
  o.clock = clock.fn();
  return o;
}

using RateLimits = ServerTest;

TEST_F(RateLimits, FixedWindowAllowsExactlyTheLimitThenReopensWhenTheWindowEnds) {
  SyncClient r{options()};
  RateLimiter limiter{r, FixedWindow{5, 400ms}};
  for (long long i = 1; i <= 5; ++i) {
    Decision d = limiter.check("1.2.3.4");
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 5 - i);
    EXPECT_EQ(d.retry_after, 0ms);
    EXPECT_EQ(d.limit, 5);
  }
  Decision denied = limiter.check("1.2.3.4");
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.remaining, 0);
  EXPECT_GT(denied.retry_after, 0ms);
  EXPECT_LE(denied.retry_after, 400ms);
  EXPECT_EQ(denied.reset_after, denied.retry_after);
  EXPECT_EQ(r.get("rl:1.2.3.4"), "5") << "denied requests are not counted";
  EXPECT_TRUE(limiter.check("5.6.7.8").allowed) << "keys per identity";

  std::this_thread::sleep_for(denied.retry_after + 30ms);
  Decision reopened = limiter.check("1.2.3.4");
  EXPECT_TRUE(reopened.allowed);
  EXPECT_EQ(reopened.remaining, 4);
  EXPECT_GT(r.pttl("rl:1.2.3.4"), 0);
}

TEST_F(RateLimits, FixedWindowGivesACounterWithoutTtlItsExpiryBack) {
  SyncClient r{options()};
  RateLimiter limiter{r, FixedWindow{3, 60s}, {.prefix = "rl:ip"}};
  r.set("rl:ip:9.9.9.9", "3");  // what the guide's INCR-then-EXPIRE leaves if EXPIRE never ran
  EXPECT_EQ(r.pttl("rl:ip:9.9.9.9"), -1);
  Decision d = limiter.check("9.9.9.9");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 60s);
  EXPECT_GT(r.pttl("rl:ip:9.9.9.9"), 59'000) << "never immortal";
  Decision cost = limiter.check("8.8.8.8", 2);
  EXPECT_TRUE(cost.allowed);
  EXPECT_EQ(cost.remaining, 1);
  EXPECT_FALSE(limiter.check("8.8.8.8", 2).allowed) << "a cost that does not fit is refused";
  EXPECT_TRUE(limiter.check("8.8.8.8", 1).allowed);
}

TEST_F(RateLimits, SlidingWindowIsExactAtItsBoundariesOnAHandDrivenClock) {
  SyncClient r{options()};
  ManualClock clock;
  RateLimiter limiter{r, SlidingWindow{3, 1000ms}, with_clock(clock)};
  auto at = [&](long long ms) {
    clock.set(ms);
    return limiter.check("u");
  };
  EXPECT_TRUE(at(0).allowed);
  EXPECT_TRUE(at(100).allowed);
  Decision third = at(200);
  EXPECT_TRUE(third.allowed);
  EXPECT_EQ(third.remaining, 0);
  Decision d = at(300);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, 700ms) << "the request at 0 leaves at 1000";
  EXPECT_EQ(d.reset_after, 900ms) << "the request at 200 leaves at 1200";
  EXPECT_EQ(at(999).retry_after, 1ms);
  Decision boundary = at(1000);
  EXPECT_TRUE(boundary.allowed) << "exactly one window after the first request";
  EXPECT_EQ(boundary.remaining, 0);
  EXPECT_EQ(at(1050).retry_after, 50ms);
  EXPECT_TRUE(at(1100).allowed);
  EXPECT_EQ(r.zcard("rl:u"), 3) << "the log holds the allowed requests only";
}

TEST_F(RateLimits, SlidingWindowMatchesAReferenceModelOnRandomTraffic) {
  SyncClient r{options()};
  ManualClock clock;
  constexpr long long kLimit = 7;
  constexpr long long kWindow = 500;
  RateLimiter limiter{r, SlidingWindow{kLimit, std::chrono::milliseconds(kWindow)},
                      with_clock(clock)};
  std::mt19937 rng(12345);
  std::deque<long long> log;  // allowed request times, oldest first
  long long t = 0;
  int allowed = 0;
  for (int i = 0; i < 400; ++i) {
    t += std::uniform_int_distribution<long long>(0, 60)(rng);
    const long long cost = std::uniform_int_distribution<long long>(1, 3)(rng);
    while (!log.empty() && log.front() <= t - kWindow) log.pop_front();
    const bool expect = static_cast<long long>(log.size()) + cost <= kLimit;
    long long expect_retry = 0;
    if (expect) {
      for (long long c = 0; c < cost; ++c) log.push_back(t);
    } else {
      expect_retry = log[log.size() + cost - kLimit - 1] + kWindow - t;
    }
    clock.set(t);
    Decision d = limiter.check("model", cost);
    ASSERT_EQ(d.allowed, expect) << "request " << i << " at " << t;
    ASSERT_EQ(d.remaining, kLimit - static_cast<long long>(log.size())) << i;
    ASSERT_EQ(d.retry_after.count(), expect_retry) << i;
    allowed += expect;
  }
  EXPECT_GT(allowed, 50);
}

TEST_F(RateLimits, TokenBucketRefillsOneTokenPerIntervalOnAHandDrivenClock) {
  SyncClient r{options()};
  ManualClock clock;
  RateLimiter limiter{r, TokenBucket{.capacity = 10, .rate = 10, .period = 1s}, with_clock(clock)};
  clock.set(0);
  for (long long i = 1; i <= 10; ++i) {
    Decision d = limiter.check("k");
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 10 - i);
  }
  Decision empty = limiter.check("k");
  EXPECT_FALSE(empty.allowed);
  EXPECT_EQ(empty.remaining, 0);
  EXPECT_EQ(empty.retry_after, 100ms) << "one token per 100 ms";
  EXPECT_EQ(empty.reset_after, 1000ms);
  clock.set(99);
  EXPECT_FALSE(limiter.check("k").allowed);
  clock.set(100);
  Decision one = limiter.check("k");
  EXPECT_TRUE(one.allowed);
  EXPECT_EQ(one.remaining, 0);
  clock.set(450);  // 3.5 intervals later: three tokens
  EXPECT_EQ(limiter.check("k", 4).retry_after, 50ms);
  EXPECT_TRUE(limiter.check("k", 3).allowed);
  EXPECT_FALSE(limiter.check("k").allowed);
  clock.set(10'000);  // long idle: a full bucket, not more
  Decision full = limiter.check("k");
  EXPECT_EQ(full.remaining, 9);
  EXPECT_EQ(full.reset_after, 100ms);
}

TEST_F(RateLimits, TokenBucketWithAFractionalIntervalNeverAllowsMoreThanItsRate) {
  SyncClient r{options()};
  ManualClock clock;
  RateLimiter limiter{r, TokenBucket{.capacity = 1, .rate = 3, .period = 1s}, with_clock(clock)};
  int allowed = 0;
  for (long long t = 0; t < 3000; t += 10) {  // 300 attempts over 3 s
    clock.set(t);
    allowed += limiter.check("frac").allowed;
  }
  EXPECT_EQ(allowed, 9) << "3 per second for 3 seconds (one every 333.3 ms)";
}

TEST_F(RateLimits, EightConcurrentCallersGetExactlyTheLimitFromEveryAlgorithm) {
  SyncClient r{options()};
  RateLimiter fixed{r, FixedWindow{100, 60s}, {.prefix = "fw"}};
  RateLimiter sliding{r, SlidingWindow{100, 60s}, {.prefix = "sw"}};
  RateLimiter bucket{r, TokenBucket{.capacity = 100, .rate = 1, .period = 1h}, {.prefix = "tb"}};
  for (RateLimiter* limiter : {&fixed, &sliding, &bucket}) {
    std::atomic<int> allowed{0};
    std::latch start{8};
    std::vector<std::thread> callers;
    for (int t = 0; t < 8; ++t) {
      callers.emplace_back([&] {
        start.arrive_and_wait();
        for (int i = 0; i < 40; ++i) allowed += limiter->check("shared").allowed;
      });
    }
    for (auto& c : callers) c.join();
    EXPECT_EQ(allowed, 100) << limiter->options().prefix << ": 320 attempts, limit 100";
  }
}

TEST_F(RateLimits, ScriptCacheFlushIsHarmlessAndTheAsyncFormDecidesTheSame) {
  SyncClient r{options()};
  RateLimiter limiter{r, FixedWindow{2, 60s}};
  EXPECT_TRUE(limiter.check("a").allowed);
  server.cli("SCRIPT", "FLUSH");
  Decision d = limiter.async_check("a", 1, asio::use_future).get();
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  std::promise<Decision> p;
  limiter.async_check("a", 1, [&](std::error_code ec, Decision x) {
    EXPECT_FALSE(ec);
    p.set_value(x);
  });
  EXPECT_FALSE(p.get_future().get().allowed);
}

TEST_F(RateLimits, RejectsRulesAndCostsThatCanNeverPass) {
  SyncClient r{options()};
  ManualClock clock;
  EXPECT_THROW((RateLimiter{r, FixedWindow{0, 1s}}), std::invalid_argument);
  EXPECT_THROW((RateLimiter{r, TokenBucket{.capacity = 5, .rate = 0}}), std::invalid_argument);
  EXPECT_THROW((RateLimiter{r, FixedWindow{5, 1s}, with_clock(clock)}), std::invalid_argument);
  RateLimiter limiter{r, SlidingWindow{5, 1s}};
  EXPECT_THROW(limiter.check("x", 6), std::invalid_argument);
  EXPECT_THROW(limiter.check("x", 0), std::invalid_argument);
}

TEST_F(RateLimits, FailsOpenClosedOrLoudAsChosenWithTheServerStopped) {
  SyncClient r{options()};
  RateLimiter open{r, FixedWindow{1, 60s}, {.on_redis_error = RateLimitFailure::allow}};
  RateLimiter closed{r, SlidingWindow{1, 60s}, {.on_redis_error = RateLimitFailure::deny}};
  RateLimiter loud{r, TokenBucket{.capacity = 1, .rate = 1}};
  EXPECT_TRUE(open.check("x").allowed);
  EXPECT_FALSE(open.check("x").allowed);
  server.stop();
  Decision o = open.check("x");
  EXPECT_TRUE(o.allowed) << "fail open";
  EXPECT_TRUE(o.error);
  Decision c = closed.check("x");
  EXPECT_FALSE(c.allowed) << "fail closed";
  EXPECT_TRUE(c.error);
  EXPECT_EQ(c.retry_after, 1s);
  EXPECT_THROW(loud.check("x"), redwire::Error);
  auto [ec, d] = [&] {
    std::promise<std::pair<std::error_code, Decision>> p;
    loud.async_check("x", 1, [&](std::error_code e, Decision x) { p.set_value({e, x}); });
    return p.get_future().get();
  }();
  EXPECT_TRUE(ec) << "async propagate completes with the error";
}

}  // namespace
}  // namespace redwire::testing
