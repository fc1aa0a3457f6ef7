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

class ServerTest : public ::testing::Test {
 protected:
  test::RedisServer server;
  Options options() const { return options_for(server); }
};

}  // namespace redwire::testing
