// The guide's Caching Helpers, Express Middleware: Rate Limiting and Distributed Locks
// (Redlock) sections with redwire::patterns: cache-aside (JSON values, an empty string that is
// a hit, negative caching, single-flight, stale-while-revalidate), the middleware's decision as
// a plain loop (which requests get 429), and Redlock over 3 independent masters — the tour's
// server plus 2 more started here.
#include <nlohmann/json.hpp>

#include <atomic>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "redwire/patterns/cache.hpp"
#include "redwire/patterns/rate_limit.hpp"
#include "redwire/patterns/redlock.hpp"
#include "sections.hpp"
#include "show.hpp"

namespace tour {
namespace {

using namespace std::chrono_literals;
namespace patterns = redwire::patterns;

struct Profile {
  std::string name;
  int age = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Profile, name, age)

void show_profile(std::string_view call, const Profile& p) {
  std::cout << "  " << call << "  ->  Profile{" << describe(p.name) << ", " << p.age << "}\n";
}
std::string ms(std::chrono::milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

void caching(redwire::SyncClient& redis) {
  heading("Caching Helpers: cache-aside");
  note("cacheAside(`user:${userId}:profile`, 3600, () => db.getUser(userId)) becomes:");
  patterns::Cache cache{redis};
  std::atomic<int> db_calls{0};
  auto get_user = [&db_calls] {
    ++db_calls;
    return Profile{"John", 42};
  };
  Profile p = cache.get_or_load<Profile>("user:1001:profile", 3600s, get_user);
  show_profile("cache.get_or_load<Profile>(\"user:1001:profile\", 3600s, db.getUser)  # miss", p);
  p = cache.get_or_load<Profile>("user:1001:profile", 3600s, get_user);
  show_profile("cache.get_or_load<Profile>(\"user:1001:profile\", 3600s, db.getUser)  # hit", p);
  show("db calls", static_cast<long long>(db_calls.load()));
  show("redis.hget(\"user:1001:profile\", \"v\")  # stored as JSON in a hash",
       redis.hget("user:1001:profile", "v"));
  show("redis.ttl(\"user:1001:profile\")  # 3600 s + up to 10% jitter",
       redis.ttl("user:1001:profile"));

  note("the guide's `if (cached)` treats \"\" as a miss; here an empty string is a value:");
  int nick_loads = 0;
  for (int i = 0; i < 2; ++i) {
    const std::string nick = cache.get_or_load<std::string>("user:1001:nickname", 3600s, [&] {
      ++nick_loads;
      return std::string();
    });
    show("cache.get_or_load<std::string>(\"user:1001:nickname\", ...)", nick);
  }
  show("loader calls", static_cast<long long>(nick_loads));

  note("negative caching: a loader returning std::nullopt (not in the database) is remembered");
  patterns::Cache negative{redis, {.negative_ttl = 60s}};
  int lookups = 0;
  for (int i = 0; i < 2; ++i) {
    const std::optional<Profile> missing =
        negative.get_or_load<Profile>("user:9999:profile", 3600s, [&] {
          ++lookups;
          return std::optional<Profile>();
        });
    show("negative.get_or_load<Profile>(\"user:9999:profile\", ...)", missing.has_value());
  }
  show("database lookups", static_cast<long long>(lookups));

  note("single-flight: 8 threads miss the same key at once; the loader (100 ms) runs once");
  patterns::Cache shared{redis};
  std::atomic<int> loads{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      shared.get_or_load<std::string>("report:daily", 60s, [&loads] {
        ++loads;
        std::this_thread::sleep_for(100ms);
        return std::string("42 orders");
      });
    });
  }
  for (auto& t : threads) t.join();
  show("loads", static_cast<long long>(loads.load()));
  show("shared.stats().shared_loads  # callers served by that one load",
       static_cast<long long>(shared.stats().shared_loads));

  note("stale-while-revalidate: fresh for 200 ms, then served stale for 5 s while one");
  note("background refresh runs");
  patterns::Cache swr{redis, {.ttl_jitter = 0, .stale_ttl = 5s}};
  auto version = std::make_shared<std::atomic<int>>(1);
  auto loader = [version] { return "price v" + std::to_string(version->load()); };
  show("swr.get_or_load<std::string>(\"price:sku-1\", 200ms, loader)",
       swr.get_or_load<std::string>("price:sku-1", 200ms, loader));
  *version = 2;
  std::this_thread::sleep_for(300ms);
  show("  300 ms later: swr.get_or_load(...)  # stale, refresh started",
       swr.get_or_load<std::string>("price:sku-1", 200ms, loader));
  for (int i = 0; i < 200 && swr.get<std::string>("price:sku-1") != "price v2"; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  show("  a moment later: swr.get<std::string>(\"price:sku-1\")",
       swr.get<std::string>("price:sku-1"));
  show("swr.invalidate(\"price:sku-1\")", swr.invalidate("price:sku-1"));
  show("swr.get<std::string>(\"price:sku-1\")", swr.get<std::string>("price:sku-1"));
  note("Redis down: CacheOptions::on_redis_error = load_from_source serves from the loader");
  note("(fail soft); the default, propagate, throws redwire::Error");
}

void rate_limiting(redwire::SyncClient& redis) {
  heading("Express Middleware: Rate Limiting");
  note("rateLimiter('rl', 100, 60) as a loop, with a limit of 5 so that it shows: one script");
  note("call per request (INCR and the EXPIRE together), 429 once the count passes the limit");
  patterns::RateLimiter limiter{
      redis,
      patterns::FixedWindow{5, 60s},
      {.prefix = "rl", .on_redis_error = patterns::RateLimitFailure::allow}};  // fail open
  for (int i = 1; i <= 7; ++i) {
    const patterns::Decision d = limiter.check("1.2.3.4");
    std::cout << "  request " << i << " from 1.2.3.4  ->  "
              << (d.allowed ? "next()  (remaining " + std::to_string(d.remaining) + ")"
                            : "429 Too Many Requests  (Retry-After " +
                                  std::to_string((d.retry_after.count() + 999) / 1000) + " s)")
              << "\n";
  }
  const patterns::Decision other = limiter.check("5.6.7.8");
  show("limiter.check(\"5.6.7.8\").allowed  # another IP, its own window", other.allowed);
  show("redis.ttl(\"rl:1.2.3.4\")  # the EXPIRE is always there", redis.ttl("rl:1.2.3.4"));

  note("sliding window (exact, a sorted-set log): 3 per second, on a hand-driven clock");
  auto now = std::make_shared<std::chrono::milliseconds>(1'000'000ms);
  patterns::RateLimiter sliding{redis,
                                patterns::SlidingWindow{3, 1s},
                                {.prefix = "rl:sliding", .clock = [now] { return *now; }}};
  for (auto t : {0ms, 100ms, 200ms, 300ms, 999ms, 1000ms, 1100ms}) {
    *now = 1'000'000ms + t;
    const patterns::Decision d = sliding.check("user:42");
    std::cout << "  t=" << t.count() << " ms  ->  " << (d.allowed ? "allowed" : "429")
              << " (remaining " << d.remaining << ", retry after " << ms(d.retry_after) << ")\n";
  }
  note("token bucket (GCRA): bursts of 3, refilled at 1 per second");
  patterns::RateLimiter bucket{redis,
                               patterns::TokenBucket{.capacity = 3, .rate = 1},
                               {.prefix = "rl:bucket", .clock = [now] { return *now; }}};
  for (auto t : {0ms, 0ms, 0ms, 0ms, 1000ms}) {
    *now = 2'000'000ms + t;
    const patterns::Decision d = bucket.check("user:42");
    std::cout << "  t=" << t.count() << " ms  ->  " << (d.allowed ? "allowed" : "429")
              << " (remaining " << d.remaining << ", retry after " << ms(d.retry_after) << ")\n";
  }
}

void redlock_section(const std::string& url) {
  heading("Distributed Locks (Redlock)");
  note("3 independent masters: the tour's server and 2 more started now");
  redwire::test::RedisServer second{{.name = "tour redlock 2"}};
  redwire::test::RedisServer third{{.name = "tour redlock 3"}};
  const std::vector<redwire::Options> instances{redwire::Options::from_url(url),
                                                redwire::Options::from_url(second.url()),
                                                redwire::Options::from_url(third.url())};
  // new Redlock([redis, ...], { driftFactor: 0.01, retryCount: 10, retryDelay: 200,
  //                             retryJitter: 200 })
  patterns::Redlock redlock{instances,
                            {.drift_factor = 0.01,
                             .retry_count = 10,
                             .retry_delay = 200ms,
                             .retry_jitter = 200ms,
                             .fencing = true}};
  show("redlock.quorum()", static_cast<long long>(redlock.quorum()));

  note("withLock('locks:order:o-123', 5000, async () => { ... })");
  const std::string result =
      redlock.with_lock({"locks:order:o-123"}, 5s, [&](patterns::Lease& lease) {
        show("  lease.value()  # the same random value under the key on every instance",
             lease.value());
        show("  (redis-cli on instance 3) GET locks:order:o-123",
             third.cli("GET", "locks:order:o-123"));
        std::cout << "    lease.valid_for()  ->  " << ms(lease.valid_for())
                  << "  # TTL - time to acquire - drift, on steady_clock\n";
        show("  lease.fencing_token()  # hand it to the resource with every write",
             lease.fencing_token());
        patterns::Redlock other{instances, {.retry_count = 0}};
        show("  another client: other.try_acquire({\"locks:order:o-123\"}, 5s)",
             other.try_acquire({"locks:order:o-123"}, 5s).has_value());
        return std::string("order o-123 shipped");
      });
  show("redlock.with_lock(...) returned", result);
  show("(redis-cli on instance 2) EXISTS locks:order:o-123  # released",
       second.cli("EXISTS", "locks:order:o-123"));

  note("acquire / extend / release by hand, two resources at once (both or none)");
  patterns::Lease lease = redlock.acquire({"locks:a", "locks:b"}, 2s);
  show("lease.resources()", lease.resources());
  show("lease.extend(10s)  # on a majority, only where the value is still ours", lease.extend(10s));
  std::cout << "  lease.valid_for()  ->  " << ms(lease.valid_for()) << "\n";
  show("lease.release()", lease.release());

  note("a later holder gets a larger fencing token; a resource refuses older ones");
  patterns::Lease next = redlock.acquire("locks:order:o-123", 5s);
  show("next.fencing_token()", next.fencing_token());
  next.release();

  note("2 of 3 instances are a majority: instance 3 down, the lock still works");
  third.stop();
  patterns::Redlock degraded{instances, {.retry_count = 0}};
  auto held = degraded.try_acquire({"locks:report"}, 5s);
  show("degraded.try_acquire({\"locks:report\"}, 5s).has_value()", held.has_value());
  if (held) held->release();
}

}  // namespace

void run_patterns_section(const std::string& url) {
  redwire::SyncClient redis{url};
  caching(redis);
  rate_limiting(redis);
  redlock_section(url);
}

}  // namespace tour
