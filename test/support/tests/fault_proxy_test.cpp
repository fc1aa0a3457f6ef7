// Self-tests of FaultProxy against a real redis-server, with raw sockets (not the client).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "redwire/test/fault_proxy.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/raw_connection.hpp"
#include "redwire/test/redis_server.hpp"

namespace redwire::test {
namespace {

using namespace std::chrono_literals;
using Direction = FaultProxy::Direction;
using Status = RawConnection::Status;
using Clock = std::chrono::steady_clock;

class FaultProxyTest : public ::testing::Test {
 protected:
  RawConnection connect() { return RawConnection::connect(proxy.host(), proxy.port()); }

  RedisServer server;
  FaultProxy proxy{server.port()};
};

TEST_F(FaultProxyTest, PassesTrafficAndCountsIt) {
  RawConnection c = connect();
  EXPECT_EQ(c.command({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(c.command({"GET", "k"}), "$1\r\nv\r\n");
  // The proxy counts right after its write: the client may read the reply first.
  ASSERT_TRUE(proxy.wait_until([](const auto& n) { return n.bytes_server_to_client == 12; }));
  const auto n = proxy.counters();
  EXPECT_EQ(n.connections_accepted, 1u);
  EXPECT_EQ(n.connections_open, 1u);
  EXPECT_EQ(n.bytes_client_to_server,
            encode_command({"SET", "k", "v"}).size() + encode_command({"GET", "k"}).size());
  EXPECT_EQ(n.bytes_server_to_client, std::string("+OK\r\n$1\r\nv\r\n").size());
  EXPECT_EQ(proxy.url(), "redis://127.0.0.1:" + std::to_string(proxy.port()));
}

TEST_F(FaultProxyTest, DelaysReplies) {
  RawConnection c = connect();
  proxy.delay(300ms);
  const auto start = Clock::now();
  EXPECT_EQ(c.command({"PING"}), "+PONG\r\n");
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_EQ(server.cli("PING"), "PONG");
  proxy.pass();
  const auto again = Clock::now();
  EXPECT_EQ(c.command({"PING"}), "+PONG\r\n");
  EXPECT_LT(Clock::now() - again, 250ms);
}

TEST_F(FaultProxyTest, StallServerToClientHoldsRepliesButCommandsRun) {
  RawConnection c = connect();
  proxy.stall(Direction::server_to_client);
  c.send(encode_command({"SET", "k", "stalled"}));
  EXPECT_EQ(c.read_some(150ms).status, Status::timeout);
  EXPECT_EQ(server.cli("GET", "k"), "stalled");  // the command reached the server
  proxy.unstall();
  EXPECT_EQ(c.read_reply(), "+OK\r\n");
}

TEST_F(FaultProxyTest, StallBothHoldsCommandsUntilPass) {
  RawConnection c = connect();
  proxy.stall();
  c.send(encode_command({"SET", "k", "held"}));
  EXPECT_EQ(c.read_some(150ms).status, Status::timeout);
  EXPECT_EQ(server.cli("EXISTS", "k"), "0");
  proxy.pass();
  EXPECT_EQ(c.read_reply(), "+OK\r\n");
  EXPECT_EQ(server.cli("GET", "k"), "held");
}

TEST_F(FaultProxyTest, CutServerToClientDeliversExactlyNBytesThenCloses) {
  RawConnection c = connect();
  proxy.cut_after(10, Direction::server_to_client);
  c.send(encode_command({"PING"}) + encode_command({"PING"}) + encode_command({"PING"}));
  const auto got = c.read_exactly(100, 5s);
  EXPECT_EQ(got.data, "+PONG\r\n+PO");
  EXPECT_EQ(got.status, Status::eof);
  EXPECT_EQ(proxy.counters().cuts, 1u);
  // One-shot: the next connection passes.
  RawConnection next = connect();
  EXPECT_EQ(next.command({"PING"}), "+PONG\r\n");
}

TEST_F(FaultProxyTest, CutClientToServerTruncatesTheCommand) {
  RawConnection c = connect();
  proxy.cut_after(5, Direction::client_to_server);
  c.send(encode_command({"SET", "k", "v"}));
  EXPECT_TRUE(c.wait_closed(5s));
  EXPECT_EQ(server.cli("EXISTS", "k"), "0");
  EXPECT_EQ(proxy.counters().bytes_client_to_server, 5u);
}

TEST_F(FaultProxyTest, ResetAllSendsRstToBothEnds) {
  RawConnection c = connect();
  EXPECT_EQ(c.command({"CLIENT", "SETNAME", "victim"}), "+OK\r\n");
  proxy.reset_all();
  EXPECT_EQ(c.read_some(5s).status, Status::reset);
  EXPECT_EQ(proxy.counters().resets, 1u);
  EXPECT_TRUE(proxy.wait_until([](const auto& n) { return n.connections_open == 0; }));
  // The server saw its side go away too.
  const auto deadline = Clock::now() + 5s;
  while (server.cli("CLIENT", "LIST").find("name=victim") != std::string::npos) {
    ASSERT_LT(Clock::now(), deadline) << "server still lists the reset connection";
  }
}

TEST_F(FaultProxyTest, RefuseMakesConnectFailAndKeepsOpenConnections) {
  RawConnection open = connect();
  proxy.refuse();
  EXPECT_THROW(connect(), std::runtime_error);
  EXPECT_EQ(open.command({"PING"}), "+PONG\r\n");
  proxy.refuse(false);
  RawConnection later = connect();
  EXPECT_EQ(later.command({"PING"}), "+PONG\r\n");
}

TEST_F(FaultProxyTest, SliceSplitsRepliesIntoSmallSegments) {
  server.cli("SET", "k", std::string(40, 'x'));
  RawConnection c = connect();
  proxy.slice(4, 5ms);
  c.send(encode_command({"GET", "k"}));
  std::string reply;
  int reads = 0;
  while (!complete_reply_length(reply)) {
    auto r = c.read_some(5s);
    ASSERT_EQ(r.status, Status::ok);
    EXPECT_LE(r.data.size(), 8u);
    reply += r.data;
    ++reads;
  }
  EXPECT_EQ(reply, "$40\r\n" + std::string(40, 'x') + "\r\n");
  EXPECT_GE(reads, 5);
}

TEST_F(FaultProxyTest, ServerSideCloseReachesTheClient) {
  RawConnection c = connect();
  EXPECT_EQ(c.command({"CLIENT", "SETNAME", "doomed"}), "+OK\r\n");
  server.cli("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal");
  EXPECT_TRUE(c.wait_closed(5s));
  c.close();
  EXPECT_TRUE(proxy.wait_until([](const auto& n) { return n.connections_open == 0; }));
}

TEST_F(FaultProxyTest, TargetDownResetsNewConnections) {
  server.kill9();
  try {
    RawConnection c = connect();  // the reset may already hit connect() itself
    EXPECT_TRUE(c.wait_closed(5s));
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("reset"), std::string::npos) << e.what();
  }
  server.restart();
  RawConnection again = connect();
  EXPECT_EQ(again.command({"PING"}), "+PONG\r\n");
}

}  // namespace
}  // namespace redwire::test
