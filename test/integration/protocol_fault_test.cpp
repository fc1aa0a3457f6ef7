// A peer that breaks the protocol (FAULTS.md row 14): the pending commands fail with a typed
// protocol error, the link is closed, and the next command works on a fresh link.
#include "fixture.hpp"
#include "scripted_server.hpp"

namespace redwire::testing {
namespace {

// The first connection answers GET with `bad`; later connections answer properly.
void expect_recovery_after(const std::string& bad, std::error_code expected) {
  ScriptedServer fake([&](int conn, const std::vector<std::string>& args) -> std::string {
    if (args[0] == "GET") return conn == 0 ? bad : "$4\r\ngood\r\n";
    return ScriptedServer::handshake_reply(args);
  });
  Options o;
  o.port = fake.port();
  o.retry_strategy = [](std::uint32_t) { return std::optional(std::chrono::milliseconds(10)); };
  SyncClient redis{o};
  try {
    redis.get("k");
    FAIL() << "expected a protocol error";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte"), std::string::npos) << e.what();
  }
  EXPECT_EQ(redis.get("k"), "good");
  EXPECT_EQ(fake.connections(), 2);
}

TEST(ProtocolFaults, UnknownTypeByteFailsThePendingCommandAndTheNextOneWorks) {
  expect_recovery_after("&\r\n", protocol_errc::invalid_type_byte);
}

TEST(ProtocolFaults, HttpResponseIsRejected) {
  expect_recovery_after("HTTP/1.1 400 Bad Request\r\n\r\n", protocol_errc::invalid_type_byte);
}

TEST(ProtocolFaults, NegativeLengthIsRejected) {
  expect_recovery_after("$-5\r\nabc\r\n", protocol_errc::invalid_length);
}

TEST(ProtocolFaults, HugeDeclaredLengthIsRejectedBeforeAnyAllocation) {
  expect_recovery_after("$99999999999999\r\n", protocol_errc::bulk_too_large);
}

TEST(ProtocolFaults, UnsolicitedReplyClosesTheLinkAndIsReported) {
  ScriptedServer fake([&](int conn, const std::vector<std::string>& args) -> std::string {
    if (args[0] == "GET") return conn == 0 ? "$1\r\na\r\n+EXTRA\r\n" : "$4\r\ngood\r\n";
    return ScriptedServer::handshake_reply(args);
  });
  Options o;
  o.port = fake.port();
  o.retry_strategy = [](std::uint32_t) { return std::optional(std::chrono::milliseconds(10)); };
  std::mutex m;
  std::vector<Event> errors;
  o.on_event = [&](const Event& e) {
    std::lock_guard lock(m);
    if (e.type == EventType::error) errors.push_back(e);
  };
  SyncClient redis{o};
  EXPECT_EQ(redis.get("k"), "a");  // its own reply came first and intact
  for (int i = 0; i < 100 && fake.connections() < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(redis.get("k"), "good");
  EXPECT_EQ(fake.connections(), 2);
  std::lock_guard lock(m);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().ec, protocol_errc::unexpected_reply);
  EXPECT_NE(errors.front().detail.find("EXTRA"), std::string::npos) << errors.front().detail;
}

TEST(ProtocolFaults, OtherCallersOnTheLinkFailTooAndEveryoneRecovers) {
  ScriptedServer fake([&](int conn, const std::vector<std::string>& args) -> std::string {
    if (args[0] == "GET") return conn == 0 && args[1] == "poison" ? "*1\r\n:x\r\n" : "$2\r\nok\r\n";
    return ScriptedServer::handshake_reply(args);
  });
  Options o;
  o.port = fake.port();
  o.retry_strategy = [](std::uint32_t) { return std::optional(std::chrono::milliseconds(10)); };
  asio::io_context io;
  Client redis{io, o};
  std::vector<std::error_code> results(3);
  int done = 0;
  for (int i = 0; i < 3; ++i) {
    redis.get(i == 1 ? "poison" : "fine", [&, i](std::error_code ec, std::optional<std::string>) {
      results[static_cast<std::size_t>(i)] = ec;
      ++done;
    });
  }
  while (done < 3 && io.run_one_for(5s)) {
  }
  EXPECT_FALSE(results[0]) << results[0].message();
  EXPECT_EQ(results[1], protocol_errc::invalid_integer);
  // Written after the poison, unanswered when the link closed.
  EXPECT_TRUE(results[2] == protocol_errc::invalid_integer || results[2] == errc::indeterminate)
      << results[2].message();
  std::optional<std::string> after;
  redis.get("fine", [&](std::error_code ec, std::optional<std::string> v) {
    EXPECT_FALSE(ec) << ec.message();
    after = v;
  });
  while (!after && io.run_one_for(5s)) {
  }
  EXPECT_EQ(after, "ok");
}

}  // namespace
}  // namespace redwire::testing
