// The single-instance lock: SET NX PX with a random value, compare-and-delete release,
// compare-and-pexpire extension, fencing tokens, AutoExtension and with_lock.
#include <atomic>
#include <regex>
#include <thread>

#include "patterns_fixture.hpp"
#include "redwire/patterns/lock.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using patterns::AutoExtension;
using patterns::Lease;
using patterns::LockLost;
using patterns::LockNotAcquired;
using patterns::LockOptions;
using patterns::SingleInstanceLock;

LockOptions no_retries() {
  LockOptions o;
  o.retry_count = 0;
  // These tests are about the lock's semantics, not about slow servers: a generous timeout
  // keeps them true on a loaded machine under ASan.
  o.redis_timeout = 2s;
  return o;
}

using SingleLock = ServerTest;

TEST_F(SingleLock, SecondHolderIsRefusedUntilTheFirstReleases) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  const Stopwatch since_acquire;
  auto lease = locks.try_acquire("locks:order:o-123", 5s);
  ASSERT_TRUE(lease);
  EXPECT_TRUE(std::regex_match(lease->value(), std::regex("[0-9a-f]{32}")));
  EXPECT_EQ(r.get("locks:order:o-123"), lease->value()) << "key = resource, value = token";
  const long long pttl = r.pttl("locks:order:o-123");  // each value before the elapsed time
  EXPECT_LE(pttl, 5'000);
  EXPECT_GE(pttl, (5'000ms - since_acquire.elapsed()).count());
  const auto validity = lease->valid_for();
  EXPECT_LE(validity, 5'000ms - 50ms - 2ms) << "TTL minus the 1% drift + 2 ms";
  EXPECT_GE(validity, 5'000ms - 50ms - 2ms - since_acquire.elapsed());
  EXPECT_FALSE(locks.try_acquire("locks:order:o-123", 5s));
  EXPECT_THROW(locks.acquire("locks:order:o-123", 5s), LockNotAcquired);
  EXPECT_TRUE(lease->release());
  EXPECT_EQ(r.exists("locks:order:o-123"), 0);
  EXPECT_FALSE(lease->valid());
  EXPECT_TRUE(locks.try_acquire("locks:order:o-123", 5s));
}

TEST_F(SingleLock, ReleaseAndExtendNeverTouchAnotherHoldersLock) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  auto first = locks.try_acquire("job", 150ms);
  ASSERT_TRUE(first);
  std::this_thread::sleep_for(250ms);  // first's key expired
  auto second = locks.try_acquire("job", 10s);
  ASSERT_TRUE(second);
  EXPECT_FALSE(first->extend(10s)) << "past its validity: never extended";
  EXPECT_TRUE(first->lost());
  first->release();
  EXPECT_EQ(r.get("job"), second->value()) << "compare-and-delete left the new holder's key";

  r.set("job", "someone-else", redwire::px(10s));  // taken over while second thought it held it
  EXPECT_FALSE(second->extend(10s));
  EXPECT_TRUE(second->lost()) << second->lost_reason();
  EXPECT_THROW(second->check(), LockLost);
  second->release();
  EXPECT_EQ(r.get("job"), "someone-else");
}

TEST_F(SingleLock, ExtendResetsTheTtlOnTheServer) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  auto lease = locks.try_acquire("ext", 1s);
  ASSERT_TRUE(lease);
  std::this_thread::sleep_for(300ms);
  const Stopwatch since_extend;
  EXPECT_TRUE(lease->extend(5s));
  const long long pttl = r.pttl("ext");  // each value before the elapsed time
  EXPECT_GE(pttl, (5'000ms - since_extend.elapsed()).count()) << "1 s TTL reset to 5 s";
  const auto validity = lease->valid_for();
  EXPECT_GE(validity, 5'000ms - 52ms - since_extend.elapsed());
}

TEST_F(SingleLock, FencingTokensIncreaseWithEveryAcquisition) {
  SyncClient r{options()};
  LockOptions o = no_retries();
  o.fencing = true;
  SingleInstanceLock locks{r, o};
  long long last = 0;
  for (int i = 0; i < 5; ++i) {
    auto lease = locks.try_acquire("fenced", 5s);
    ASSERT_TRUE(lease);
    ASSERT_TRUE(lease->fencing_token());
    EXPECT_GT(*lease->fencing_token(), last);
    last = *lease->fencing_token();
    EXPECT_FALSE(locks.try_acquire("fenced", 5s)) << "a refused attempt takes no token";
  }
  EXPECT_EQ(r.get("fenced:fence"), std::to_string(last));
  EXPECT_EQ(last, 5);
}

TEST_F(SingleLock, AutoExtensionKeepsTheLockPastItsTtlUntilStopped) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  auto lease = locks.try_acquire("long-job", 1500ms);
  ASSERT_TRUE(lease);
  std::atomic<bool> told{false};
  {
    AutoExtension keeper{*lease, {.on_lost = [&](const std::string&) { told = true; }}};
    std::this_thread::sleep_for(4500ms);  // three TTLs: held only if extended
    EXPECT_TRUE(lease->valid());
    EXPECT_EQ(r.get("long-job"), lease->value());
    EXPECT_GE(keeper.extensions(), 3);
  }
  EXPECT_FALSE(told);
  lease->release();
  EXPECT_EQ(r.exists("long-job"), 0);
}

TEST_F(SingleLock, AutoExtensionTellsTheHolderWhenTheLockIsTakenOver) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  auto lease = locks.try_acquire("stolen", 1500ms);
  ASSERT_TRUE(lease);
  std::atomic<bool> told{false};
  std::string why;
  AutoExtension keeper{*lease, {.on_lost = [&](const std::string& reason) {
                         why = reason;
                         told = true;
                       }}};
  r.set("stolen", "intruder", redwire::px(10s));
  test::wait_until([&] { return told.load(); }, 10s, "the loss to be reported");
  EXPECT_TRUE(lease->lost());
  EXPECT_NE(why.find("refused"), std::string::npos) << why;
}

TEST_F(SingleLock, WithLockReleasesOnReturnAndOnExceptionAndReportsALoss) {
  SyncClient r{options()};
  SingleInstanceLock locks{r, no_retries()};
  EXPECT_EQ(locks.with_lock("w", 5s,
                            [&](Lease& lease) {
                              EXPECT_EQ(r.get("w"), lease.value());
                              return 42;
                            }),
            42);
  EXPECT_EQ(r.exists("w"), 0);
  EXPECT_THROW(locks.with_lock("w", 5s, [] { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(r.exists("w"), 0);
  EXPECT_THROW(locks.with_lock("w", 300ms,
                               [&] {
                                 r.set("w", "intruder", redwire::px(10s));
                                 std::this_thread::sleep_for(500ms);
                               }),
               LockLost);
  EXPECT_EQ(r.get("w"), "intruder");
}

}  // namespace
}  // namespace redwire::testing
