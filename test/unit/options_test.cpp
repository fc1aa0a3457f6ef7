#include "redwire/options.hpp"

#include <gtest/gtest.h>

#include "redwire/command.hpp"
#include "redwire/command_info.hpp"

namespace redwire {
namespace {

TEST(OptionsFromUrl, ParsesHostPortCredentialsAndDb) {
  auto o = Options::from_url("redis://app:p%40ss@cache.internal:6380/4?name=svc&protocol=2");
  EXPECT_EQ(o.host, "cache.internal");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "p@ss");
  EXPECT_EQ(o.db, 4);
  EXPECT_EQ(o.client_name, "svc");
  EXPECT_EQ(o.protocol, 2);
}

TEST(OptionsFromUrl, LonePasswordAndDefaults) {
  auto o = Options::from_url("redis://:secret@localhost");
  EXPECT_EQ(o.username, "");
  EXPECT_EQ(o.password, "secret");
  EXPECT_EQ(o.port, 6379);
  EXPECT_EQ(o.db, 0);
  auto p = Options::from_url("redis://secret@localhost");
  EXPECT_EQ(p.password, "secret");
  EXPECT_EQ(Options::from_url("redis://").host, "127.0.0.1");  // empty host: the default
}

TEST(OptionsFromUrl, Ipv6AndUnixAndTls) {
  auto v6 = Options::from_url("redis://[::1]:7000/1");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 7000);
  EXPECT_EQ(v6.endpoint(), "[::1]:7000");
  auto u = Options::from_url("unix:///run/redis.sock?db=3");
  EXPECT_EQ(u.path, "/run/redis.sock");
  EXPECT_EQ(u.db, 3);
  EXPECT_TRUE(Options::from_url("rediss://h:1").tls.enabled);
  EXPECT_FALSE(Options::from_url("redis://h:1").tls.enabled);
}

TEST(OptionsFromUrl, RedissEnablesTlsWithVerificationAndTakesTlsFiles) {
  auto o = Options::from_url(
      "rediss://app:s%40cret@cache.example.com:6380/4?ca_file=%2Fetc%2Fca.crt&ca_dir=/etc/certs"
      "&cert_file=c.crt&key_file=c.key&server_name=redis.internal&name=svc");
  EXPECT_TRUE(o.tls.enabled);
  EXPECT_TRUE(o.tls.verify_peer);
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "s@cret");
  EXPECT_EQ(o.host, "cache.example.com");
  EXPECT_EQ(o.port, 6380);
  EXPECT_EQ(o.db, 4);
  EXPECT_EQ(o.client_name, "svc");
  EXPECT_EQ(o.tls.ca_file, "/etc/ca.crt");
  EXPECT_EQ(o.tls.ca_dir, "/etc/certs");
  EXPECT_EQ(o.tls.cert_file, "c.crt");
  EXPECT_EQ(o.tls.key_file, "c.key");
  EXPECT_EQ(o.tls.server_name, "redis.internal");
  EXPECT_EQ(o.tls.min_version, TlsVersion::tls1_2);
  EXPECT_EQ(Options::from_url("rediss://h").port, 6379);
}

TEST(OptionsFromUrl, TlsParametersNeedRediss) {
  // On redis:// or unix:// a TLS file would be silently unused: an error instead. Peer
  // verification cannot be switched off from a URL at all.
  for (const char* bad : {"redis://h?ca_file=/ca.crt", "unix:///s.sock?cert_file=c.crt",
                          "rediss://h?verify_peer=0", "rediss://h?insecure=1"}) {
    std::error_code ec;
    Options::from_url(bad, ec);
    EXPECT_EQ(ec, errc::invalid_url) << bad;
  }
}

TEST(OptionsFromUrl, RejectsMalformedUrlsWithoutEchoingThePassword) {
  for (const char* bad : {"http://x", "redis://h:0", "redis://h:99999", "redis://h/notadb",
                          "redis://h?unknown=1", "redis://[::1", "unix://relative"}) {
    std::error_code ec;
    Options::from_url(bad, ec);
    EXPECT_EQ(ec, errc::invalid_url) << bad;
  }
  try {
    Options::from_url("redis://user:topsecret@h:bad");
    FAIL();
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos);
  }
}

TEST(CommandInfo, LooksUpAnyCaseAndKnowsFlags) {
  ASSERT_NE(find_command("get"), nullptr);
  EXPECT_TRUE(find_command("GET")->flags & cmd_readonly);
  EXPECT_TRUE(find_command("brpop")->flags & cmd_blocking);
  EXPECT_EQ(find_command("NOPE"), nullptr);
}

TEST(CommandClassification, XreadBlocksOnlyWithBlockArgument) {
  EXPECT_TRUE(Command("XREAD", "BLOCK", 0, "STREAMS", "s", "$").blocking());
  EXPECT_FALSE(Command("XREAD", "COUNT", 1, "STREAMS", "s", "0").blocking());
  EXPECT_TRUE(Command("GET", "k").readonly());
  EXPECT_FALSE(Command("INCR", "k").readonly());
  EXPECT_FALSE(Command("UNKNOWNCMD").readonly());  // unknown commands are treated as writes
}

}  // namespace
}  // namespace redwire
