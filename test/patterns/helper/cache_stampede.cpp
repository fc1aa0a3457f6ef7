#include <atomic>
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "modes.hpp"
#include "redwire/patterns/cache.hpp"

namespace helper {

int cache_stampede(const std::vector<std::string>& args) {
  if (args.size() != 6) throw std::invalid_argument("cache-stampede: 6 arguments");
  redwire::Options options;
  options.port = static_cast<std::uint16_t>(std::stoi(args[0]));
  const std::string key = args[1];
  const int threads = std::stoi(args[2]);
  const auto start =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(std::stoll(args[3])));
  const auto load_time = std::chrono::milliseconds(std::stoll(args[4]));

  redwire::SyncClient redis{options};
  redis.command<std::string>("PING");  // connected before the start line
  redwire::patterns::CacheOptions cache_options;
  cache_options.ttl_jitter = 0;
  cache_options.stampede_lock = args[5] == "lock";
  redwire::patterns::Cache cache{redis, cache_options};

  std::atomic<int> loads{0}, ok{0};
  std::this_thread::sleep_until(start);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&] {
      const std::string v = cache.get_or_load<std::string>(key, std::chrono::seconds(60), [&] {
        ++loads;
        redis.incr("stampede:loads");
        std::this_thread::sleep_for(load_time);
        return std::string("loaded");
      });
      if (v == "loaded") ++ok;
    });
  }
  for (auto& t : pool) t.join();
  std::cout << "loads=" << loads << " ok=" << ok << std::endl;
  return 0;
}

}  // namespace helper
