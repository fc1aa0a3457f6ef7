#include <atomic>
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "../fenced_storage.hpp"
#include "modes.hpp"
#include "redwire/patterns/redlock.hpp"

namespace helper {

using namespace std::chrono_literals;

int redlock_holder(const std::vector<std::string>& args) {
  if (args.size() < 4) throw std::invalid_argument("redlock-holder: ttl resource storage ports...");
  const auto ttl = std::chrono::milliseconds(std::stoll(args[0]));
  const std::string resource = args[1];
  redwire::Options storage_options;
  storage_options.port = static_cast<std::uint16_t>(std::stoi(args[2]));
  std::vector<redwire::Options> instances;
  for (std::size_t i = 3; i < args.size(); ++i) {
    redwire::Options o;
    o.port = static_cast<std::uint16_t>(std::stoi(args[i]));
    instances.push_back(o);
  }
  redwire::patterns::RedlockOptions options;
  options.fencing = true;
  redwire::patterns::Redlock redlock{instances, options};
  redwire::SyncClient storage{storage_options};

  redwire::patterns::Lease lease = redlock.acquire(resource, ttl);
  const long long token = *lease.fencing_token();
  std::cout << "ACQUIRED " << token << std::endl;
  std::atomic<bool> lost{false};
  redwire::patterns::AutoExtension keeper{lease, {.on_lost = [&](const std::string& reason) {
                                            std::cout << "LOST " << reason << std::endl;
                                            lost = true;
                                          }}};
  // The critical section: long-running work, checking the lease between steps.
  const auto give_up = std::chrono::steady_clock::now() + 30s;
  while (!lost && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(10ms);
  if (!lost) {
    std::cout << "NEVER TOLD" << std::endl;
    return 3;
  }
  // A holder that was paused between its last check and its write (Kleppmann's GC pause)
  // writes anyway: the resource refuses the stale token.
  const bool accepted =
      redwire::testing::fenced_write(storage, resource + ":data", token, "written by the helper");
  std::cout << "WRITE " << (accepted ? "accepted" : "rejected") << std::endl;
  std::cout << "EXTENSIONS " << keeper.extensions() << std::endl;
  return 0;
}

}  // namespace helper
