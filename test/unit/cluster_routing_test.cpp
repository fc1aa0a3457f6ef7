// Routing decisions without a server: where each kind of command goes, what is split, what is
// refused, and which node of a shard serves a read.
#include "redwire/cluster/routing.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/cluster/crc16.hpp"
#include "resp_test_support.hpp"

namespace redwire::cluster {
namespace {

using Kind = CommandRoute::Kind;

CommandRoute route(std::initializer_list<std::string_view> args) {
  const std::vector<std::string_view> v(args);
  return route_command(v);
}

TEST(Routing, SingleKeyCommandsGoToTheirSlot) {
  auto r = route({"GET", "foo"});
  EXPECT_EQ(r.kind, Kind::slot);
  EXPECT_EQ(r.slot, 12182);
  EXPECT_EQ(route({"HSET", "user:{1001}", "name", "John"}).slot, key_slot("1001"));
  EXPECT_EQ(route({"BLPOP", "queue", "0"}).slot, key_slot("queue"));
  EXPECT_EQ(route({"XREAD", "COUNT", "1", "STREAMS", "s", "0"}).slot, key_slot("s"));
}

TEST(Routing, KeysSharingAHashTagStayOnOneSlot) {
  auto r = route({"MGET", "user:{1001}:name", "user:{1001}:email"});
  EXPECT_EQ(r.kind, Kind::slot);
  EXPECT_EQ(r.slot, 15391);
  EXPECT_EQ(route({"RENAME", "{a}x", "{a}y"}).kind, Kind::slot);
  EXPECT_EQ(route({"EVAL", "return 1", "2", "{t}1", "{t}2", "arg"}).slot, key_slot("t"));
}

TEST(Routing, SplittableCommandsAcrossSlotsAreSplit) {
  EXPECT_EQ(route({"MGET", "a", "b"}).merge, SplitMerge::mget);
  EXPECT_EQ(route({"MGET", "a", "b"}).kind, Kind::split);
  EXPECT_EQ(route({"MSET", "a", "1", "b", "2"}).merge, SplitMerge::all_ok);
  EXPECT_EQ(route({"DEL", "a", "b"}).merge, SplitMerge::sum);
  EXPECT_EQ(route({"unlink", "a", "b"}).merge, SplitMerge::sum);
  EXPECT_EQ(route({"EXISTS", "a", "b"}).merge, SplitMerge::sum);
  EXPECT_EQ(route({"TOUCH", "a", "b"}).merge, SplitMerge::sum);
}

TEST(Routing, OtherMultiKeyCommandsAcrossSlotsAreRefusedWithCrossslot) {
  for (auto r : {route({"MSETNX", "a", "1", "b", "2"}), route({"RENAME", "a", "b"}),
                 route({"SUNIONSTORE", "a", "b", "c"}), route({"EVAL", "return 1", "2", "a", "b"}),
                 route({"BLPOP", "a", "b", "0"})}) {
    EXPECT_EQ(r.kind, Kind::cross_slot);
    EXPECT_TRUE(r.detail.starts_with("CROSSSLOT ")) << r.detail;
    EXPECT_NE(r.detail.find("'a' is in slot 15495"), std::string::npos) << r.detail;
  }
}

TEST(Routing, KeylessCommandsGoToAnyMasterOrEveryMaster) {
  EXPECT_EQ(route({"PING"}).kind, Kind::keyless);
  EXPECT_EQ(route({"INFO", "memory"}).kind, Kind::keyless);
  EXPECT_EQ(route({"EVAL", "return 1", "0"}).kind, Kind::keyless);
  EXPECT_EQ(route({"PUBLISH", "news", "hi"}).kind, Kind::keyless);
  EXPECT_EQ(route({"MODULE-COMMAND", "x"}).kind, Kind::keyless);  // unknown: no known keys
  EXPECT_EQ(route({"FLUSHALL"}).fan_out, FanOut::all_ok);
  EXPECT_EQ(route({"flushdb", "ASYNC"}).fan_out, FanOut::all_ok);
  EXPECT_EQ(route({"SCRIPT", "LOAD", "return 1"}).fan_out, FanOut::all_ok);
  EXPECT_EQ(route({"SCRIPT", "FLUSH"}).kind, Kind::all_masters);
  EXPECT_EQ(route({"DBSIZE"}).fan_out, FanOut::sum);
  EXPECT_EQ(route({"KEYS", "user:*"}).fan_out, FanOut::concat);
  EXPECT_EQ(route({"SCRIPT", "EXISTS", "abc"}).kind, Kind::keyless);
}

TEST(Routing, ShardChannelsRouteLikeKeys) {
  auto r = route({"SPUBLISH", "orders", "hello"});
  EXPECT_EQ(r.kind, Kind::slot);
  EXPECT_EQ(r.slot, key_slot("orders"));
}

TEST(Routing, LinkStateCommandsAreRefused) {
  for (auto r : {route({"MULTI"}), route({"EXEC"}), route({"WATCH", "a"}), route({"SELECT", "1"}),
                 route({"READONLY"}), route({"ASKING"}), route({"SUBSCRIBE", "c"}),
                 route({"CLIENT", "REPLY", "OFF"}), route({"MONITOR"})}) {
    EXPECT_EQ(r.kind, Kind::refused);
    EXPECT_FALSE(r.detail.empty());
  }
  EXPECT_EQ(route({}).kind, Kind::refused);
}

TEST(CommonSlot, TellsNoKeysFromCrossSlot) {
  const std::vector<std::string_view> none{"PING"}, one{"GET", "a"}, two{"MGET", "a", "b"};
  EXPECT_EQ(common_slot(none), -1);
  EXPECT_EQ(common_slot(one), 15495);
  std::string detail;
  EXPECT_EQ(common_slot(two, &detail), -2);
  EXPECT_NE(detail.find("'b' in slot 3300"), std::string::npos) << detail;
}

TEST(SplitBySlot, MgetPartsRememberWhereEachValueGoes) {
  // a: 15495, b: 3300, {a}x: 15495
  const std::vector<std::string_view> args{"MGET", "a", "b", "{a}x", "b"};
  auto parts = split_by_slot(args, SplitMerge::mget);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].slot, 15495);
  EXPECT_EQ(parts[0].positions, (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(parts[0].payload, "*3\r\n$4\r\nMGET\r\n$1\r\na\r\n$4\r\n{a}x\r\n");
  EXPECT_EQ(parts[1].slot, 3300);
  EXPECT_EQ(parts[1].positions, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(parts[1].payload, "*3\r\n$4\r\nMGET\r\n$1\r\nb\r\n$1\r\nb\r\n");
}

TEST(SplitBySlot, MsetKeepsPairsTogether) {
  const std::vector<std::string_view> args{"MSET", "a", "1", "b", "2", "{a}z", "3"};
  auto parts = split_by_slot(args, SplitMerge::all_ok);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].payload,
            "*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$4\r\n{a}z\r\n$1\r\n3\r\n");
  EXPECT_EQ(parts[1].payload, "*3\r\n$4\r\nMSET\r\n$1\r\nb\r\n$1\r\n2\r\n");
}

Shard shard_with_replicas() {
  Shard s;
  s.slot_ranges = {{0, 16383}};
  s.nodes = {ClusterNode{"m", {"10.0.0.1", 7000}, NodeRole::master, NodeHealth::online},
             ClusterNode{"r1", {"10.0.0.2", 7000}, NodeRole::replica, NodeHealth::online},
             ClusterNode{"r2", {"10.0.0.3", 7000}, NodeRole::replica, NodeHealth::loading},
             ClusterNode{"r3", {"10.0.0.4", 7000}, NodeRole::replica, NodeHealth::online}};
  return s;
}

TEST(PickNode, WritesAlwaysGoToTheMaster) {
  const Shard s = shard_with_replicas();
  for (auto mode : {ScaleReads::master, ScaleReads::replica, ScaleReads::any}) {
    for (std::uint64_t r = 0; r < 8; ++r) EXPECT_EQ(pick_node(s, false, mode, r)->id, "m");
  }
}

TEST(PickNode, ReadsFollowScaleReadsAmongHealthyNodes) {
  const Shard s = shard_with_replicas();
  EXPECT_EQ(pick_node(s, true, ScaleReads::master, 5)->id, "m");
  std::set<std::string> replica_choices, any_choices;
  for (std::uint64_t r = 0; r < 12; ++r) {
    replica_choices.insert(pick_node(s, true, ScaleReads::replica, r)->id);
    any_choices.insert(pick_node(s, true, ScaleReads::any, r)->id);
  }
  EXPECT_EQ(replica_choices, (std::set<std::string>{"r1", "r3"}));  // r2 is loading
  EXPECT_EQ(any_choices, (std::set<std::string>{"m", "r1", "r3"}));
}

TEST(PickNode, ReplicaReadsFallBackToTheMasterWithoutHealthyReplicas) {
  Shard s = shard_with_replicas();
  for (auto& n : s.nodes) {
    if (n.role == NodeRole::replica) n.health = NodeHealth::failed;
  }
  EXPECT_EQ(pick_node(s, true, ScaleReads::replica, 3)->id, "m");
  Shard no_master;
  EXPECT_EQ(pick_node(no_master, true, ScaleReads::any, 0), nullptr);
  EXPECT_EQ(read_candidates(s).size(), 1u);
}

}  // namespace
}  // namespace redwire::cluster
