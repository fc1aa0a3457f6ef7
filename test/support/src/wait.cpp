#include "redwire/test/wait.hpp"

#include <stdexcept>
#include <string>
#include <thread>

namespace redwire::test {

void wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::string_view what, std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const bool last = std::chrono::steady_clock::now() >= deadline;
    if (last) {
      if (condition()) return;  // let its exception, if any, explain the timeout
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms waiting for " + std::string(what));
    }
    try {
      if (condition()) return;
    } catch (const std::exception&) {
      // not ready yet (e.g. a node that is still starting)
    }
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace redwire::test
