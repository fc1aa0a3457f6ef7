// Shared pieces of the pattern tests: a real redis-server per test and options pointing at it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "redwire/redwire.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/redis_server.hpp"

namespace redwire::testing {

using namespace std::chrono_literals;

inline Options options_for(const test::RedisServer& server) {
  Options o;
  o.host = server.host();
  o.port = server.port();
  return o;
}

/// Time since construction (rounded up), for bounds derived from a formula — "at most the time
/// that has passed may be missing from a TTL" — instead of from how fast the machine is.
class Stopwatch {
 public:
  std::chrono::milliseconds elapsed() const {
    return std::chrono::ceil<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class ServerTest : public ::testing::Test {
 protected:
  test::RedisServer server;
  Options options() const { return options_for(server); }
};

}  // namespace redwire::testing
