// Bounded polling for tests: wait for a condition instead of sleeping for a fixed time.
//
//   wait_until([&] { return server.info_field("persistence", "loading") == "0"; }, 10s,
//              "the server to finish loading");
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

namespace redwire::test {

/// Calls `condition` every `interval` until it returns true; throws std::runtime_error
/// ("timed out after N ms waiting for <what>") when `timeout` passes first. Exceptions thrown
/// by `condition` count as false, except on the last try, where they propagate.
void wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::string_view what,
                std::chrono::milliseconds interval = std::chrono::milliseconds(10));

}  // namespace redwire::test
