// The handshake state machine stepped with canned replies, no server.
#include "redwire/detail/handshake.hpp"

#include <gtest/gtest.h>

#include "redwire/resp/encoder.hpp"
#include "redwire/resp/parser.hpp"

namespace redwire::detail {
namespace {

Reply parse(std::string_view bytes) {
  resp::Parser p;
  resp::ReplyBuilder b;
  std::error_code ec;
  p.feed(
      bytes, [&](const resp::Node& n, bool) { b.add(n); }, ec);
  EXPECT_FALSE(ec);
  return b.take();
}

std::string bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}

std::string payload(const Handshake::Step& s) {
  const auto* send = std::get_if<Handshake::Send>(&s);
  return send ? send->payload : std::string("<not a send>");
}

// Feeds `replies` one by one; returns the step after the last.
Handshake::Step answer(Handshake& h, std::initializer_list<std::string_view> replies) {
  std::optional<Handshake::Step> step;
  for (auto r : replies) step = h.on_reply(parse(r));
  EXPECT_TRUE(step.has_value());
  return step ? std::move(*step) : Handshake::Step{Handshake::Done{}};
}

TEST(Handshake, HelloCarriesAuthAndNameThenSelectAndSetinfo) {
  Handshake h({.protocol = 3, .username = "app", .password = "pw", .client_name = "svc", .db = 2});
  const auto first = h.start();
  EXPECT_EQ(payload(first),
            "*7\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$2\r\npw\r\n$"
            "7\r\nSETNAME\r\n$3\r\nsvc\r\n");
  auto setup = answer(h, {"%2\r\n+version\r\n+7.0.15\r\n+role\r\n+master\r\n"});
  const std::string p = payload(setup);
  EXPECT_TRUE(p.starts_with("*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n")) << p;
  EXPECT_NE(p.find("SETINFO"), std::string::npos);
  EXPECT_EQ(std::get<Handshake::Send>(setup).replies, 3u);
  EXPECT_EQ(h.server_version(), "7.0.15");
  // SETINFO is unknown before Redis 7.2: ignored.
  auto ready = answer(
      h, {"+OK\r\n", "-ERR unknown subcommand 'SETINFO'\r\n", "-ERR unknown subcommand\r\n"});
  EXPECT_TRUE(payload(ready).find("INFO") != std::string::npos);
  const auto info = bulk("# Persistence\r\nloading:0\r\n");
  auto done = answer(h, {info});
  EXPECT_TRUE(std::holds_alternative<Handshake::Done>(done));
  EXPECT_EQ(h.protocol(), 3);
}

TEST(Handshake, UnknownHelloFallsBackToAuthAndSetnameOverResp2) {
  Handshake h({.protocol = 3, .password = "pw", .client_name = "svc", .ready_check = false});
  h.start();
  auto auth = answer(h, {"-ERR unknown command 'HELLO', with args beginning with: \r\n"});
  EXPECT_EQ(payload(auth), "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n");
  auto setup = answer(h, {"+OK\r\n"});
  EXPECT_NE(payload(setup).find("SETNAME"), std::string::npos);
  EXPECT_EQ(h.protocol(), 2);
  auto done = answer(h, {"+OK\r\n", "-ERR x\r\n", "-ERR x\r\n"});
  EXPECT_TRUE(std::holds_alternative<Handshake::Done>(done));
}

TEST(Handshake, NoprotoAlsoFallsBack) {
  Handshake h({.protocol = 3, .ready_check = false});
  h.start();
  auto setup = answer(h, {"-NOPROTO sorry, this protocol version is not supported\r\n"});
  EXPECT_NE(payload(setup).find("SETINFO"), std::string::npos);
  EXPECT_EQ(h.protocol(), 2);
}

TEST(Handshake, WrongPasswordIsAnAuthFailureWithTheServersText) {
  Handshake h({.protocol = 3, .username = "u", .password = "hunter2"});
  h.start();
  auto failed = answer(h, {"-WRONGPASS invalid username-password pair or user is disabled.\r\n"});
  const auto& f = std::get<Handshake::Failed>(failed);
  EXPECT_EQ(f.ec, errc::auth_failed);
  EXPECT_NE(f.detail.find("WRONGPASS"), std::string::npos);
  EXPECT_EQ(f.detail.find("hunter2"), std::string::npos);
}

TEST(Handshake, SelectFailureFailsTheHandshake) {
  Handshake h({.protocol = 3, .db = 99});
  h.start();
  answer(h, {"%0\r\n"});
  auto failed = answer(h, {"-ERR DB index is out of range\r\n", "+OK\r\n", "+OK\r\n"});
  const auto& f = std::get<Handshake::Failed>(failed);
  EXPECT_EQ(f.ec, errc::handshake_failed);
  EXPECT_NE(f.detail.find("SELECT 99"), std::string::npos);
}

TEST(Handshake, ReadyCheckWaitsWhileLoadingThenAsksAgain) {
  Handshake h({.protocol = 3});
  h.start();
  answer(h, {"%0\r\n"});
  answer(h, {"+OK\r\n", "+OK\r\n"});
  const auto loading = bulk("loading:1\r\nloading_eta_seconds:0\r\nfoo:bar\r\n");
  auto wait = answer(h, {loading});
  ASSERT_TRUE(std::holds_alternative<Handshake::Wait>(wait));
  EXPECT_EQ(std::get<Handshake::Wait>(wait).delay, std::chrono::milliseconds(100));
  auto again = h.resume();
  EXPECT_NE(payload(again).find("INFO"), std::string::npos);
  auto done = answer(h, {"$11\r\nloading:0\r\n\r\n"});
  EXPECT_TRUE(std::holds_alternative<Handshake::Done>(done));
}

TEST(Handshake, ExtraCommandsAreReplayedAndStrictOnesFailTheHandshake) {
  std::string readonly;
  resp::append_command(readonly, "READONLY");
  Handshake h({.protocol = 3, .ready_check = false, .extra = {{readonly, false}}});
  h.start();
  auto setup = answer(h, {"%0\r\n"});
  EXPECT_NE(payload(setup).find("READONLY"), std::string::npos);
  auto failed =
      answer(h, {"+OK\r\n", "+OK\r\n", "-ERR This instance has cluster support disabled\r\n"});
  EXPECT_EQ(std::get<Handshake::Failed>(failed).ec, errc::handshake_failed);
}

TEST(InfoLoading, ParsesLoadingFlagAndEta) {
  std::int64_t eta = -1;
  EXPECT_TRUE(info_says_loading("# Persistence\r\nloading:1\r\nloading_eta_seconds:7\r\n", &eta));
  EXPECT_EQ(eta, 7);
  EXPECT_FALSE(info_says_loading("# Persistence\r\nloading:0\r\n"));
  EXPECT_FALSE(info_says_loading("async_loading:1\r\n"));
}

}  // namespace
}  // namespace redwire::detail
