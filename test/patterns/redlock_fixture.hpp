// Five independent redis-servers for the Redlock tests, and a contention run: workers, each with
// its own Redlock (five connections), increment a plain counter on a separate server with
// GET, a short sleep and SET inside the critical section.
#pragma once

#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "patterns_fixture.hpp"
#include "redwire/patterns/redlock.hpp"

namespace redwire::testing {

class RedlockTest : public ::testing::Test {
 protected:
  RedlockTest() {
    for (int i = 0; i < 5; ++i) {
      servers.push_back(std::make_unique<test::RedisServer>(
          test::RedisServerOptions{.name = "redlock-" + std::to_string(i)}));
    }
  }

  std::vector<Options> endpoints() const {
    std::vector<Options> out;
    for (const auto& s : servers) out.push_back(options_for(*s));
    return out;
  }

  /// Short retry pauses: the tests contend hard and should not sleep 200 ms per miss.
  static patterns::RedlockOptions fast() {
    patterns::RedlockOptions o;
    o.retry_delay = 5ms;
    o.retry_jitter = 5ms;
    return o;
  }

  struct Contention {
    int overlaps = 0;
    int done = 0;
    long long retries = 0;
    std::chrono::milliseconds elapsed{0};
  };

  Contention contend(const test::RedisServer& storage, int workers, int rounds,
                     const std::string& counter) {
    std::atomic<int> inside{0}, overlaps{0}, done{0};
    std::atomic<long long> retries{0};
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        patterns::Redlock redlock{endpoints(), fast()};
        SyncClient store{options_for(storage)};
        std::mt19937 rng(static_cast<unsigned>(w));
        for (int i = 0; i < rounds; ++i) {
          std::optional<patterns::Lease> lease;
          while (!(lease = redlock.try_acquire({"locks:counter"}, 2s))) {
            ++retries;
            std::this_thread::sleep_for(
                std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng)));
          }
          if (inside.fetch_add(1) != 0) ++overlaps;
          const auto v = store.get(counter);
          const long long n = v ? std::stoll(*v) : 0;
          std::this_thread::sleep_for(200us);
          store.set(counter, std::to_string(n + 1));
          inside.fetch_sub(1);
          lease->release();
          ++done;
        }
      });
    }
    for (auto& t : threads) t.join();
    return {overlaps.load(), done.load(), retries.load(),
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)};
  }

  std::vector<std::unique_ptr<test::RedisServer>> servers;
};

}  // namespace redwire::testing
