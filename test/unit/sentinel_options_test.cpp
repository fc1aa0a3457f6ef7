// redis+sentinel:// URLs and the checks sentinel_setup() makes before anything connects.
#include <gtest/gtest.h>

#include "redwire/sentinel.hpp"

namespace redwire {
namespace {

TEST(SentinelOptions, UrlCarriesSentinelsMasterNameAndTheNodesOptions) {
  const auto so = SentinelOptions::from_url(
      "redis+sentinel://app:s%40cret@10.0.0.1:26380,10.0.0.2,[::1]:26381/mymaster/2"
      "?role=replica&sentinel_password=sp&sentinel_timeout=150&fallback_to_master=yes"
      "&name=svc&protocol=2");
  ASSERT_EQ(so.sentinels.size(), 3u);
  EXPECT_EQ(so.sentinels[0], (HostPort{"10.0.0.1", 26380}));
  EXPECT_EQ(so.sentinels[1], (HostPort{"10.0.0.2", 26379}));  // default sentinel port
  EXPECT_EQ(so.sentinels[2], (HostPort{"::1", 26381}));
  EXPECT_EQ(so.sentinels[2].to_string(), "[::1]:26381");
  EXPECT_EQ(so.master_name, "mymaster");
  EXPECT_EQ(so.role, SentinelRole::replica);
  EXPECT_EQ(so.sentinel_password, "sp");
  EXPECT_EQ(so.sentinel_timeout, std::chrono::milliseconds(150));
  EXPECT_TRUE(so.fallback_to_master);
  EXPECT_EQ(so.node.username, "app");
  EXPECT_EQ(so.node.password, "s@cret");
  EXPECT_EQ(so.node.db, 2);
  EXPECT_EQ(so.node.client_name, "svc");
  EXPECT_EQ(so.node.protocol, 2);
}

TEST(SentinelOptions, BadUrlsAreRejectedWithoutEchoingThem) {
  for (const char* url :
       {"redis://127.0.0.1/mymaster", "redis+sentinel://127.0.0.1", "redis+sentinel://127.0.0.1/",
        "redis+sentinel:///mymaster", "redis+sentinel://h:0/m", "redis+sentinel://h/m?role=boss",
        "redis+sentinel://h/m?typo=1", "redis+sentinel://h/m/x"}) {
    std::error_code ec;
    SentinelOptions::from_url(url, ec);
    EXPECT_EQ(ec, errc::invalid_url) << url;
  }
  try {
    SentinelOptions::from_url("redis+sentinel://u:hunter2@h/m?role=boss");
    FAIL();
  } catch (const std::system_error& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
}

TEST(SentinelOptions, SetupRejectsMissingSentinelsOrName) {
  SentinelOptions so;
  so.master_name = "mymaster";
  EXPECT_THROW(sentinel_setup(so), std::system_error);
  so.sentinels = {{"127.0.0.1", 26379}};
  so.master_name.clear();
  EXPECT_THROW(sentinel_setup(so), std::system_error);
  so.master_name = "mymaster";
  const auto s = sentinel_setup(so);
  EXPECT_TRUE(s.link_setup);
  ASSERT_TRUE(s.options.reconnect_on_error);  // role master: READONLY re-discovers and resends
  EXPECT_EQ(s.options.reconnect_on_error({server_errc::readonly, "READONLY You can't write"}),
            ErrorAction::reconnect_and_resend);
  EXPECT_EQ(s.options.reconnect_on_error({server_errc::wrongtype, "WRONGTYPE"}), ErrorAction::none);
  so.role = SentinelRole::replica;
  EXPECT_FALSE(sentinel_setup(so).options.reconnect_on_error);
}

TEST(SentinelOptions, ErrorCodesHaveTheirOwnCategory) {
  const std::error_code ec = sentinel_errc::no_sentinel_reachable;
  EXPECT_EQ(ec.category().name(), std::string("redwire.sentinel"));
  EXPECT_EQ(ec.message(), "no sentinel answered");
}

}  // namespace
}  // namespace redwire
