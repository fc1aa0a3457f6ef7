// Connection commands that are offered on the shared link: PING, ECHO, CLIENT *.
#include <thread>

#include "fixture.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using ConnectionCommandsTest = ServerTest;

TEST_F(ConnectionCommandsTest, PingEchoAndIdentity) {
  SyncClient r{options()};
  EXPECT_EQ(r.ping(), "PONG");
  EXPECT_EQ(r.ping("hello"), "hello");
  EXPECT_EQ(r.echo(std::string("bin\0ary", 7)), std::string("bin\0ary", 7));
  const auto id = r.client_id();
  EXPECT_GT(id, 0);
  EXPECT_EQ(r.client_info().id(), id);
  EXPECT_EQ(r.client_getname(), std::nullopt);
  r.client_setname("worker-1");
  EXPECT_EQ(r.client_getname(), "worker-1");
  EXPECT_EQ(r.client_info().get("name"), "worker-1");
  const auto all = r.client_list();
  EXPECT_TRUE(
      std::any_of(all.begin(), all.end(), [&](const ClientInfo& c) { return c.id() == id; }));
  const auto mine = r.client_list({.ids = {id}});
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].get("name"), "worker-1");
  EXPECT_FALSE(r.client_list({.type = "normal"}).empty());
  EXPECT_EQ(r.client_getredir(), -1);
  EXPECT_EQ(r.client_trackinginfo().flags, std::vector<std::string>{"off"});
  r.client_no_evict(true);
  EXPECT_NE(r.client_info().get("flags").find('e'), std::string::npos);
  r.client_no_evict(false);
}

TEST_F(ConnectionCommandsTest, KillPauseAndUnblock) {
  SyncClient r{options()};
  SyncClient victim{options()};
  const auto victim_id = victim.client_id();
  EXPECT_EQ(r.client_kill({.id = victim_id}), 1);
  EXPECT_EQ(r.client_kill({.addr = "10.0.0.1:1"}), 0);
  EXPECT_EQ(victim.ping(), "PONG");  // reconnected

  r.client_pause(10000ms, PauseMode::write);
  EXPECT_EQ(r.get("k"), std::nullopt);  // reads still run
  r.client_unpause();
  EXPECT_TRUE(r.set("k", "v"));

  // Unblock a BLPOP running on another client's blocking link.
  SyncClient blocked{options()};
  std::thread waiter([&] {
    try {
      blocked.blpop("never", 0s);
      ADD_FAILURE() << "expected UNBLOCKED";
    } catch (const ReplyError& e) {
      EXPECT_EQ(e.prefix(), "UNBLOCKED");
    }
  });
  long long blocked_id = 0;
  test::wait_until(
      [&] {
        for (const auto& c : r.client_list()) {
          if (c.get("cmd") == "blpop") blocked_id = c.id();
        }
        return blocked_id != 0;
      },
      10s, "the BLPOP to block");
  EXPECT_TRUE(r.client_unblock(blocked_id, UnblockMode::error));
  waiter.join();
  EXPECT_FALSE(r.client_unblock(blocked_id, UnblockMode::timeout));
}

}  // namespace
}  // namespace redwire::testing
