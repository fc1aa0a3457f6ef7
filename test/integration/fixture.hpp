// Shared pieces of the integration tests: a real redis-server per test, options pointing at it,
// and a helper that runs a coroutine to completion with a bound.
#pragma once

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <thread>

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

/// Runs `make()` (returning asio::awaitable<void>) on `io` until it finishes; rethrows its
/// exception; fails the test if it takes longer than `limit`.
template <class MakeAwaitable>
void run_coroutine(asio::io_context& io, MakeAwaitable make,
                   std::chrono::seconds limit = std::chrono::seconds(60)) {
  std::exception_ptr error;
  bool done = false;
  asio::co_spawn(io, make(), [&](std::exception_ptr e) {
    error = e;
    done = true;
    io.stop();  // clients keep reads pending; the test is over
  });
  io.restart();
  io.run_for(limit);
  ASSERT_TRUE(done) << "coroutine did not finish within " << limit.count() << " s";
  if (error) std::rethrow_exception(error);
}

/// ASSERT_TRUE for coroutines (gtest's ASSERT_* use `return`).
#define CO_ASSERT_TRUE(cond)                     \
  if (!(cond)) {                                 \
    ADD_FAILURE() << "assertion failed: " #cond; \
    co_return;                                   \
  }

class ServerTest : public ::testing::Test {
 protected:
  /// Records the server's INFO commandstats when REDWIRE_COMMAND_COVERAGE=1
  /// (command_coverage_test.cpp).
  void TearDown() override;
  test::RedisServer server;
  Options options() const { return options_for(server); }
};

}  // namespace redwire::testing
