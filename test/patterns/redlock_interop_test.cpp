// Wire compatibility with the Node.js `redlock` package (4.2.0, pinned in
// test/patterns/node/package-lock.json, over ioredis 5.9.3): a node process and redwire's
// Redlock on the same 5 redis-servers exclude each other, both ways and for multi-resource
// locks; both store the resource name as the key and 32 hex digits as the value; neither
// library's late release or extension touches a lock the other one holds. Skipped (not failed)
// when node/npm are missing or `npm ci` cannot reach the registry.
#include <regex>

#include "node_redlock_peer.hpp"
#include "redlock_fixture.hpp"

namespace redwire::testing {
namespace {

using patterns::Lease;
using patterns::Redlock;
using patterns::RedlockOptions;

class RedlockInteropTest : public RedlockTest {
 protected:
  void SetUp() override {
    if (auto why = prepare_node_redlock()) GTEST_SKIP() << *why;
    std::vector<std::uint16_t> ports;
    for (const auto& s : servers) ports.push_back(s->port());
    node = std::make_unique<NodeRedlockPeer>(ports);
  }

  static RedlockOptions once() {
    RedlockOptions o = fast();
    o.retry_count = 0;
    return o;
  }

  std::string value_of(const std::string& answer) {
    static const std::regex acquired("ACQUIRED ([0-9a-f]{32})");
    std::smatch m;
    if (!std::regex_match(answer, m, acquired)) {
      ADD_FAILURE() << "node said: " << answer;
      return {};
    }
    return m[1];
  }

  long long max_pttl(const std::string& key) {
    long long out = -3;
    for (const auto& s : servers) out = std::max(out, std::stoll(s->cli("PTTL", key)));
    return out;
  }

  std::unique_ptr<NodeRedlockPeer> node;
};

TEST_F(RedlockInteropTest, NodeRedlockHoldsExcludesRedwireAndUsesTheSameKeyAndValueScheme) {
  const Stopwatch since_acquire;
  const std::string value = value_of(node->ask("acquire locks:interop 10000"));
  for (const auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "locks:interop"), value) << "the resource name is the key";
    const long long pttl = std::stoll(s->cli("PTTL", "locks:interop"));  // before elapsed()
    EXPECT_GE(pttl, (10s - since_acquire.elapsed()).count()) << "PX 10000";
  }
  Redlock redlock{endpoints(), once()};
  EXPECT_FALSE(redlock.try_acquire({"locks:interop"}, 10s)) << "node holds it";
  for (const auto& s : servers) EXPECT_EQ(s->cli("GET", "locks:interop"), value);

  EXPECT_EQ(node->ask("extend 30000"), "EXTENDED");
  EXPECT_GT(max_pttl("locks:interop"), 20'000);
  EXPECT_FALSE(redlock.try_acquire({"locks:interop"}, 10s));

  EXPECT_EQ(node->ask("release"), "RELEASED");
  for (const auto& s : servers) EXPECT_EQ(s->cli("EXISTS", "locks:interop"), "0");
  Lease lease = redlock.acquire("locks:interop", 10s);
  EXPECT_TRUE(std::regex_match(lease.value(), std::regex("[0-9a-f]{32}")));
}

TEST_F(RedlockInteropTest, RedwireHoldsAndNodeRedlockIsRefusedUntilItIsReleased) {
  Redlock redlock{endpoints(), once()};
  Lease lease = redlock.acquire("locks:interop", 10s);
  EXPECT_EQ(node->ask("acquire locks:interop 10000").rfind("ACQUIRE-FAILED", 0), 0u)
      << node->output();
  for (const auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "locks:interop"), lease.value()) << "node's failed attempt left ours";
  }
  EXPECT_TRUE(lease.extend(30s));
  EXPECT_EQ(node->ask("acquire locks:interop 10000").rfind("ACQUIRE-FAILED", 0), 0u);
  EXPECT_TRUE(lease.release());
  const std::string value = value_of(node->ask("acquire locks:interop 10000"));
  for (const auto& s : servers) EXPECT_EQ(s->cli("GET", "locks:interop"), value);
  EXPECT_EQ(node->ask("release"), "RELEASED");
}

TEST_F(RedlockInteropTest, MultiResourceLocksExcludeEachOtherAcrossTheLibraries) {
  Redlock redlock{endpoints(), once()};
  const std::string value = value_of(node->ask("acquire a,b 10000"));
  for (const auto& s : servers) {
    EXPECT_EQ(s->cli("GET", "a"), value);
    EXPECT_EQ(s->cli("GET", "b"), value);
  }
  EXPECT_FALSE(redlock.try_acquire({"b", "c"}, 10s));
  for (const auto& s : servers) EXPECT_EQ(s->cli("EXISTS", "c"), "0") << "all or nothing";

  Lease xy = redlock.acquire(std::vector<std::string>{"x", "y"}, 10s);
  EXPECT_EQ(node->ask("release"), "RELEASED");
  EXPECT_EQ(node->ask("acquire y,z 10000").rfind("ACQUIRE-FAILED", 0), 0u);
  for (const auto& s : servers) {
    EXPECT_EQ(s->cli("EXISTS", "z"), "0") << "all or nothing, in node's script too";
    EXPECT_EQ(s->cli("GET", "y"), xy.value());
  }
}

TEST_F(RedlockInteropTest, NodeRedlocksLateExtendAndReleaseLeaveRedwiresLockAlone) {
  // Node holds for 30 s by its own clock; on the servers the keys vanish (as after an expiry it
  // did not notice), and redwire takes the lock for 10 s.
  value_of(node->ask("acquire locks:late 30000"));
  for (const auto& s : servers) s->cli("DEL", "locks:late");
  Redlock redlock{endpoints(), once()};
  Lease lease = redlock.acquire("locks:late", 10s);

  EXPECT_EQ(node->ask("extend 60000").rfind("EXTEND-FAILED", 0), 0u) << "compare, then expire";
  EXPECT_EQ(node->ask("release").rfind("RELEASE-FAILED", 0), 0u) << "compare, then delete";
  for (const auto& s : servers) EXPECT_EQ(s->cli("GET", "locks:late"), lease.value());
  EXPECT_LE(max_pttl("locks:late"), 10'000) << "node's extension did not prolong our lock";
  EXPECT_TRUE(lease.valid());
  EXPECT_TRUE(lease.extend(10s));
}

TEST_F(RedlockInteropTest, RedwiresLateExtendAndReleaseLeaveNodeRedlocksLockAlone) {
  Redlock redlock{endpoints(), once()};
  Lease lease = redlock.acquire("locks:late", 30s);
  for (const auto& s : servers) s->cli("DEL", "locks:late");
  const std::string value = value_of(node->ask("acquire locks:late 10000"));

  EXPECT_FALSE(lease.extend(60s));
  EXPECT_TRUE(lease.lost()) << "5 of 5 refused: " << lease.lost_reason();
  lease.release();
  for (const auto& s : servers) EXPECT_EQ(s->cli("GET", "locks:late"), value);
  EXPECT_LE(max_pttl("locks:late"), 10'000) << "redwire's extension did not prolong node's lock";
  EXPECT_EQ(node->ask("extend 10000"), "EXTENDED") << "node still holds it";
  EXPECT_EQ(node->ask("release"), "RELEASED");
}

}  // namespace
}  // namespace redwire::testing
