// Live resharding under load (FAULTS row 19): `redis-cli --cluster reshard` moves slots between
// masters while 8 callers write and read 50,000 keys. Every MOVED/ASK/TRYAGAIN is absorbed by
// the client: zero errors reach the callers, and every write is readable afterwards.
#include <atomic>
#include <thread>

#include "cluster_fixture.hpp"
#include "redwire/test/child_process.hpp"

namespace redwire::cluster_testing {
namespace {

TEST(ClusterResharding, LiveReshardUnderLoadShowsNoErrorsAndLosesNoWrites) {
  constexpr int kKeys = 50'000;
  constexpr int kCallers = 8;
  SyncClusterClient r{cluster_options()};
  RedisServer& source = topology().master_of_slot(cluster::key_slot("reshard:0"));
  RedisServer& target = other_master(source);
  const std::string source_id = node_id(source), target_id = node_id(target);

  std::vector<std::string> values(kKeys);  // last value written per key (callers own disjoint keys)
  std::atomic<bool> stop{false};
  std::atomic<long long> ops{0}, errors{0}, mismatches{0};
  std::mutex first_error_mutex;
  std::string first_error;
  auto caller = [&](int c) {
    for (int pass = 1; !stop.load(); ++pass) {
      for (int i = c; i < kKeys && !stop.load(); i += kCallers) {
        const std::string key = "reshard:" + std::to_string(i);
        const std::string value = std::to_string(i) + ":" + std::to_string(pass);
        try {
          r.set(key, value);
          values[static_cast<std::size_t>(i)] = value;
          if (r.get(key) != value) ++mismatches;
          ops += 2;
        } catch (const std::exception& e) {
          ++errors;
          std::lock_guard lock(first_error_mutex);
          if (first_error.empty()) first_error = key + ": " + e.what();
        }
      }
    }
  };
  // Every key exists before the slots move, so the migration has keys to carry.
  {
    auto fill = r.pipeline();
    for (int i = 0; i < kKeys; ++i) {
      values[static_cast<std::size_t>(i)] = std::to_string(i) + ":0";
      fill.set("reshard:" + std::to_string(i), values[static_cast<std::size_t>(i)]);
    }
    ASSERT_TRUE(fill.exec().all_ok());
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c) callers.emplace_back(caller, c);
  std::this_thread::sleep_for(500ms);  // load first, then move slots under it
  const auto reshard =
      test::run_command({"redis-cli", "--cluster", "reshard",
                         "127.0.0.1:" + std::to_string(source.port()), "--cluster-from", source_id,
                         "--cluster-to", target_id, "--cluster-slots", "4000", "--cluster-yes"},
                        180s);
  const auto reshard_time = std::chrono::steady_clock::now() - t0;
  std::this_thread::sleep_for(500ms);  // and a little load after it
  stop = true;
  for (auto& t : callers) t.join();
  ASSERT_EQ(reshard.exit_code, 0) << reshard.out.substr(
                                         reshard.out.size() > 2000 ? reshard.out.size() - 2000 : 0)
                                  << reshard.err;

  EXPECT_EQ(errors.load(), 0) << first_error;
  EXPECT_EQ(mismatches.load(), 0);
  // Every write is readable: all 50,000 keys in one split MGET, compared with what was written.
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back("reshard:" + std::to_string(i));
  const auto read = r.mget(StringList(keys));
  ASSERT_EQ(read.size(), static_cast<std::size_t>(kKeys));
  int lost = 0;
  for (int i = 0; i < kKeys; ++i) {
    if (read[static_cast<std::size_t>(i)] != values[static_cast<std::size_t>(i)]) ++lost;
  }
  EXPECT_EQ(lost, 0);
  const auto stats = r.stats();
  EXPECT_GT(stats.moved + stats.ask, 0u);  // the load really ran into the migration
  std::cout << "[ reshard  ] 4000 slots (about " << kKeys * 4000 / cluster::slot_count
            << " keys) moved in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(reshard_time).count()
            << " ms under load; " << ops.load() << " ops, " << errors.load() << " errors, "
            << mismatches.load() << " mismatches, " << lost << " lost; client followed "
            << stats.moved << " MOVED, " << stats.ask << " ASK, " << stats.retries << " retries, "
            << stats.refreshes << " refreshes\n";
  RecordProperty("errors", static_cast<int>(errors.load()));
  RecordProperty("moved", static_cast<int>(stats.moved));
  RecordProperty("ask", static_cast<int>(stats.ask));
  topology().wait_healthy(30s);
}

}  // namespace
}  // namespace redwire::cluster_testing
