#include "users_db.hpp"

#include <array>
#include <thread>

namespace service {

std::optional<Profile> UsersDb::find(long long id) {
  ++loads_;
  std::this_thread::sleep_for(latency_);
  if (id < 1 || id > users_) return std::nullopt;
  static constexpr std::array<const char*, 3> plans{"free", "pro", "team"};
  Profile p;
  p.id = id;
  p.name = "User " + std::to_string(id);
  p.email = "user" + std::to_string(id) + "@example.com";
  p.plan = plans[static_cast<std::size_t>(id) % plans.size()];
  return p;
}

}  // namespace service
