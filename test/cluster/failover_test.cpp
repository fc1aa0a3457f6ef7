// Failovers (FAULTS row 23). CLUSTER FAILOVER on a replica: writes keep succeeding through the
// switch, none lost. kill -9 of a master: writes resume on the promoted replica; only commands
// in flight at the kill may end indeterminate.
//
// These tests run on a cluster of their own, in which no slot ever moved, not on the shared one.
// Redis 7.0 remembers a slot whose owner sent a ping without it (owner_not_claiming_slot) and
// then gives that slot to any node claiming it, whatever that node's config epoch. A migration
// can leave the mark behind: the new owner's pings reach a node over two connections, so an old
// pong sent before it took the slot may be read after a newer ping that announced it. The mark
// is cleared only by a later change in the owner's set of slots, so the last slot moved to a
// master can stay marked on any node, its replicas included. A replica promoted with such a mark
// gives the slot to its old master as soon as that one claims it with its older epoch (its pings
// until it hears of the failover, or its nodes.conf when it restarts after kill -9), deletes the
// slot's keys, and then drops the slot when the old master turns replica: the new master serves
// a slot nobody owns in its view and answers CLUSTERDOWN for good, while every other node names
// it as the owner.
#include <atomic>
#include <memory>
#include <thread>

#include "cluster_fixture.hpp"

namespace redwire::cluster_testing {
namespace {

/// One cluster for the suite, started before its first test and stopped after its last.
class ClusterFailover : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<ClusterTopology>(); }
  static void TearDownTestSuite() { cluster_.reset(); }
  static ClusterTopology& own_cluster() { return *cluster_; }

 private:
  static inline std::unique_ptr<ClusterTopology> cluster_;
};

RedisServer& replica_of(ClusterTopology& cluster, RedisServer& master) {
  const std::string id = node_id(master);
  for (const auto& info : cluster.cluster_nodes()) {
    if (info.master_id == id && !info.failed) {
      if (RedisServer* s = cluster.node_by_port(info.port)) return *s;
    }
  }
  throw std::runtime_error("no replica of " + std::to_string(master.port()));
}

std::string log_tail(const RedisServer& node, int lines = 30) {
  const std::string log = node.log();
  std::size_t at = log.size();
  for (int i = 0; i <= lines && at != std::string::npos && at > 0; ++i)
    at = log.rfind('\n', at - 1);
  return at == std::string::npos ? log : log.substr(at + 1);
}

bool is_master(RedisServer& node) {
  return node.cli("ROLE").starts_with("master");
}

struct WriteLoad {
  SyncClusterClient& client;
  std::string key;
  std::atomic<bool> stop{false};
  std::atomic<long long> acknowledged{0}, failed{0}, indeterminate{0};
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> threads;

  WriteLoad(SyncClusterClient& c, std::string k, int writers) : client(c), key(std::move(k)) {
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([this] {
        while (!stop.load()) {
          try {
            client.incr(key);
            ++acknowledged;
          } catch (const ConnectionError& e) {
            (e.is_indeterminate() ? indeterminate : failed)++;
            record(e.what());
          } catch (const std::exception& e) {
            ++failed;
            record(e.what());
          }
        }
      });
    }
  }
  void record(std::string what) {
    std::lock_guard lock(mutex);
    if (errors.size() < 5) errors.push_back(std::move(what));
  }
  // Joins the writers on every path, so a failed wait reports its message instead of
  // std::terminate for a joinable thread.
  ~WriteLoad() { finish(); }
  void finish() {
    stop = true;
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
  }
  std::string error_list() {
    std::string out;
    for (const auto& e : errors) out += "\n  " + e;
    return out;
  }
};

TEST_F(ClusterFailover, ManualFailoverKeepsEveryWrite) {
  SyncClusterClient r{cluster_options(own_cluster())};
  const std::string key = "{manual-failover}counter";
  r.del({key});
  RedisServer& master = own_cluster().master_of_slot(cluster::key_slot(key));
  RedisServer& replica = replica_of(own_cluster(), master);
  WriteLoad load(r, key, 4);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(replica.cli("CLUSTER", "FAILOVER"), "OK");
  try {
    test::wait_until([&] { return is_master(replica); }, 20s, "the replica to take over");
  } catch (const std::exception& e) {
    FAIL() << e.what() << "\n--- replica's log:\n"
           << log_tail(replica) << "--- master's log:\n"
           << log_tail(master);
  }
  const long long at_switch = load.acknowledged.load();
  test::wait_until([&] { return load.acknowledged.load() > at_switch + 200; }, 20s,
                   "writes to continue on the new master");
  load.finish();
  EXPECT_EQ(load.failed.load() + load.indeterminate.load(), 0) << load.error_list();
  EXPECT_EQ(std::stoll(*r.get(key)), load.acknowledged.load());  // none lost, none doubled
  test::wait_until(
      [&] { return own_cluster().master_of_slot(cluster::key_slot(key)).port() == replica.port(); },
      10s, "the cluster to name the promoted replica as the slot's master");
  std::cout << "[ failover ] manual: " << load.acknowledged.load()
            << " INCRs acknowledged, 0 errors; " << r.stats().moved << " MOVED followed\n";
  own_cluster().wait_healthy(30s);
}

TEST_F(ClusterFailover, KillNineOfAMasterThenWritesSucceedOnThePromotedReplica) {
  SyncClusterClient r{cluster_options(own_cluster())};
  const std::string key = "{kill9}counter";
  r.del({key});
  RedisServer& master = own_cluster().master_of_slot(cluster::key_slot(key));
  RedisServer& replica = replica_of(own_cluster(), master);
  WriteLoad load(r, key, 4);
  test::wait_until([&] { return load.acknowledged.load() > 200; }, 20s, "writes to flow");
  const auto killed_at = std::chrono::steady_clock::now();
  const long long before_kill = load.acknowledged.load();
  master.kill9();
  test::wait_until([&] { return is_master(replica); }, 30s, "the replica to be promoted");
  const auto promoted_at = std::chrono::steady_clock::now();
  test::wait_until([&] { return load.acknowledged.load() > before_kill + 500; }, 40s,
                   "writes to succeed on the promoted replica");
  const auto resumed_at = std::chrono::steady_clock::now();
  load.finish();

  // Commands written to the dead master before it died may have run: indeterminate, at most
  // one per writer. Nothing else fails: queued commands wait and are routed to the new master.
  EXPECT_EQ(load.failed.load(), 0) << load.error_list();
  EXPECT_LE(load.indeterminate.load(), 4) << load.error_list();
  const long long value = std::stoll(*r.get(key));
  // kill -9 can lose writes the replica had not received yet (asynchronous replication).
  EXPECT_LE(value, load.acknowledged.load() + load.indeterminate.load());
  const auto ms = [&](auto t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t - killed_at).count();
  };
  std::cout << "[ failover ] kill -9: promoted after " << ms(promoted_at)
            << " ms, writes resumed by " << ms(resumed_at) << " ms; " << load.acknowledged.load()
            << " INCRs acknowledged, " << load.indeterminate.load() << " indeterminate, "
            << load.failed.load() << " failed; server value " << value << " ("
            << load.acknowledged.load() - value
            << " acknowledged writes lost to asynchronous replication); client: "
            << r.stats().retries << " retries, " << r.stats().refreshes << " refreshes\n";

  master.restart();  // rejoins as a replica of the promoted node
  own_cluster().wait_healthy(60s);
  EXPECT_TRUE(r.set(key, "0"));
}

}  // namespace
}  // namespace redwire::cluster_testing
