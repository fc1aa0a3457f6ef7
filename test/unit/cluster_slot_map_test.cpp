// CLUSTER SHARDS / CLUSTER SLOTS parsing (replies captured from redis-server 7.0.15, RESP2 and
// RESP3) and the slot map built from them: owners, members, MOVED updates.
#include "redwire/cluster/slot_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "redwire/error.hpp"
#include "resp_test_support.hpp"

namespace redwire::cluster {
namespace {

using redwire::test::reply_of;

// CLUSTER SHARDS from a fresh 3 + 3 cluster, replicas still syncing ("loading").
constexpr std::string_view kShardsResp2 =
    "*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n*14\r\n"
    "$2\r\nid\r\n$40\r\n1951a287160dfbd25280643c0c6f4e2279ab04fb\r\n$4\r\nport\r\n"
    ":17001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\n"
    "online\r\n*14\r\n$2\r\nid\r\n$40\r\n7ba8dde5251b128f072978485bc94f85d11f7485\r\n"
    "$4\r\nport\r\n:17003\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n"
    "127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n"
    "$6\r\nhealth\r\n$7\r\nloading\r\n*4\r\n$5\r\nslots\r\n*2\r\n:10923\r\n:16383\r\n"
    "$5\r\nnodes\r\n*2\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "92bd3208c5202db901ac5cdb3efe45cc3d7dbd2d\r\n$4\r\nport\r\n:17002\r\n$2\r\nip\r\n"
    "$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\n"
    "master\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*14\r\n"
    "$2\r\nid\r\n$40\r\nb18fdbbe45a1209368b2e350844b81bfe4f5e64f\r\n$4\r\nport\r\n"
    ":17004\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$7\r\n"
    "loading\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n*14\r\n"
    "$2\r\nid\r\n$40\r\nc54d176145ae9dea65214b1054bbe597b585540c\r\n$4\r\nport\r\n"
    ":17000\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:14\r\n$6\r\nhealth\r\n$6\r\n"
    "online\r\n*14\r\n$2\r\nid\r\n$40\r\n1d2e7f108855408950da511fed27ce4fe2ca1f5f\r\n"
    "$4\r\nport\r\n:17005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n"
    "127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n"
    "$6\r\nhealth\r\n$7\r\nloading\r\n";
constexpr std::string_view kShardsResp3 =
    "*3\r\n%2\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*2\r\n%7\r\n"
    "$2\r\nid\r\n$40\r\n1951a287160dfbd25280643c0c6f4e2279ab04fb\r\n$4\r\nport\r\n"
    ":17001\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\n"
    "online\r\n%7\r\n$2\r\nid\r\n$40\r\n7ba8dde5251b128f072978485bc94f85d11f7485\r\n"
    "$4\r\nport\r\n:17003\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n"
    "127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n"
    "$6\r\nhealth\r\n$7\r\nloading\r\n%2\r\n$5\r\nslots\r\n*2\r\n:10923\r\n:16383\r\n"
    "$5\r\nnodes\r\n*2\r\n%7\r\n$2\r\nid\r\n$40\r\n"
    "92bd3208c5202db901ac5cdb3efe45cc3d7dbd2d\r\n$4\r\nport\r\n:17002\r\n$2\r\nip\r\n"
    "$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\n"
    "master\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n%7\r\n"
    "$2\r\nid\r\n$40\r\nb18fdbbe45a1209368b2e350844b81bfe4f5e64f\r\n$4\r\nport\r\n"
    ":17004\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$7\r\n"
    "loading\r\n%2\r\n$5\r\nslots\r\n*2\r\n:0\r\n:5460\r\n$5\r\nnodes\r\n*2\r\n%7\r\n"
    "$2\r\nid\r\n$40\r\nc54d176145ae9dea65214b1054bbe597b585540c\r\n$4\r\nport\r\n"
    ":17000\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\n"
    "role\r\n$6\r\nmaster\r\n$18\r\nreplication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\n"
    "online\r\n%7\r\n$2\r\nid\r\n$40\r\n1d2e7f108855408950da511fed27ce4fe2ca1f5f\r\n"
    "$4\r\nport\r\n:17005\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n"
    "127.0.0.1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$18\r\nreplication-offset\r\n:0\r\n"
    "$6\r\nhealth\r\n$7\r\nloading\r\n";

// CLUSTER SLOTS from the same cluster.
constexpr std::string_view kSlotsResp2 =
    "*3\r\n*4\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:17000\r\n$40\r\n"
    "c54d176145ae9dea65214b1054bbe597b585540c\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n"
    ":17005\r\n$40\r\n1d2e7f108855408950da511fed27ce4fe2ca1f5f\r\n*0\r\n*4\r\n:5461\r\n"
    ":10922\r\n*4\r\n$9\r\n127.0.0.1\r\n:17001\r\n$40\r\n"
    "1951a287160dfbd25280643c0c6f4e2279ab04fb\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n"
    ":17003\r\n$40\r\n7ba8dde5251b128f072978485bc94f85d11f7485\r\n*0\r\n*4\r\n:10923\r\n"
    ":16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:17002\r\n$40\r\n"
    "92bd3208c5202db901ac5cdb3efe45cc3d7dbd2d\r\n*0\r\n*4\r\n$9\r\n127.0.0.1\r\n"
    ":17004\r\n$40\r\nb18fdbbe45a1209368b2e350844b81bfe4f5e64f\r\n*0\r\n";

// A shard after `kill -9` of its master: the promoted replica serves the slots and the old
// master is listed on its own, failed, without slots.
std::string shard_entry(std::string_view slots, std::string_view nodes_bulk, int node_count) {
  return "*4\r\n$5\r\nslots\r\n" + std::string(slots) + "$5\r\nnodes\r\n*" +
         std::to_string(node_count) + "\r\n" + std::string(nodes_bulk);
}
std::string node_entry(std::string_view id, int port, std::string_view role,
                       std::string_view health, std::string_view endpoint = "127.0.0.1") {
  auto bulk = [](std::string_view s) {
    return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
  };
  return "*12\r\n" + bulk("id") + bulk(id) + bulk("port") + ":" + std::to_string(port) + "\r\n" +
         bulk("endpoint") + bulk(endpoint) + bulk("ip") + bulk("127.0.0.1") + bulk("role") +
         bulk(role) + bulk("health") + bulk(health);
}

SlotMap parse_shards(std::string_view bytes, std::string_view fallback = "10.9.9.9") {
  std::vector<Shard> shards;
  std::string detail;
  const Reply reply = reply_of(bytes);
  EXPECT_FALSE(parse_cluster_shards(reply.view(), fallback, shards, detail)) << detail;
  return SlotMap(std::move(shards));
}

TEST(ClusterShards, ParsesTheRealResp2Reply) {
  std::vector<Shard> shards;
  std::string detail;
  ASSERT_FALSE(parse_cluster_shards(reply_of(kShardsResp2).view(), "", shards, detail)) << detail;
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_EQ(shards[0].slot_ranges, (std::vector<std::pair<int, int>>{{5461, 10922}}));
  ASSERT_EQ(shards[0].nodes.size(), 2u);
  const ClusterNode& master = shards[0].nodes[0];
  EXPECT_EQ(master.id, "1951a287160dfbd25280643c0c6f4e2279ab04fb");
  EXPECT_EQ(master.address, (NodeAddress{"127.0.0.1", 17001}));
  EXPECT_EQ(master.role, NodeRole::master);
  EXPECT_EQ(master.health, NodeHealth::online);
  EXPECT_EQ(shards[0].nodes[1].role, NodeRole::replica);
  EXPECT_EQ(shards[0].nodes[1].health, NodeHealth::loading);
  EXPECT_EQ(shards[0].master(), &shards[0].nodes[0]);
}

TEST(ClusterShards, Resp3MapsParseTheSameAsResp2Arrays) {
  std::vector<Shard> two, three;
  std::string detail;
  ASSERT_FALSE(parse_cluster_shards(reply_of(kShardsResp2).view(), "", two, detail)) << detail;
  ASSERT_FALSE(parse_cluster_shards(reply_of(kShardsResp3).view(), "", three, detail)) << detail;
  EXPECT_EQ(two, three);
}

// One shard of a `tls-cluster yes` node (announces both ports) and one plain-only node.
constexpr std::string_view kShardsBothPorts =
    "*2\r\n"
    "%2\r\n$5\r\nslots\r\n*2\r\n:0\r\n:8191\r\n$5\r\nnodes\r\n*1\r\n"
    "%5\r\n$2\r\nid\r\n$1\r\na\r\n$4\r\nport\r\n:7000\r\n$8\r\ntls-port\r\n:7100\r\n"
    "$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
    "%2\r\n$5\r\nslots\r\n*2\r\n:8192\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n"
    "%4\r\n$2\r\nid\r\n$1\r\nb\r\n$4\r\nport\r\n:7001\r\n"
    "$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n";

TEST(ClusterShards, ATlsClientIsRoutedToTheTlsPortWhenANodeAnnouncesBoth) {
  std::vector<Shard> plain, tls;
  std::string detail;
  ASSERT_FALSE(parse_cluster_shards(reply_of(kShardsBothPorts).view(), "", plain, detail))
      << detail;
  ASSERT_FALSE(parse_cluster_shards(reply_of(kShardsBothPorts).view(), "", tls, detail, true))
      << detail;
  ASSERT_EQ(plain.size(), 2u);
  ASSERT_EQ(tls.size(), 2u);
  EXPECT_EQ(plain[0].nodes.at(0).address.port, 7000);
  EXPECT_EQ(tls[0].nodes.at(0).address.port, 7100);
  EXPECT_EQ(plain[1].nodes.at(0).address.port, 7001);  // only a plain port: used by both
  EXPECT_EQ(tls[1].nodes.at(0).address.port, 7001);
}

TEST(SlotMap, KnowsTheOwnerOfEverySlot) {
  const SlotMap map = parse_shards(kShardsResp3);
  EXPECT_TRUE(map.covers_all_slots());
  EXPECT_EQ(map.master_of(0)->address.port, 17000);
  EXPECT_EQ(map.master_of(5460)->address.port, 17000);
  EXPECT_EQ(map.master_of(5461)->address.port, 17001);
  EXPECT_EQ(map.master_of(12182)->address.port, 17002);
  EXPECT_EQ(map.master_of(16383)->address.port, 17002);
  EXPECT_EQ(map.shard_of(16384), nullptr);
  EXPECT_EQ(map.shard_of(-1), nullptr);
  EXPECT_EQ(map.masters().size(), 3u);
  EXPECT_EQ(map.nodes().size(), 6u);
  EXPECT_TRUE(map.is_member({"127.0.0.1", 17005}));
  EXPECT_FALSE(map.is_member({"127.0.0.1", 17006}));
  EXPECT_FALSE(map.is_member({"localhost", 17000}));
}

TEST(SlotMap, AnEmptyMapServesNothing) {
  const SlotMap map;
  EXPECT_FALSE(map.covers_all_slots());
  EXPECT_EQ(map.master_of(0), nullptr);
  EXPECT_TRUE(map.masters().empty());
}

TEST(ClusterShards, AfterAFailoverThePromotedReplicaIsTheMaster) {
  const std::string bytes = "*2\r\n" +
                            shard_entry("*2\r\n:0\r\n:16383\r\n",
                                        node_entry("b18f", 17004, "master", "online") +
                                            node_entry("7ba8", 17003, "replica", "online"),
                                        2) +
                            shard_entry("*0\r\n", node_entry("92bd", 17002, "master", "fail"), 1);
  const SlotMap map = parse_shards(bytes);
  EXPECT_EQ(map.master_of(12182)->address.port, 17004);
  EXPECT_EQ(map.masters(), (std::vector<NodeAddress>{{"127.0.0.1", 17004}}));
  const ClusterNode* old = map.find({"127.0.0.1", 17002});
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->health, NodeHealth::failed);
}

TEST(ClusterShards, AnUnknownEndpointIsTheAnsweringNodesHost) {
  const std::string bytes =
      "*1\r\n" +
      shard_entry("*2\r\n:0\r\n:16383\r\n", node_entry("a", 7000, "master", "online", "?"), 1);
  const SlotMap map = parse_shards(bytes, "192.0.2.10");
  EXPECT_EQ(map.master_of(1)->address, (NodeAddress{"192.0.2.10", 7000}));
}

TEST(ClusterShards, RejectsMalformedShapes) {
  std::vector<Shard> shards;
  std::string detail;
  EXPECT_EQ(parse_cluster_shards(reply_of(":1\r\n").view(), "", shards, detail),
            make_error_code(protocol_errc::unexpected_reply));
  EXPECT_TRUE(parse_cluster_shards(
      reply_of("-ERR This instance has cluster support disabled\r\n").view(), "", shards, detail));
  EXPECT_NE(detail.find("cluster support disabled"), std::string::npos);
  const std::string bad_slot = "*1\r\n" + shard_entry("*2\r\n:0\r\n:16384\r\n",
                                                      node_entry("a", 7000, "master", "online"), 1);
  EXPECT_TRUE(parse_cluster_shards(reply_of(bad_slot).view(), "", shards, detail));
  const std::string odd_slots =
      "*1\r\n" + shard_entry("*1\r\n:0\r\n", node_entry("a", 7000, "master", "online"), 1);
  EXPECT_TRUE(parse_cluster_shards(reply_of(odd_slots).view(), "", shards, detail));
  const std::string bad_port =
      "*1\r\n" + shard_entry("*2\r\n:0\r\n:1\r\n", node_entry("a", 0, "master", "online"), 1);
  EXPECT_TRUE(parse_cluster_shards(reply_of(bad_port).view(), "", shards, detail));
  EXPECT_NE(detail.find("port"), std::string::npos);
}

TEST(ClusterSlots, ParsesTheRealReplyIntoTheSameOwners) {
  std::vector<Shard> shards;
  std::string detail;
  ASSERT_FALSE(parse_cluster_slots(reply_of(kSlotsResp2).view(), "", shards, detail)) << detail;
  const SlotMap from_slots(shards);
  const SlotMap from_shards = parse_shards(kShardsResp2);
  for (int slot = 0; slot < slot_count; slot += 97) {
    EXPECT_EQ(from_slots.master_of(slot)->address, from_shards.master_of(slot)->address) << slot;
  }
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_EQ(shards[0].nodes[1].address.port, 17005);
  EXPECT_EQ(shards[0].nodes[1].role, NodeRole::replica);
}

TEST(ClusterSlots, MergesRangesOfOneMasterAndRejectsBadRanges) {
  const std::string two_ranges =
      "*2\r\n*3\r\n:0\r\n:99\r\n*2\r\n$1\r\nh\r\n:7000\r\n*3\r\n:200\r\n:299\r\n*2\r\n$1\r\nh\r\n:"
      "7000\r\n";
  std::vector<Shard> shards;
  std::string detail;
  ASSERT_FALSE(parse_cluster_slots(reply_of(two_ranges).view(), "", shards, detail)) << detail;
  ASSERT_EQ(shards.size(), 1u);
  EXPECT_EQ(shards[0].slot_ranges, (std::vector<std::pair<int, int>>{{0, 99}, {200, 299}}));
  const std::string reversed = "*1\r\n*3\r\n:99\r\n:0\r\n*2\r\n$1\r\nh\r\n:7000\r\n";
  EXPECT_TRUE(parse_cluster_slots(reply_of(reversed).view(), "", shards, detail));
  const std::string no_node = "*1\r\n*2\r\n:0\r\n:1\r\n";
  EXPECT_TRUE(parse_cluster_slots(reply_of(no_node).view(), "", shards, detail));
}

TEST(SlotMap, MovedUpdatesOneSlotOnly) {
  SlotMap map = parse_shards(kShardsResp3);
  map.assign(12182, {"127.0.0.1", 17000});
  EXPECT_EQ(map.master_of(12182)->address.port, 17000);
  EXPECT_EQ(map.master_of(12181)->address.port, 17002);
  EXPECT_EQ(map.master_of(12183)->address.port, 17002);
  EXPECT_TRUE(map.covers_all_slots());
}

TEST(SlotMap, MovedToAReplicaPromotesItIntoAShardOfItsOwn) {
  SlotMap map = parse_shards(kShardsResp3);
  map.assign(12182, {"127.0.0.1", 17004});  // 17004 was 17002's replica
  const ClusterNode* m = map.master_of(12182);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->address.port, 17004);
  EXPECT_EQ(m->role, NodeRole::master);
  EXPECT_EQ(map.shard_of(12183)->nodes.size(), 1u);  // 17002 lost its replica
  EXPECT_EQ(map.nodes().size(), 6u);
}

}  // namespace
}  // namespace redwire::cluster
