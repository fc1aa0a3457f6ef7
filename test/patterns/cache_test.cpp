// Cache-aside in one process against a real server: hits (the empty string included),
// single-flight, stale-while-revalidate, early refresh, negative caching, codecs and TTLs,
// invalidation racing a load, loader failures, and fail-soft with the server stopped.
#include <nlohmann/json.hpp>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "patterns_fixture.hpp"
#include "redwire/patterns/cache.hpp"
#include "redwire/test/wait.hpp"

namespace profiles {
struct Profile {
  std::string name;
  int age = 0;
  std::vector<std::string> tags;
  bool operator==(const Profile&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Profile, name, age, tags)
}  // namespace profiles

namespace redwire::testing {
namespace {

using patterns::Cache;
using patterns::CacheOptions;
using patterns::OnRedisError;

CacheOptions exact() {
  CacheOptions o;
  o.ttl_jitter = 0;
  return o;
}

using CacheAside = ServerTest;

TEST_F(CacheAside, EmptyStringIsCachedAndReturnedAsAHit) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  int loads = 0;
  auto loader = [&] {
    ++loads;
    return std::string();
  };
  EXPECT_EQ(cache.get_or_load<std::string>("empty", 60s, loader), "");
  EXPECT_EQ(cache.get_or_load<std::string>("empty", 60s, loader), "");
  EXPECT_EQ(cache.get_or_load<std::string>("empty", 60s, loader), "");
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(cache.stats().hits, 2u);
  EXPECT_EQ(cache.get<std::string>("empty"), std::optional<std::string>(""));
}

TEST_F(CacheAside, StringsAreStoredAsIsAndStructsAsJson) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  const profiles::Profile john{"John", 30, {"a", "b"}};
  EXPECT_EQ(cache.get_or_load<profiles::Profile>("p", 60s, [&] { return john; }), john);
  EXPECT_EQ(server.cli("HGET", "p", "v"), R"({"age":30,"name":"John","tags":["a","b"]})");
  EXPECT_EQ(cache.get_or_load<profiles::Profile>("p", 60s, [] { return profiles::Profile{}; }),
            john);
  cache.get_or_load<std::string>("s", 60s, [] { return std::string("\"raw\"\r\n\0x", 10); });
  EXPECT_EQ(r.hget("s", "v"), std::string("\"raw\"\r\n\0x", 10));
  EXPECT_EQ(cache.get_or_load<long long>("n", 60s, [] { return 42; }), 42);
  EXPECT_EQ(server.cli("HGET", "n", "v"), "42");
}

TEST_F(CacheAside, EveryWriteHasATtlWithJitterWithinItsBounds) {
  SyncClient r{options()};
  CacheOptions o;
  o.ttl_jitter = 0.5;
  Cache cache{r, o};
  long long lowest = 1ll << 40, highest = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string key = "j" + std::to_string(i);
    cache.get_or_load<std::string>(key, 10s, [] { return std::string("v"); });
    const long long pttl = r.pttl(key);
    lowest = std::min(lowest, pttl);
    highest = std::max(highest, pttl);
  }
  EXPECT_GT(lowest, 9'000);
  EXPECT_LE(highest, 15'000);
  EXPECT_GT(highest - lowest, 500) << "40 writes with 50% jitter should spread";
}

TEST_F(CacheAside, ConcurrentMissesInOneProcessRunTheLoaderOnce) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  std::atomic<int> loads{0};
  constexpr int kThreads = 50;
  std::latch start{kThreads};
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto v = cache.get_or_load<std::string>("hot", 60s, [&] {
        ++loads;
        std::this_thread::sleep_for(200ms);
        return std::string("loaded");
      });
      if (v == "loaded") ++right;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(right, kThreads);
  EXPECT_EQ(cache.stats().loads, 1u);
}

TEST_F(CacheAside, LoaderExceptionReachesEveryWaiterAndNothingIsCached) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  std::atomic<int> loads{0}, failures{0};
  std::vector<std::thread> threads;
  std::latch start{8};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      try {
        cache.get_or_load<std::string>("bad", 60s, [&]() -> std::string {
          ++loads;
          std::this_thread::sleep_for(100ms);
          throw std::runtime_error("database down");
        });
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) == "database down") ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 8);
  EXPECT_LE(loads, 2) << "waiters share the failing load (a late thread may start another)";
  EXPECT_EQ(r.exists("bad"), 0);
  EXPECT_EQ(r.exists("{bad}:lock"), 0) << "the stampede lock is released on failure";
}

TEST_F(CacheAside, StaleValueIsServedAtOnceWhileOneRefreshRunsInTheBackground) {
  SyncClient r{options()};
  CacheOptions o = exact();
  o.stale_ttl = 10s;
  Cache cache{r, o};
  std::atomic<int> loads{0};
  std::atomic<bool> finish_refresh{false};
  auto loader = [&loads, &finish_refresh] {
    const int n = ++loads;
    if (n > 1) {  // the refresh is held until the stale reads are done
      test::wait_until([&] { return finish_refresh.load(); }, 10s, "the stale reads");
    }
    return "v" + std::to_string(n);
  };
  EXPECT_EQ(cache.get_or_load<std::string>("swr", 200ms, loader), "v1");
  std::this_thread::sleep_for(300ms);  // past the fresh TTL, inside the stale window
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(cache.get_or_load<std::string>("swr", 200ms, loader), "v1");
  }
  // Had a stale read waited for the refresh, it would have hung until wait_until threw.
  EXPECT_EQ(r.hget("swr", "v"), std::optional<std::string>("v1")) << "the refresh is still held";
  finish_refresh = true;
  test::wait_until([&] { return r.hget("swr", "v") == std::optional<std::string>("v2"); }, 5s,
                   "the background refresh");
  EXPECT_EQ(loads, 2) << "five stale reads started one refresh";
  EXPECT_EQ(cache.get_or_load<std::string>("swr", 200ms, loader), "v2");
  EXPECT_EQ(cache.stats().stale_hits, 5u);
  EXPECT_EQ(cache.stats().refreshes, 1u);
}

TEST_F(CacheAside, ProbabilisticEarlyRefreshReloadsBeforeExpiry) {
  SyncClient r{options()};
  CacheOptions o = exact();
  o.early_refresh_beta = 1e9;  // load time x beta dwarfs any remaining TTL: always refresh
  Cache cache{r, o};
  std::atomic<int> loads{0};
  auto loader = [&loads] {
    std::this_thread::sleep_for(20ms);
    return "v" + std::to_string(++loads);
  };
  EXPECT_EQ(cache.get_or_load<std::string>("early", 60s, loader), "v1");
  EXPECT_EQ(cache.get_or_load<std::string>("early", 60s, loader), "v1");  // fresh: served
  test::wait_until([&] { return loads >= 2; }, 5s, "the early refresh");
  test::wait_until([&] { return r.hget("early", "v") == std::optional<std::string>("v2"); }, 5s,
                   "the refreshed value");
  Cache plain{r, exact()};  // beta 0: never early
  int plain_loads = 0;
  plain.get_or_load<std::string>("late", 60s, [&] { return std::to_string(++plain_loads); });
  for (int i = 0; i < 20; ++i) {
    plain.get_or_load<std::string>("late", 60s, [&] { return std::to_string(++plain_loads); });
  }
  EXPECT_EQ(plain_loads, 1);
}

TEST_F(CacheAside, NotFoundIsCachedForTheNegativeTtlOnly) {
  SyncClient r{options()};
  CacheOptions o = exact();
  o.negative_ttl = 300ms;
  Cache cache{r, o};
  int loads = 0;
  auto find = [&]() -> std::optional<std::string> {
    ++loads;
    return std::nullopt;
  };
  EXPECT_EQ(cache.get_or_load<std::string>("user:9999", 60s, find), std::nullopt);
  EXPECT_EQ(cache.get_or_load<std::string>("user:9999", 60s, find), std::nullopt);
  EXPECT_EQ(loads, 1);
  EXPECT_LE(r.pttl("user:9999"), 300);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(cache.get_or_load<std::string>("user:9999", 60s, find), std::nullopt);
  EXPECT_EQ(loads, 2);

  Cache forgetful{r, exact()};  // negative_ttl 0: "not found" is not remembered
  int asks = 0;
  auto find2 = [&]() -> std::optional<std::string> {
    ++asks;
    return std::nullopt;
  };
  forgetful.get_or_load<std::string>("user:8888", 60s, find2);
  forgetful.get_or_load<std::string>("user:8888", 60s, find2);
  EXPECT_EQ(asks, 2);
  EXPECT_EQ(r.exists("user:8888"), 0);
}

TEST_F(CacheAside, InvalidateDuringALoadKeepsThatLoadOutOfTheCache) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  std::atomic<bool> loading{false};
  std::thread slow([&] {
    auto v = cache.get_or_load<std::string>("price", 60s, [&] {
      loading = true;
      std::this_thread::sleep_for(300ms);
      return std::string("old price");
    });
    EXPECT_EQ(v, "old price");  // the caller still gets what it loaded
  });
  test::wait_until([&] { return loading.load(); }, 5s, "the load to start");
  EXPECT_FALSE(cache.invalidate("price"));  // nothing cached yet; the lock goes
  slow.join();
  EXPECT_EQ(r.exists("price"), 0) << "a load that began before invalidate() is not written";
  EXPECT_EQ(cache.stats().writes_skipped, 1u);
  EXPECT_EQ(cache.get_or_load<std::string>("price", 60s, [] { return std::string("new"); }), "new");
  EXPECT_TRUE(cache.invalidate("price"));
  EXPECT_EQ(r.exists("price"), 0);
}

TEST_F(CacheAside, BytesThatAreNotTheTypeAreReloadedAndReplaced) {
  SyncClient r{options()};
  Cache cache{r, exact()};
  r.hset("p", {{"v", "not json"}, {"n", "0"}, {"g", "0"}, {"d", "0"}});
  r.expire("p", 60s);
  const profiles::Profile ann{"Ann", 41, {}};
  EXPECT_EQ(cache.get_or_load<profiles::Profile>("p", 60s, [&] { return ann; }), ann);
  EXPECT_EQ(cache.get_or_load<profiles::Profile>("p", 60s, [] { return profiles::Profile{}; }),
            ann);
  r.set("legacy", R"({"name":"x"})");  // the guide's format: a plain string key
  EXPECT_EQ(cache.get_or_load<std::string>("legacy", 60s, [] { return std::string("mine"); }),
            "mine");
  EXPECT_EQ(r.type("legacy"), "hash");
}

TEST_F(CacheAside, FailsSoftWhenChosenAndPropagatesOtherwiseWithTheServerStopped) {
  Options opts = options();
  SyncClient r{opts};
  CacheOptions soft = exact();
  soft.on_redis_error = OnRedisError::load_from_source;
  soft.redis_timeout = 200ms;
  soft.error_backoff = 60s;  // longer than the test: every call after the first skips Redis
  Cache lenient{r, soft};
  CacheOptions hard = exact();
  hard.redis_timeout = 200ms;
  Cache strict{r, hard};
  EXPECT_EQ(lenient.get_or_load<std::string>("k", 60s, [] { return std::string("cached"); }),
            "cached");
  server.stop();

  int loads = 0;
  EXPECT_EQ(lenient.get_or_load<std::string>("k", 60s,
                                             [&] {
                                               ++loads;
                                               return std::string("from source");
                                             }),
            "from source");
  for (int i = 0; i < 10; ++i) {  // inside error_backoff: straight to the source
    lenient.get_or_load<std::string>("k", 60s, [&] {
      ++loads;
      return std::string("from source");
    });
  }
  EXPECT_EQ(loads, 11);
  EXPECT_EQ(lenient.stats().redis_errors, 1u)
      << "only the first call waited for Redis; the others went straight to the source";

  EXPECT_THROW(strict.get_or_load<std::string>("k", 60s, [] { return std::string("x"); }),
               redwire::Error);
  EXPECT_THROW(lenient.invalidate("k"), redwire::Error) << "invalidation failures are never hidden";
}

}  // namespace
}  // namespace redwire::testing
