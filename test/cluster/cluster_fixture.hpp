// Shared pieces of the cluster tests: the one cluster of this binary, client options pointing at
// it, slot migration by hand (what redis-cli --cluster reshard does, step by step), INFO
// counters, and a bounded coroutine runner.
#pragma once

#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/cluster.hpp"
#include "redwire/redwire.hpp"
#include "redwire/test/cluster_topology.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/redis_server.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::cluster_testing {

using namespace std::chrono_literals;
using test::ClusterTopology;
using test::RedisServer;

inline ClusterTopology& topology() {
  return test::shared_cluster();
}

/// Every running node of `cluster` is a seed (a test may have killed one).
inline ClusterOptions cluster_options(ClusterTopology& cluster = topology()) {
  ClusterOptions o;
  for (const auto& n : cluster.nodes()) {
    if (n->running()) o.seeds.push_back({n->host(), n->port()});
  }
  o.refresh_interval = 0ms;  // tests see refreshes caused by what they do, nothing else
  return o;
}

inline std::string node_id(const RedisServer& node) {
  return node.cli("CLUSTER", "MYID");
}

inline long long info_counter(const RedisServer& node, std::string_view section,
                              std::string_view field, std::string_view key) {
  // "cmdstat_get:calls=12,usec=..." -> 12 for (commandstats, cmdstat_get, calls)
  const auto value = test::parse_info_field(node.info(section), field);
  if (!value) return 0;
  const auto at = value->find(std::string(key) + "=");
  if (at == std::string::npos) return 0;
  return std::stoll(value->substr(at + key.size() + 1));
}

/// Moves one slot by hand, as redis-cli --cluster reshard does: IMPORTING on the target,
/// MIGRATING on the source, MIGRATE key by key, then SETSLOT NODE everywhere.
class SlotMigration {
 public:
  SlotMigration(int slot, RedisServer& source, RedisServer& target)
      : slot_(slot),
        source_(source),
        target_(target),
        source_id_(node_id(source)),
        target_id_(node_id(target)) {}

  void begin(bool importing = true) {
    if (importing) {
      EXPECT_EQ(target_.cli("CLUSTER", "SETSLOT", slot_, "IMPORTING", source_id_), "OK");
    }
    EXPECT_EQ(source_.cli("CLUSTER", "SETSLOT", slot_, "MIGRATING", target_id_), "OK");
  }
  void move_key(std::string_view key) {
    EXPECT_EQ(source_.cli("MIGRATE", target_.host(), target_.port(), key, 0, 5000), "OK") << key;
  }
  /// Moves every key still in the slot (other tests' keys may share it).
  void move_all_keys() {
    for (;;) {
      const std::string listed = source_.cli("CLUSTER", "GETKEYSINSLOT", slot_, 1000);
      if (listed.empty()) return;
      std::vector<std::string> args{
          "MIGRATE", target_.host(), std::to_string(target_.port()), "", "0", "5000", "KEYS"};
      std::size_t start = 0;
      while (start < listed.size()) {
        const auto end = listed.find('\n', start);
        args.push_back(listed.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      ASSERT_EQ(source_.cli_args(args), "OK");
    }
  }
  /// Moves the remaining keys, then assigns the slot to the target: the target first, then
  /// the source, then the other masters, as redis-cli does. Told first, the source would answer
  /// MOVED to the target while the target, still importing, answers MOVED back to the source.
  void finish() {
    move_all_keys();
    EXPECT_EQ(target_.cli("CLUSTER", "SETSLOT", slot_, "NODE", target_id_), "OK");
    // A source that gave up its last slot may already have turned replica of the target (and
    // be loading the target's dataset in its first sync).
    const std::string at_source = source_.cli("CLUSTER", "SETSLOT", slot_, "NODE", target_id_);
    EXPECT_TRUE(at_source == "OK" ||
                at_source.starts_with("ERR Please use SETSLOT only with masters") ||
                at_source.starts_with("LOADING"))
        << at_source;
    for (RedisServer* m : topology().masters()) {
      if (m == &target_ || m == &source_) continue;
      EXPECT_EQ(m->cli("CLUSTER", "SETSLOT", slot_, "NODE", target_id_), "OK");
    }
  }
  /// Undoes begin() without moving the slot.
  void abort() {
    source_.cli("CLUSTER", "SETSLOT", slot_, "STABLE");
    target_.cli("CLUSTER", "SETSLOT", slot_, "STABLE");
  }

 private:
  int slot_;
  RedisServer& source_;
  RedisServer& target_;
  std::string source_id_;
  std::string target_id_;
};

/// Another master than `m`.
inline RedisServer& other_master(const RedisServer& m) {
  for (RedisServer* x : topology().masters()) {
    if (x != &m) return *x;
  }
  throw std::runtime_error("no other master");
}

/// Runs `make()` (returning asio::awaitable<void>) on `io` until it finishes; rethrows.
template <class MakeAwaitable>
void run_coroutine(asio::io_context& io, MakeAwaitable make, std::chrono::seconds limit = 60s) {
  std::exception_ptr error;
  bool done = false;
  asio::co_spawn(io, make(), [&](std::exception_ptr e) {
    error = e;
    done = true;
    io.stop();
  });
  io.restart();
  io.run_for(limit);
  ASSERT_TRUE(done) << "coroutine did not finish within " << limit.count() << " s";
  if (error) std::rethrow_exception(error);
}

#define CO_ASSERT_TRUE(cond)                     \
  if (!(cond)) {                                 \
    ADD_FAILURE() << "assertion failed: " #cond; \
    co_return;                                   \
  }

}  // namespace redwire::cluster_testing
