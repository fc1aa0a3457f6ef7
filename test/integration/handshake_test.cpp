// What the handshake sets up on a real server: ACL login, db, name, protocol, unix sockets, and
// the fallback for servers without HELLO.
#include "event_log.hpp"
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using test::RedisServer;

TEST(Handshake, AclUserLogsInAndSeesItsOwnName) {
  RedisServer server{{.users = {{.name = "app", .password = "s3cret-pw"}}}};
  Options o = options_for(server);
  o.username = "app";
  o.password = "s3cret-pw";
  o.client_name = "orders-service";
  SyncClient redis{o};
  EXPECT_EQ(redis.command<std::string>("ACL", "WHOAMI"), "app");
  const auto list = server.cli("CLIENT", "LIST");
  EXPECT_NE(list.find("name=orders-service"), std::string::npos) << list;
  EXPECT_NE(list.find("user=app"), std::string::npos) << list;
  EXPECT_NE(list.find("resp=3"), std::string::npos) << list;
}

TEST(Handshake, WrongPasswordFailsClearlyWithoutTheSecretAndWithoutRetrying) {
  RedisServer server{{.users = {{.name = "app", .password = "right-pw"}}}};
  Options o = options_for(server);
  o.username = "app";
  o.password = "very-wrong-secret";
  EventLog events;
  o.on_event = events.handler();
  SyncClient redis{o};
  try {
    redis.ping();
    FAIL() << "expected an authentication error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::auth_failed);
    const std::string what = e.what();
    EXPECT_NE(what.find("WRONGPASS"), std::string::npos) << what;
    EXPECT_EQ(what.find("very-wrong-secret"), std::string::npos) << what;
  }
  EXPECT_THROW(redis.ping(), Error);  // later commands fail fast with the same error
  // Not retried: exactly one connection attempt, and the client ended.
  ASSERT_TRUE(events.wait_for(EventType::end));
  EXPECT_EQ(events.count(EventType::connecting), 1u);
  for (const auto& e : events.snapshot()) {
    EXPECT_EQ(e.detail.find("very-wrong-secret"), std::string::npos);
  }
}

TEST(Handshake, SelectsTheDatabaseFromTheUrl) {
  RedisServer server;
  SyncClient redis{Options::from_url("redis://127.0.0.1:" + std::to_string(server.port()) + "/3")};
  redis.set("in-db-3", "yes");
  EXPECT_EQ(server.cli("-n", "3", "GET", "in-db-3"), "yes");
  EXPECT_EQ(server.cli("GET", "in-db-3"), "");
}

TEST(Handshake, Resp2OnRequest) {
  RedisServer server;
  Options o = options_for(server);
  o.protocol = 2;
  o.client_name = "resp2-client";
  SyncClient redis{o};
  redis.hset("h", FieldValues{{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(redis.hgetall("h"), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
  redis.zadd("z", {{1.5, "x"}});
  EXPECT_EQ(redis.zrange_withscores("z", 0, -1), (std::vector<ScoredMember>{{"x", 1.5}}));
  const auto list = server.cli("CLIENT", "LIST");
  EXPECT_NE(list.find("resp=2"), std::string::npos) << list;
}

TEST(Handshake, UnixSocket) {
  RedisServer server{{.unix_socket = true}};
  SyncClient redis{Options::from_url("unix://" + server.unix_path() + "?db=2")};
  redis.set("via-unix", "1");
  EXPECT_EQ(server.cli("-n", "2", "GET", "via-unix"), "1");
}

TEST(Handshake, FallsBackToAuthWhenHelloIsUnknown) {
  // A server without HELLO (renamed away), as before Redis 6: AUTH + CLIENT SETNAME, RESP2.
  RedisServer server{{.requirepass = "pw", .config = {"rename-command HELLO \"\""}}};
  Options o = options_for(server);
  o.password = "pw";
  o.client_name = "legacy";
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
  const auto list = server.cli("CLIENT", "LIST");
  EXPECT_NE(list.find("name=legacy"), std::string::npos) << list;
  EXPECT_NE(list.find("resp=2"), std::string::npos) << list;
}

}  // namespace
}  // namespace redwire::testing
