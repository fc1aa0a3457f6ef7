// Self-test of the TLS helpers: generated certificates and a redis-server with --tls-port.
#include <gtest/gtest.h>

#include <filesystem>

#include "redwire/test/child_process.hpp"
#include "redwire/test/gtest.hpp"
#include "redwire/test/redis_server.hpp"
#include "redwire/test/tls_certificates.hpp"

namespace redwire::test {
namespace {

CommandResult tls_ping(const RedisServer& server, bool with_client_cert) {
  const TlsCertificates& certs = TlsCertificates::shared();
  std::vector<std::string> argv{
      "redis-cli", "--tls",     "--cacert", certs.ca_cert().string(),         "--sni", "localhost",
      "-h",        "127.0.0.1", "-p",       std::to_string(server.tls_port())};
  if (with_client_cert) {
    argv.insert(argv.end(),
                {"--cert", certs.client_cert().string(), "--key", certs.client_key().string()});
  }
  argv.push_back("PING");
  return run_command(argv, std::chrono::seconds(10));
}

TEST(TlsCertificates, CreatesCaServerAndClientFiles) {
  const TlsCertificates& certs = TlsCertificates::shared();
  for (const auto& file : {certs.ca_cert(), certs.ca_key(), certs.server_cert(), certs.server_key(),
                           certs.client_cert(), certs.client_key()}) {
    EXPECT_TRUE(std::filesystem::exists(file)) << file;
  }
  const CommandResult verify = run_command(
      {"openssl", "verify", "-CAfile", certs.ca_cert().string(), certs.server_cert().string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(RedisServerTls, AnswersOnTheTlsPortAndKeepsThePlainPortForAdmin) {
  RedisServer server{{.tls = true}};
  ASSERT_NE(server.tls_port(), 0);
  EXPECT_EQ(server.tls_url(), "rediss://127.0.0.1:" + std::to_string(server.tls_port()));
  EXPECT_EQ(server.cli("PING"), "PONG");
  const CommandResult r = tls_ping(server, false);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "PONG\n");
}

TEST(RedisServerTls, MutualTlsRejectsClientsWithoutACertificate) {
  RedisServer server{{.tls = true, .tls_auth_clients = "yes"}};
  EXPECT_NE(tls_ping(server, false).out, "PONG\n");
  const CommandResult r = tls_ping(server, true);
  EXPECT_EQ(r.out, "PONG\n") << r.err;
}

}  // namespace
}  // namespace redwire::test
