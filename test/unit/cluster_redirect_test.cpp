// MOVED/ASK parsing and node addresses: IPv4, IPv6 (bare and bracketed), host names, unknown
// endpoints, and everything malformed.
#include "redwire/cluster/redirect.hpp"

#include <gtest/gtest.h>

#include "redwire/cluster/node_address.hpp"

namespace redwire::cluster {
namespace {

TEST(NodeAddress, ParsesHostAndPort) {
  EXPECT_EQ(parse_node_address("127.0.0.1:7000"), (NodeAddress{"127.0.0.1", 7000}));
  EXPECT_EQ(parse_node_address("redis-2.example.com:6379"),
            (NodeAddress{"redis-2.example.com", 6379}));
  EXPECT_EQ(parse_node_address("[::1]:7000"), (NodeAddress{"::1", 7000}));
  EXPECT_EQ(parse_node_address("::1:7000"), (NodeAddress{"::1", 7000}));
  EXPECT_EQ(parse_node_address("[2001:db8::7]:6380"), (NodeAddress{"2001:db8::7", 6380}));
  EXPECT_EQ(parse_node_address(":7000"), (NodeAddress{"", 7000}));
}

TEST(NodeAddress, RejectsBadPorts) {
  EXPECT_FALSE(parse_node_address("127.0.0.1"));
  EXPECT_FALSE(parse_node_address("127.0.0.1:"));
  EXPECT_FALSE(parse_node_address("127.0.0.1:0"));
  EXPECT_FALSE(parse_node_address("127.0.0.1:65536"));
  EXPECT_FALSE(parse_node_address("127.0.0.1:70x"));
  EXPECT_FALSE(parse_node_address("127.0.0.1:-1"));
  EXPECT_FALSE(parse_node_address("[::1:7000"));
}

TEST(NodeAddress, PrintsIpv6InBrackets) {
  EXPECT_EQ((NodeAddress{"::1", 7000}).to_string(), "[::1]:7000");
  EXPECT_EQ((NodeAddress{"10.0.0.1", 7000}).to_string(), "10.0.0.1:7000");
}

TEST(Redirect, ParsesMoved) {
  auto r = parse_redirect("MOVED 3999 127.0.0.1:6381");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->kind, Redirect::Kind::moved);
  EXPECT_EQ(r->slot, 3999);
  EXPECT_EQ(r->target, (NodeAddress{"127.0.0.1", 6381}));
}

TEST(Redirect, ParsesAskWithIpv6AndHostNames) {
  auto bracketed = parse_redirect("ASK 16383 [::1]:7000");
  ASSERT_TRUE(bracketed);
  EXPECT_EQ(bracketed->kind, Redirect::Kind::ask);
  EXPECT_EQ(bracketed->slot, 16383);
  EXPECT_EQ(bracketed->target, (NodeAddress{"::1", 7000}));
  auto bare = parse_redirect("MOVED 0 fe80::1:7001");  // how the server prints IPv6
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->target, (NodeAddress{"fe80::1", 7001}));
  auto host = parse_redirect("MOVED 12182 redis-node-3.internal:6379");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->target, (NodeAddress{"redis-node-3.internal", 6379}));
}

TEST(Redirect, AnUnknownEndpointLeavesTheHostEmpty) {
  auto q = parse_redirect("MOVED 42 ?:6379");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->target, (NodeAddress{"", 6379}));
  auto empty = parse_redirect("ASK 42 :6379");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->target, (NodeAddress{"", 6379}));
}

TEST(Redirect, RejectsMalformedReplies) {
  EXPECT_FALSE(parse_redirect("MOVED 16384 127.0.0.1:7000"));  // slot out of range
  EXPECT_FALSE(parse_redirect("MOVED -1 127.0.0.1:7000"));
  EXPECT_FALSE(parse_redirect("MOVED abc 127.0.0.1:7000"));
  EXPECT_FALSE(parse_redirect("MOVED 12 127.0.0.1"));  // no port
  EXPECT_FALSE(parse_redirect("MOVED 12"));
  EXPECT_FALSE(parse_redirect("MOVED  127.0.0.1:7000"));
  EXPECT_FALSE(parse_redirect("MOVED 12 127.0.0.1:7000 extra"));
  EXPECT_FALSE(parse_redirect("moved 12 127.0.0.1:7000"));  // the server's prefixes are upper case
  EXPECT_FALSE(parse_redirect("ERR MOVED 12 127.0.0.1:7000"));
  EXPECT_FALSE(parse_redirect("TRYAGAIN Multiple keys request during rehashing of slot"));
  EXPECT_FALSE(parse_redirect(""));
}

}  // namespace
}  // namespace redwire::cluster
