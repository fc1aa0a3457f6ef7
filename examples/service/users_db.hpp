// The "database" behind GET /users/:id: users 1..N with made-up profiles. Every lookup waits a
// fixed latency (a real database round trip) and is counted, so that what the cache saves is
// visible in GET /stats.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace service {

struct Profile {
  long long id = 0;
  std::string name;
  std::string email;
  std::string plan;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Profile, id, name, email, plan)

class UsersDb {
 public:
  UsersDb(long long users, std::chrono::milliseconds latency) : users_(users), latency_(latency) {}

  /// The profile of user `id`, or nullopt when there is no such user. Thread-safe.
  std::optional<Profile> find(long long id);
  /// Lookups so far.
  std::uint64_t loads() const noexcept { return loads_.load(); }

 private:
  long long users_;
  std::chrono::milliseconds latency_;
  std::atomic<std::uint64_t> loads_{0};
};

}  // namespace service
