// Redlock over 5 independent redis-servers: the key/value scheme, 8 contending workers keeping a
// plain read-sleep-write counter exact, 2 of 5 instances down (still works), 3 down (fails
// cleanly), all-or-nothing multi-resource locks, extension on a majority, fencing tokens.
#include <atomic>
#include <regex>
#include <thread>

#include "redlock_fixture.hpp"

namespace redwire::testing {
namespace {

using patterns::Lease;
using patterns::LockLost;
using patterns::LockNotAcquired;
using patterns::Redlock;
using patterns::RedlockOptions;

TEST_F(RedlockTest, HoldsTheSameRandomValueUnderTheResourceNameOnEveryInstance) {
  Redlock redlock{endpoints()};
  EXPECT_EQ(redlock.size(), 5u);
  EXPECT_EQ(redlock.quorum(), 3u);
  const auto before = std::chrono::steady_clock::now();
  Lease lease = redlock.acquire("locks:order:o-123", 5s);
  // Bounds from the formula, not from how fast this machine is: whatever time has passed since
  // `before` may have been spent acquiring, and only that may be missing.
  auto since_before = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 before);
  };
  const auto validity = lease.valid_for();
  EXPECT_LE(validity, 5'000ms - 52ms) << "validity = TTL - elapsed - (1% + 2 ms)";
  EXPECT_GE(validity, 5'000ms - 52ms - since_before() - 1ms);
  EXPECT_TRUE(std::regex_match(lease.value(), std::regex("[0-9a-f]{32}")));
  for (auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "locks:order:o-123"), lease.value());
    const auto pttl = std::chrono::milliseconds(std::stoll(s->cli("PTTL", "locks:order:o-123")));
    EXPECT_LE(pttl, 5'000ms);
    EXPECT_GE(pttl, 5'000ms - since_before() - 1ms) << "SET ... PX 5000";
  }
  EXPECT_FALSE(redlock.try_acquire({"locks:order:o-123"}, 5s));
  EXPECT_TRUE(lease.release());
  for (auto& s : servers) EXPECT_EQ(s->cli("EXISTS", "locks:order:o-123"), "0");
}

TEST_F(RedlockTest, EightWorkersTimesTwoHundredKeepAPlainCounterExactWithZeroOverlaps) {
  test::RedisServer storage{{.name = "storage"}};  // the protected resource, not a lock instance
  constexpr int kWorkers = 8;
  constexpr int kRounds = 200;
  const auto rounds = contend(storage, kWorkers, kRounds, "counter");
  EXPECT_EQ(rounds.overlaps, 0);
  EXPECT_EQ(rounds.done, kWorkers * kRounds);
  EXPECT_EQ(storage.cli("GET", "counter"), std::to_string(kWorkers * kRounds));
  std::cout << "[ measured ] " << kWorkers << " workers x " << kRounds
            << " acquisitions: " << rounds.elapsed.count() << " ms, " << rounds.retries
            << " retried attempts\n";
}

TEST_F(RedlockTest, TwoOfFiveInstancesDownStillLocksCorrectly) {
  servers[0]->kill9();
  servers[3]->stop();
  test::RedisServer storage{{.name = "storage"}};
  const auto rounds = contend(storage, 4, 25, "counter");
  EXPECT_EQ(rounds.overlaps, 0);
  EXPECT_EQ(storage.cli("GET", "counter"), "100");
  Redlock redlock{endpoints()};
  Lease lease = redlock.acquire("r", 5s);
  EXPECT_TRUE(lease.valid());
  EXPECT_EQ(servers[1]->cli("GET", "r"), lease.value());
}

TEST_F(RedlockTest, ThreeOfFiveInstancesDownFailsCleanlyAndLeavesNothingBehind) {
  servers[0]->kill9();
  servers[2]->stop();
  servers[4]->pause();  // alive but silent: only the instance timeout ends its calls
  RedlockOptions o = fast();
  o.retry_count = 2;
  Redlock redlock{endpoints(), o};
  try {
    redlock.acquire("r", 5s);
    ADD_FAILURE() << "acquired with 3 of 5 instances down";
  } catch (const LockNotAcquired& e) {
    EXPECT_EQ(e.attempts(), 3);
    EXPECT_NE(std::string(e.what()).find("2 of 5 instances (quorum 3)"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(servers[1]->cli("EXISTS", "r"), "0") << "a minority's keys are released";
  EXPECT_EQ(servers[3]->cli("EXISTS", "r"), "0");
  servers[4]->resume();
}

TEST_F(RedlockTest, MultiResourceLocksAreAllOrNothing) {
  Redlock redlock{endpoints(), fast()};
  Lease b = redlock.acquire("b", 5s);
  EXPECT_FALSE(redlock.try_acquire({"a", "b"}, 5s));
  for (auto& s : servers) EXPECT_EQ(s->cli("EXISTS", "a"), "0") << "no partial lock left";
  b.release();
  Lease ab = redlock.acquire(std::vector<std::string>{"a", "b"}, 5s);
  EXPECT_EQ(ab.resources().size(), 2u);
  for (auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "a"), ab.value());
    EXPECT_EQ(s->cli("GET", "b"), ab.value());
  }
  EXPECT_FALSE(redlock.try_acquire({"b", "c"}, 5s));
}

TEST_F(RedlockTest, ExtendsOnAMajorityAndMarksTheLeaseLostWhenAMajorityRefuses) {
  Redlock redlock{endpoints(), fast()};
  Lease lease = redlock.acquire("e", 3s);
  servers[0]->kill9();
  servers[1]->cli("SET", "e", "intruder", "PX", "10000");  // 3 of 5 still ours
  const Stopwatch since_extend;
  EXPECT_TRUE(lease.extend(10s));
  const long long pttl = std::stoll(servers[2]->cli("PTTL", "e"));  // before elapsed()
  EXPECT_GE(pttl, (10s - since_extend.elapsed()).count());
  const auto validity = lease.valid_for();
  EXPECT_GE(validity, 10s - 102ms - since_extend.elapsed());
  servers[2]->cli("SET", "e", "intruder", "PX", "10000");  // ours on 2 only: 2 refuse, 1 down
  EXPECT_FALSE(lease.extend(10s));
  EXPECT_FALSE(lease.lost()) << "2 refusals of 5: a majority could still confirm it";
  servers[3]->cli("SET", "e", "intruder", "PX", "10000");  // 3 refusals: no majority left
  EXPECT_FALSE(lease.extend(10s));
  EXPECT_TRUE(lease.lost()) << lease.lost_reason();
  EXPECT_THROW(lease.check(), LockLost);
}

TEST_F(RedlockTest, FencingTokensGrowWithEveryHolderAndSurviveAMinorityLosingItsCounter) {
  RedlockOptions o = fast();
  o.fencing = true;
  Redlock redlock{endpoints(), o};
  long long last = 0;
  for (int i = 0; i < 4; ++i) {
    Lease lease = redlock.acquire("f", 5s);
    ASSERT_TRUE(lease.fencing_token());
    EXPECT_GT(*lease.fencing_token(), last);
    last = *lease.fencing_token();
    if (i == 1) {
      // Two instances lose their counters (a restart without persistence): a majority still
      // remembers, and the next token still grows.
      servers[0]->cli("DEL", "f:fence");
      servers[1]->cli("DEL", "f:fence");
    }
  }
  EXPECT_EQ(last, 4);
  for (auto& s : servers) EXPECT_EQ(s->cli("GET", "f:fence"), "4") << "written back everywhere";
}

TEST_F(RedlockTest, WithLockReturnsTheResultAndReleases) {
  Redlock redlock{endpoints(), fast()};
  const int n = redlock.with_lock({"w"}, 2s, [&](Lease& lease) {
    EXPECT_EQ(servers[2]->cli("GET", "w"), lease.value());
    return 7;
  });
  EXPECT_EQ(n, 7);
  for (auto& s : servers) EXPECT_EQ(s->cli("EXISTS", "w"), "0");
}

}  // namespace
}  // namespace redwire::testing
