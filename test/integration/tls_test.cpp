// TLS against real redis-servers started with --tls-port (certificates from TlsCertificates:
// a throwaway CA; the server certificate names DNS:localhost and IP:127.0.0.1). Commands flow
// over verified TLS; every misconfiguration ends in a clear error, never a hang; links
// reconnect with a fresh TLS session.
#include <thread>

#include "event_log.hpp"
#include "fixture.hpp"
#include "redwire/test/tls_certificates.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using test::RedisServer;
using test::TlsCertificates;

RetryStrategy fast_retries() {
  return [](std::uint32_t) { return std::optional(std::chrono::milliseconds(20)); };
}

RetryStrategy no_retries() {
  return [](std::uint32_t) { return std::optional<std::chrono::milliseconds>(); };
}

// The TLS port of `server`, verified against the test CA.
Options tls_options(const RedisServer& server) {
  Options o;
  o.host = server.host();
  o.port = server.tls_port();
  o.tls.enabled = true;
  o.tls.ca_file = TlsCertificates::shared().ca_cert().string();
  return o;
}

// Runs one command on a client that does not retry and returns the error it ends with.
std::pair<std::error_code, std::string> first_command_error(Options o) {
  o.retry_strategy = no_retries();
  SyncClient redis{o};
  try {
    redis.ping();
  } catch (const Error& e) {
    ::testing::Test::RecordProperty("error", e.what());  // in --gtest_output=xml reports
    return {e.code(), e.what()};
  }
  ADD_FAILURE() << "PING succeeded";
  return {};
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(Tls, CommandsPipelineAndBlockingCommandsFlowOverVerifiedTls) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.blocking_pool_size = 1;
  SyncClient redis{o};

  std::string binary("\0\r\n\xff\x01 tls", 9);
  binary += std::string(100'000, 'x');  // many TLS records
  redis.set("bin", binary);
  EXPECT_EQ(redis.get("bin"), binary);
  EXPECT_EQ(server.cli("STRLEN", "bin"), std::to_string(binary.size()));  // really stored

  auto p = redis.pipeline();
  std::vector<Slot<long long>> incrs;
  for (int i = 0; i < 100; ++i) incrs.push_back(p.incr("counter"));
  auto results = p.exec();
  ASSERT_EQ(results.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(results.value(incrs[static_cast<std::size_t>(i)]), i + 1);

  // BLPOP blocks on its own TLS link until another client pushes.
  std::optional<std::pair<std::string, std::string>> popped;
  std::thread blocked([&] { popped = redis.blpop({"jobs"}, 0s); });
  test::wait_until([&] { return contains(server.cli("CLIENT", "LIST"), "cmd=blpop"); }, 10s,
                   "BLPOP to block");
  EXPECT_EQ(redis.rpush("jobs", "job-1"), 1);
  blocked.join();
  ASSERT_TRUE(popped);
  EXPECT_EQ(popped->second, "job-1");
}

TEST(Tls, RedissUrlEnablesVerifiedTls) {
  RedisServer server{{.tls = true}};
  const std::string url =
      server.tls_url() + "/2?ca_file=" + TlsCertificates::shared().ca_cert().string();
  Options o = Options::from_url(url);
  ASSERT_TRUE(o.tls.enabled);
  SyncClient redis{o};
  redis.set("over-url", "1");
  EXPECT_EQ(server.cli("-n", "2", "GET", "over-url"), "1");
}

TEST(Tls, VerifiesTheDnsNameWhenConnectingByName) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.host = "localhost";  // the certificate's DNS name (also sent as SNI)
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
}

TEST(Tls, MutualTlsWorksWithAClientCertificate) {
  RedisServer server{{.tls = true, .tls_auth_clients = "yes"}};
  const TlsCertificates& certs = TlsCertificates::shared();
  Options o = tls_options(server);
  o.tls.cert_file = certs.client_cert().string();
  o.tls.key_file = certs.client_key().string();
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
  redis.set("mtls", "yes");
  EXPECT_EQ(server.cli("GET", "mtls"), "yes");
}

TEST(Tls, MutualTlsWithoutAClientCertificateFailsClearly) {
  RedisServer server{{.tls = true, .tls_auth_clients = "yes"}};
  const auto [ec, what] = first_command_error(tls_options(server));
  EXPECT_EQ(ec, errc::tls_handshake_failed) << what;
  EXPECT_TRUE(contains(what, "certificate")) << what;
}

TEST(Tls, UntrustedServerCertificateFailsVerificationAndReportsIt) {
  RedisServer server{{.tls = true}};
  const TlsCertificates other;  // a CA that did not sign the server's certificate
  Options o = tls_options(server);
  o.tls.ca_file = other.ca_cert().string();

  const auto [ec, what] = first_command_error(o);
  EXPECT_EQ(ec, errc::tls_handshake_failed) << what;
  EXPECT_TRUE(contains(what, "certificate verification failed")) << what;

  // With the default retry policy: the error is announced on every attempt, and a queued
  // command ends after max_retries_per_request.
  EventLog events;
  o.on_event = events.handler();
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = 2;
  SyncClient redis{o};
  try {
    redis.ping();
    FAIL() << "PING succeeded against an untrusted server";
  } catch (const ConnectionError& e) {
    EXPECT_EQ(e.code(), errc::max_retries_exceeded) << e.what();
  }
  bool reported = false;
  for (const Event& e : events.snapshot()) {
    if (e.type == EventType::error && e.ec == errc::tls_handshake_failed &&
        contains(e.detail, "certificate verification failed")) {
      reported = true;
    }
  }
  EXPECT_TRUE(reported);
  EXPECT_EQ(events.count(EventType::ready), 0u);
}

TEST(Tls, HostNameMismatchFailsUnlessVerificationIsSwitchedOff) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.tls.server_name = "redis.example.com";  // not in the certificate
  auto [ec, what] = first_command_error(o);
  EXPECT_EQ(ec, errc::tls_handshake_failed) << what;
  EXPECT_TRUE(contains(what, "hostname mismatch")) << what;  // OpenSSL's words
  EXPECT_TRUE(contains(what, "redis.example.com")) << what;

  o.tls.server_name = "127.0.0.2";  // an IP literal is checked against the IP entries
  std::tie(ec, what) = first_command_error(o);
  EXPECT_EQ(ec, errc::tls_handshake_failed) << what;
  EXPECT_TRUE(contains(what, "IP address mismatch")) << what;
  EXPECT_TRUE(contains(what, "127.0.0.2")) << what;

  o.tls.server_name = "redis.example.com";
  o.tls.verify_peer = false;    // explicitly dangerous: anything is accepted
  const TlsCertificates other;  // and no chain check either
  o.tls.ca_file = other.ca_cert().string();
  SyncClient redis{o};
  EXPECT_EQ(redis.ping(), "PONG");
}

TEST(Tls, PlainClientToTheTlsPortFailsClearly) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.tls.enabled = false;
  o.connect_timeout = 5s;  // the bound if the server just waited
  const auto [ec, what] = first_command_error(o);
  EXPECT_TRUE(ec) << what;
  EXPECT_NE(ec, errc::connect_timeout) << what;  // the server closes the link at once
  EXPECT_TRUE(contains(what, "a TLS port?")) << what;
}

TEST(Tls, TlsClientToThePlainPortFailsClearly) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.port = server.port();
  o.connect_timeout = 2s;  // a plain server may wait for the rest of the "command"
  const auto [ec, what] = first_command_error(o);
  EXPECT_TRUE(ec == errc::tls_handshake_failed || ec == errc::connect_timeout) << what;
  EXPECT_TRUE(contains(what, "TLS handshake")) << what;
}

TEST(Tls, BadFilesAndUnixSocketsAreConfigurationErrors) {
  RedisServer server{{.tls = true}};
  Options o = tls_options(server);
  o.tls.ca_file = "/nonexistent/ca.crt";
  auto [ec, what] = first_command_error(o);
  EXPECT_EQ(ec, errc::invalid_tls_config) << what;
  EXPECT_TRUE(contains(what, "/nonexistent/ca.crt")) << what;

  o = tls_options(server);
  o.tls.ca_file = TlsCertificates::shared().client_key().string();  // not a certificate
  std::tie(ec, what) = first_command_error(o);
  EXPECT_EQ(ec, errc::invalid_tls_config) << what;

  o = tls_options(server);
  o.tls.cert_file = TlsCertificates::shared().client_cert().string();  // no key_file
  std::tie(ec, what) = first_command_error(o);
  EXPECT_EQ(ec, errc::invalid_tls_config) << what;

  o = tls_options(server);
  o.tls.cert_file = TlsCertificates::shared().client_cert().string();
  o.tls.key_file = TlsCertificates::shared().server_key().string();  // the wrong key
  std::tie(ec, what) = first_command_error(o);
  EXPECT_EQ(ec, errc::invalid_tls_config) << what;

  o = tls_options(server);
  o.path = "/tmp/redis.sock";
  std::tie(ec, what) = first_command_error(o);
  EXPECT_EQ(ec, errc::invalid_tls_config) << what;
  EXPECT_TRUE(contains(what, "unix socket")) << what;
}

TEST(Tls, ReconnectsAfterClientKillAndCommandsKeepFlowing) {
  RedisServer server{{.tls = true}};
  EventLog events;
  Options o = tls_options(server);
  o.retry_strategy = fast_retries();
  o.on_event = events.handler();
  SyncClient redis{o};
  redis.set("before", "1");
  for (int round = 1; round <= 3; ++round) {
    EXPECT_NE(server.cli("CLIENT", "KILL", "TYPE", "normal"), "0");
    ASSERT_TRUE(events.wait_for(EventType::ready, static_cast<std::size_t>(round) + 1));
    EXPECT_EQ(redis.incr("after"), round);
  }
  EXPECT_EQ(redis.get("before"), "1");
}

TEST(Tls, ReconnectsAfterTheTlsServerIsKilledAndRestarted) {
  RedisServer server{{.appendonly = true, .tls = true}};
  EventLog events;
  Options o = tls_options(server);
  o.retry_strategy = fast_retries();
  o.max_retries_per_request = std::nullopt;
  o.on_event = events.handler();
  SyncClient redis{o};
  redis.set("durable", "1");
  server.kill9();
  ASSERT_TRUE(events.wait_for(EventType::reconnecting, 2));
  server.restart();
  EXPECT_EQ(redis.incr("after-restart"), 1);  // queued while down, sent once over new TLS
  EXPECT_EQ(redis.get("durable"), "1");
  EXPECT_GE(events.count(EventType::ready), 2u);
}

}  // namespace
}  // namespace redwire::testing
