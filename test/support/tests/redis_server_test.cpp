// Self-tests of RedisServer: start/stop, several at once, AOF across kill -9, pause/resume.
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "redwire/test/gtest.hpp"
#include "redwire/test/raw_connection.hpp"
#include "redwire/test/redis_server.hpp"

namespace redwire::test {
namespace {

using namespace std::chrono_literals;

bool process_exists(pid_t pid) {
  return ::kill(pid, 0) == 0;
}

TEST(RedisServer, StartsAnswersAndLeavesNoProcessOrDirectory) {
  pid_t pid = -1;
  std::filesystem::path dir;
  {
    RedisServer server;
    pid = server.pid();
    dir = server.dir();
    EXPECT_GT(pid, 0);
    EXPECT_TRUE(process_exists(pid));
    EXPECT_EQ(server.host(), "127.0.0.1");
    EXPECT_EQ(server.url(), "redis://127.0.0.1:" + std::to_string(server.port()));
    EXPECT_EQ(server.cli("PING"), "PONG");
    EXPECT_EQ(server.cli("CONFIG", "GET", "appendonly"), "appendonly\nno");
    EXPECT_EQ(server.cli("CONFIG", "GET", "save"), "save\n");
    EXPECT_EQ(server.cli("DEBUG", "SLEEP", 0), "OK");  // --enable-debug-command local
    EXPECT_NE(server.log().find("Ready to accept connections"), std::string::npos);
  }
  EXPECT_FALSE(process_exists(pid));
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(RedisServer, SeveralServersRunAtOnceOnDistinctPorts) {
  RedisServer a, b, c;
  EXPECT_NE(a.port(), b.port());
  EXPECT_NE(b.port(), c.port());
  EXPECT_NE(a.dir(), b.dir());
  a.cli("SET", "who", "a");
  b.cli("SET", "who", "b");
  EXPECT_EQ(a.cli("GET", "who"), "a");
  EXPECT_EQ(b.cli("GET", "who"), "b");
  EXPECT_EQ(c.cli("GET", "who"), "");
}

TEST(RedisServer, Kill9AndRestartKeepsAppendOnlyData) {
  RedisServer server{{.appendonly = true}};
  const auto port = server.port();
  for (int i = 0; i < 5; ++i) server.cli("INCR", "counter");
  const pid_t old_pid = server.pid();
  server.kill9();
  EXPECT_EQ(server.pid(), -1);
  EXPECT_FALSE(process_exists(old_pid));
  server.restart();
  EXPECT_EQ(server.port(), port);
  EXPECT_NE(server.pid(), old_pid);
  EXPECT_EQ(server.cli("GET", "counter"), "5");
}

TEST(RedisServer, RestartWithoutPersistenceStartsEmpty) {
  RedisServer server;
  server.cli("SET", "k", "v");
  server.restart();
  EXPECT_EQ(server.cli("EXISTS", "k"), "0");
}

TEST(RedisServer, PausedServerAcceptsButDoesNotAnswerUntilResumed) {
  RedisServer server;
  RawConnection c = RawConnection::connect(server.host(), server.port());
  server.pause();
  EXPECT_TRUE(server.paused());
  c.send(encode_command({"PING"}));
  EXPECT_EQ(c.read_some(150ms).status, RawConnection::Status::timeout);
  server.resume();
  EXPECT_EQ(c.read_reply(5s), "+PONG\r\n");
}

TEST(RedisServer, StopsWhilePaused) {
  pid_t pid;
  {
    RedisServer server;
    pid = server.pid();
    server.pause();
  }
  EXPECT_FALSE(process_exists(pid));
}

TEST(RedisServer, ShutdownNosaveStopsTheProcessAndRestartWorks) {
  RedisServer server;
  server.shutdown_nosave();
  EXPECT_FALSE(server.running());
  EXPECT_THROW(RawConnection::connect(server.host(), server.port()), std::runtime_error);
  server.restart();
  EXPECT_EQ(server.cli("PING"), "PONG");
}

TEST(RedisServer, UnixSocketPasswordAndAclUsers) {
  RedisServer server{{.unix_socket = true,
                      .requirepass = "s3cret",
                      .users = {{.name = "alice", .password = "wonder"}}}};
  EXPECT_EQ(server.url(), "redis://:s3cret@127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(server.cli("PING"), "PONG");  // cli() authenticates as the default user
  RawConnection unix_conn = RawConnection::connect_unix(server.unix_path());
  EXPECT_EQ(unix_conn.command({"PING"}).substr(0, 7), "-NOAUTH");
  EXPECT_EQ(unix_conn.command({"AUTH", "alice", "wonder"}), "+OK\r\n");
  EXPECT_EQ(unix_conn.command({"ACL", "WHOAMI"}), "$5\r\nalice\r\n");
}

TEST(RedisServer, ExtraConfigAndArguments) {
  RedisServer server{{.config = {"maxmemory 1mb", "hz 50"}, .extra_args = {"--databases", "4"}}};
  EXPECT_EQ(server.cli("CONFIG", "GET", "maxmemory"), "maxmemory\n1048576");
  EXPECT_EQ(server.cli("CONFIG", "GET", "databases"), "databases\n4");
  EXPECT_EQ(server.info_field("server", "tcp_port"), std::to_string(server.port()));
}

TEST(RedisServer, BadConfigFailsFastWithTheLog) {
  try {
    RedisServer server{{.config = {"no-such-directive yes"}}};
    FAIL() << "started with a bad config";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-directive"), std::string::npos) << e.what();
  }
}

TEST(RedisServer, RestartWithKeyLoadDelayAnswersLoadingUntilLoaded) {
  RedisServer server;
  server.cli("DEBUG", "POPULATE", 10000);
  server.cli("SAVE");
  server.set_extra_args({"--key-load-delay", "100"});  // µs per key: ~1 s of loading
  server.restart();  // returns once the server answers, LOADING included
  EXPECT_EQ(server.info_field("persistence", "loading"), "1");
  EXPECT_EQ(server.cli("GET", "key:1").substr(0, 7), "LOADING");
  server.wait_loaded();
  EXPECT_EQ(server.cli("DBSIZE"), "10000");
}

}  // namespace
}  // namespace redwire::test
