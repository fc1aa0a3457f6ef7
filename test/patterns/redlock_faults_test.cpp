// Redlock under the faults of FAULTS.md row 30, against 5 independent redis-servers:
// - a holder process stopped (SIGSTOP) past its TTL: another process acquires; the woken holder
//   does not extend, is told it lost the lock, and its late write is refused by the fenced store;
// - an instance killed (-9) and restarted at once without persistence: the documented safety
//   hole, shown to happen; restarted only after the TTL: the lock stays exclusive;
// - the same kill and immediate restart with AOF (appendfsync always and everysec): the key
//   comes back and the lock stays exclusive.
#include <csignal>
#include <iostream>

#include "fenced_storage.hpp"
#include "process_output.hpp"
#include "redlock_fixture.hpp"
#include "redwire/test/child_process.hpp"
#include "redwire/test/temp_dir.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using patterns::Lease;
using patterns::Redlock;
using patterns::RedlockOptions;

bool exists_nowhere(const std::vector<std::unique_ptr<test::RedisServer>>& servers,
                    const std::string& key) {
  for (const auto& s : servers) {
    if (s->cli("EXISTS", key) != "0") return false;
  }
  return true;
}

TEST_F(RedlockTest, HolderStoppedPastItsTtlIsOvertakenThenToldAndItsLateWriteIsRefused) {
  test::RedisServer storage{{.name = "storage"}};
  test::TempDir dir;
  const auto out = dir.path() / "holder.out";
  std::vector<std::string> argv{REDWIRE_PATTERNS_HELPER, "redlock-holder", "1000", "locks:stopped",
                                std::to_string(storage.port())};
  for (const auto& s : servers) argv.push_back(std::to_string(s->port()));
  test::ChildProcess holder = test::ChildProcess::spawn(argv, dir.path(), out);

  const auto first_token = wait_for_line(out, R"(ACQUIRED (\d+))", 20s);
  ASSERT_TRUE(first_token) << read_text(out);
  const std::string stopped_value = servers[0]->cli("GET", "locks:stopped");
  ASSERT_EQ(stopped_value.size(), 32u);

  holder.signal(SIGSTOP);  // its auto-extension thread stops with it
  test::wait_until([&] { return exists_nowhere(servers, "locks:stopped"); }, 10s,
                   "the stopped holder's keys to expire on every instance");

  RedlockOptions o = fast();
  o.fencing = true;
  Redlock redlock{endpoints(), o};
  Lease next = redlock.acquire("locks:stopped", 10s);
  ASSERT_TRUE(next.fencing_token());
  EXPECT_GT(*next.fencing_token(), std::stoll(*first_token));
  SyncClient store{options_for(storage)};
  EXPECT_TRUE(fenced_write(store, "locks:stopped:data", *next.fencing_token(),
                           "written by the new holder"));

  holder.signal(SIGCONT);
  const auto lost = wait_for_line(out, "LOST (.*)", 20s);
  ASSERT_TRUE(lost) << "the woken holder was never told: " << read_text(out);
  const auto write = wait_for_line(out, "WRITE (.*)", 20s);
  ASSERT_TRUE(write) << read_text(out);
  EXPECT_EQ(*write, "rejected") << "its token is older than the new holder's";
  const auto status = holder.wait_for_exit(20s);
  EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << read_text(out);
  std::cout << "[ measured ] woken holder said: LOST " << *lost << "\n";

  EXPECT_EQ(storage.cli("GET", "locks:stopped:data"), "written by the new holder");
  for (const auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "locks:stopped"), next.value())
        << "the woken holder neither extended nor released the new holder's lock";
  }
  EXPECT_NE(next.value(), stopped_value);
  EXPECT_TRUE(next.extend(10s));
  EXPECT_TRUE(next.release());
}

// Holder A acquires while instances 3 and 4 are down, so that it holds exactly a majority
// (0, 1, 2); 3 and 4 come back empty.
Lease acquire_on_first_three(std::vector<std::unique_ptr<test::RedisServer>>& servers,
                             Redlock& redlock, const std::string& resource,
                             std::chrono::milliseconds ttl) {
  servers[3]->stop();
  servers[4]->stop();
  Lease lease = redlock.acquire(resource, ttl);
  servers[3]->restart();
  servers[4]->restart();
  for (int i : {0, 1, 2}) EXPECT_EQ(servers[i]->cli("GET", resource), lease.value());
  for (int i : {3, 4}) EXPECT_EQ(servers[i]->cli("EXISTS", resource), "0");
  return lease;
}

TEST_F(RedlockTest, NonPersistentInstanceRestartedAtOnceLetsASecondHolderInTheDocumentedHole) {
  Redlock a{endpoints(), fast()};
  Lease first = acquire_on_first_three(servers, a, "locks:restart", 30s);

  servers[2]->kill9();
  servers[2]->restart();  // at once, no persistence: instance 2 forgot the key
  EXPECT_EQ(servers[2]->cli("EXISTS", "locks:restart"), "0");

  RedlockOptions o = fast();
  o.retry_count = 0;
  Redlock b{endpoints(), o};
  auto second = b.try_acquire({"locks:restart"}, 30s);
  // This is the outcome Redlock's analysis predicts (and docs/patterns.md states): 2, 3 and 4
  // form a new majority while the first lease is still valid. The cure is operational: restart
  // a crashed instance only after the longest TTL (next test) or run it with appendfsync always.
  ASSERT_TRUE(second) << "expected the hole to be reproducible";
  EXPECT_TRUE(first.valid()) << "two holders at once";
  for (int i : {2, 3, 4}) EXPECT_EQ(servers[i]->cli("GET", "locks:restart"), second->value());
  std::cout << "[ measured ] immediate restart without persistence: second holder acquired while "
               "the first had "
            << first.valid_for().count() << " ms of validity left\n";
}

TEST_F(RedlockTest, InstanceRestartedOnlyAfterTheTtlKeepsTheLockExclusive) {
  Redlock a{endpoints(), fast()};
  Lease first = acquire_on_first_three(servers, a, "locks:delayed", 1500ms);

  servers[2]->kill9();  // stays down for the TTL: Redlock's "delayed restart"
  RedlockOptions o = fast();
  o.retry_count = 0;
  Redlock b{endpoints(), o};
  EXPECT_FALSE(b.try_acquire({"locks:delayed"}, 30s)) << "3 and 4 alone are no majority";
  EXPECT_TRUE(first.valid());

  test::wait_until([&] { return !first.valid(); }, 10s, "the first lease's validity to end");
  test::wait_until([&] { return servers[0]->cli("EXISTS", "locks:delayed") == "0"; }, 10s,
                   "the key to expire on instance 0");
  servers[2]->restart();
  auto second = b.try_acquire({"locks:delayed"}, 30s);
  EXPECT_TRUE(second);
  EXPECT_FALSE(first.valid()) << "no overlap: the first lease had ended";
}

class RedlockAofTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RedlockAofTest, KillAndImmediateRestartKeepsTheKeyAndTheLockExclusive) {
  std::vector<std::unique_ptr<test::RedisServer>> servers;
  std::vector<Options> endpoints;
  for (int i = 0; i < 5; ++i) {
    servers.push_back(std::make_unique<test::RedisServer>(
        test::RedisServerOptions{.name = "redlock-aof-" + std::to_string(i),
                                 .appendonly = true,
                                 .config = {"appendfsync " + GetParam()}}));
    endpoints.push_back(options_for(*servers.back()));
  }
  RedlockOptions o;
  o.retry_delay = 5ms;
  o.retry_jitter = 5ms;
  Redlock a{endpoints, o};
  Lease first = acquire_on_first_three(servers, a, "locks:aof", 30s);

  servers[2]->kill9();  // right after the acquisition was acknowledged
  servers[2]->restart();
  servers[2]->wait_loaded();
  EXPECT_EQ(servers[2]->cli("GET", "locks:aof"), first.value()) << "the AOF kept the key";
  const long long pttl = std::stoll(servers[2]->cli("PTTL", "locks:aof"));
  EXPECT_GT(pttl, 0) << "and its expiry (an absolute time in the AOF)";

  o.retry_count = 0;
  Redlock b{endpoints, o};
  EXPECT_FALSE(b.try_acquire({"locks:aof"}, 30s));
  EXPECT_TRUE(first.valid());
  std::cout << "[ measured ] appendfsync " << GetParam()
            << ": key back after kill -9 + immediate restart, PTTL " << pttl
            << " ms; second acquirer refused\n";
}

INSTANTIATE_TEST_SUITE_P(AppendFsync, RedlockAofTest, ::testing::Values("always", "everysec"));

}  // namespace
}  // namespace redwire::testing
