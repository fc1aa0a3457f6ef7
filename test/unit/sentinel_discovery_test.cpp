// Sentinel discovery without I/O: canned sentinel replies in, decisions out.
#include "redwire/sentinel/discovery.hpp"

#include <gtest/gtest.h>

#include "resp_test_support.hpp"

namespace redwire::sentinel {
namespace {

using test::reply_of;

std::string bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}

// One instance of SENTINEL REPLICAS / SENTINELS as RESP2 (flat array) or RESP3 (map).
std::string instance(const std::vector<std::pair<std::string, std::string>>& fields, bool resp3) {
  std::string out =
      (resp3 ? "%" : "*") + std::to_string(resp3 ? fields.size() : 2 * fields.size()) + "\r\n";
  for (const auto& [k, v] : fields) out += bulk(k) + bulk(v);
  return out;
}

std::string replica(std::string ip, std::string port, std::string flags = "slave",
                    std::string link = "ok", bool resp3 = false) {
  return instance({{"name", ip + ":" + port},
                   {"ip", ip},
                   {"port", port},
                   {"runid", "r" + port},
                   {"flags", flags},
                   {"master-link-status", link},
                   {"slave-priority", "100"},
                   {"slave-repl-offset", "42"}},
                  resp3);
}

std::string master_addr(std::string ip, std::string port) {
  return "*2\r\n" + bulk(ip) + bulk(port);
}

SentinelOptions options(SentinelRole role = SentinelRole::master) {
  SentinelOptions so;
  so.sentinels = {{"127.0.0.1", 26379}};
  so.master_name = "mymaster";
  so.role = role;
  return so;
}

TEST(SentinelDiscovery, QueryAsksForTheMasterThenReplicasThenPeers) {
  const Query m = make_query("mymaster", SentinelRole::master, false);
  EXPECT_EQ(m.replies, 1u);
  EXPECT_EQ(m.payload,
            "*3\r\n$8\r\nSENTINEL\r\n$23\r\nGET-MASTER-ADDR-BY-NAME\r\n$8\r\nmymaster\r\n");
  const Query r = make_query("mymaster", SentinelRole::replica, true);
  EXPECT_EQ(r.replies, 3u);
  EXPECT_NE(r.payload.find("REPLICAS"), std::string::npos);
  EXPECT_LT(r.payload.find("REPLICAS"), r.payload.find("SENTINELS"));
}

TEST(SentinelDiscovery, MasterAddressParsesArrayAndUnknownNameIsNull) {
  std::optional<HostPort> addr;
  EXPECT_FALSE(parse_master_address(reply_of(master_addr("10.0.0.5", "6380")).view(), addr));
  ASSERT_TRUE(addr);
  EXPECT_EQ(*addr, (HostPort{"10.0.0.5", 6380}));
  EXPECT_FALSE(parse_master_address(reply_of("*-1\r\n").view(), addr));  // RESP2 null array
  EXPECT_FALSE(addr);
  EXPECT_FALSE(parse_master_address(reply_of("_\r\n").view(), addr));  // RESP3 null
  EXPECT_FALSE(addr);
  EXPECT_TRUE(parse_master_address(reply_of("*1\r\n$1\r\nx\r\n").view(), addr));
  EXPECT_TRUE(parse_master_address(reply_of(master_addr("h", "99999")).view(), addr));
  EXPECT_TRUE(parse_master_address(reply_of(master_addr("h", "0")).view(), addr));
}

TEST(SentinelDiscovery, InstancesParseFromResp2AndResp3) {
  for (bool resp3 : {false, true}) {
    std::vector<InstanceFields> out;
    const auto bytes = "*2\r\n" + replica("10.0.0.1", "6379", "slave", "ok", resp3) +
                       replica("10.0.0.2", "6379", "slave", "ok", resp3);
    ASSERT_FALSE(parse_instances(reply_of(bytes).view(), out)) << resp3;
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].at("ip"), "10.0.0.2");
    EXPECT_EQ(out[0].at("master-link-status"), "ok");
  }
  std::vector<InstanceFields> out;
  EXPECT_TRUE(parse_instances(reply_of(":1\r\n").view(), out));
  EXPECT_TRUE(parse_instances(reply_of("*1\r\n*1\r\n$1\r\na\r\n").view(), out));  // odd pairs
}

TEST(SentinelDiscovery, UnhealthyReplicasAreSkipped) {
  auto fields = [](std::string flags, std::string link) {
    std::vector<InstanceFields> out;
    parse_instances(reply_of("*1\r\n" + replica("h", "1", flags, link)).view(), out);
    return out.at(0);
  };
  EXPECT_TRUE(replica_is_healthy(fields("slave", "ok")));
  EXPECT_FALSE(replica_is_healthy(fields("s_down,slave", "ok")));
  EXPECT_FALSE(replica_is_healthy(fields("slave,o_down", "ok")));
  EXPECT_FALSE(replica_is_healthy(fields("slave,disconnected", "ok")));
  EXPECT_FALSE(replica_is_healthy(fields("slave", "err")));
  EXPECT_TRUE(replica_is_healthy(fields("slave,s_downish", "ok")));  // whole words only
}

TEST(SentinelDiscovery, AnswerIsParsedInQueryOrder) {
  std::vector<Reply> replies{
      reply_of(master_addr("10.0.0.1", "6379")), reply_of("*1\r\n" + replica("10.0.0.2", "6379")),
      reply_of("*1\r\n" + instance({{"ip", "10.0.0.9"}, {"port", "26380"}}, false))};
  Answer a;
  std::string detail;
  ASSERT_FALSE(parse_answer(replies, SentinelRole::replica, true, a, detail)) << detail;
  EXPECT_EQ(a.master, (HostPort{"10.0.0.1", 6379}));
  ASSERT_EQ(a.replicas.size(), 1u);
  ASSERT_EQ(a.sentinels.size(), 1u);
  EXPECT_EQ(a.sentinels[0], (HostPort{"10.0.0.9", 26380}));
  // An error to GET-MASTER-ADDR-BY-NAME fails the answer (ask the next sentinel) ...
  std::vector<Reply> refused{reply_of("-NOAUTH Authentication required.\r\n")};
  EXPECT_EQ(parse_answer(refused, SentinelRole::master, false, a, detail), server_errc::noauth);
  EXPECT_EQ(detail, "NOAUTH Authentication required.");
  // ... an error to SENTINEL SENTINELS does not.
  std::vector<Reply> partial{reply_of(master_addr("10.0.0.1", "6379")), reply_of("-ERR nope\r\n")};
  EXPECT_FALSE(parse_answer(partial, SentinelRole::master, true, a, detail));
  EXPECT_TRUE(a.sentinels.empty());
  std::vector<Reply> short_answer{reply_of(master_addr("10.0.0.1", "6379"))};
  EXPECT_TRUE(parse_answer(short_answer, SentinelRole::replica, false, a, detail));
}

TEST(SentinelDiscovery, MasterRoleTargetsTheMasterThroughNatMap) {
  auto so = options();
  so.nat_map["10.0.0.1:6379"] = {"203.0.113.7", 16379};
  Answer a;
  a.master = HostPort{"10.0.0.1", 6379};
  std::minstd_rand rng(1);
  const Choice c = choose(a, so, rng);
  ASSERT_FALSE(c.ec);
  EXPECT_EQ(c.target.address, (HostPort{"203.0.113.7", 16379}));
  EXPECT_EQ(c.target.role, SentinelRole::master);
  a.master.reset();
  EXPECT_EQ(choose(a, so, rng).ec, sentinel_errc::master_unknown);
}

TEST(SentinelDiscovery, ReplicaRolePicksHealthyReplicasAtRandomOrByPreference) {
  auto so = options(SentinelRole::replica);
  Answer a;
  a.master = HostPort{"10.0.0.1", 6379};
  parse_instances(
      reply_of("*3\r\n" + replica("10.0.0.2", "6379") +
               replica("10.0.0.3", "6379", "slave,s_down") + replica("10.0.0.4", "6379"))
          .view(),
      a.replicas);
  std::minstd_rand rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const Choice c = choose(a, so, rng);
    ASSERT_FALSE(c.ec);
    EXPECT_EQ(c.target.role, SentinelRole::replica);
    seen.insert(c.target.address.host);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"10.0.0.2", "10.0.0.4"}));  // never the s_down one
  so.prefer_replica = [](const std::vector<ReplicaInfo>& healthy) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < healthy.size(); ++i) {
      if (healthy[i].address.host == "10.0.0.4" && healthy[i].repl_offset == 42) return i;
    }
    return std::nullopt;
  };
  EXPECT_EQ(choose(a, so, rng).target.address.host, "10.0.0.4");
}

TEST(SentinelDiscovery, ReplicaRoleFallsBackToTheMasterOnlyWhenAllowed) {
  auto so = options(SentinelRole::replica);
  Answer a;
  a.master = HostPort{"10.0.0.1", 6379};
  parse_instances(reply_of("*1\r\n" + replica("10.0.0.2", "6379", "slave", "err")).view(),
                  a.replicas);
  std::minstd_rand rng(1);
  EXPECT_EQ(choose(a, so, rng).ec, sentinel_errc::no_replica_available);
  so.fallback_to_master = true;
  const Choice c = choose(a, so, rng);
  ASSERT_FALSE(c.ec);
  EXPECT_EQ(c.target.address, (HostPort{"10.0.0.1", 6379}));
  EXPECT_EQ(c.target.role, SentinelRole::master);  // and the ROLE check expects a master
}

TEST(SentinelDiscovery, RoleCheckRejectsTheWrongRole) {
  const auto master = reply_of("*3\r\n$6\r\nmaster\r\n:100\r\n*0\r\n");
  const auto replica_role =
      reply_of("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$9\r\nconnected\r\n:100\r\n");
  std::string detail;
  EXPECT_FALSE(check_role(master.view(), SentinelRole::master, detail));
  EXPECT_FALSE(check_role(replica_role.view(), SentinelRole::replica, detail));
  EXPECT_EQ(check_role(replica_role.view(), SentinelRole::master, detail),
            sentinel_errc::role_mismatch);
  EXPECT_EQ(detail, "ROLE says slave, expected master");
  EXPECT_EQ(check_role(reply_of("+OK\r\n").view(), SentinelRole::master, detail),
            sentinel_errc::role_mismatch);
  const auto syncing =
      reply_of("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$4\r\nsync\r\n:-1\r\n");
  EXPECT_EQ(check_role(syncing.view(), SentinelRole::replica, detail),
            sentinel_errc::role_mismatch);
  EXPECT_EQ(detail, "the replica's link to its master is sync");
}

TEST(SentinelDiscovery, EventsAreReadForOurMasterOnly) {
  auto e = parse_event("+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380", "mymaster");
  EXPECT_EQ(e.kind, FailoverEvent::Kind::switched);
  EXPECT_EQ(e.old_master, (HostPort{"127.0.0.1", 6379}));
  EXPECT_EQ(e.new_master, (HostPort{"127.0.0.1", 6380}));
  EXPECT_EQ(parse_event("+switch-master", "other 1 2 3 4", "mymaster").kind,
            FailoverEvent::Kind::unrelated);
  EXPECT_EQ(parse_event("+switch-master", "mymaster 1 2 3", "mymaster").kind,
            FailoverEvent::Kind::unrelated);
  EXPECT_EQ(parse_event("+try-failover", "master mymaster 127.0.0.1 6379", "mymaster").kind,
            FailoverEvent::Kind::started);
  EXPECT_EQ(parse_event("+try-failover", "master mymasterx 127.0.0.1 6379", "mymaster").kind,
            FailoverEvent::Kind::unrelated);
  EXPECT_EQ(
      parse_event("-failover-abort-not-elected", "master mymaster 127.0.0.1 6379", "mymaster").kind,
      FailoverEvent::Kind::aborted);
  EXPECT_EQ(parse_event("+sdown", "master mymaster 127.0.0.1 6379", "mymaster").kind,
            FailoverEvent::Kind::unrelated);
}

TEST(SentinelDiscovery, SentinelListPromotesTheOneThatAnsweredAndMergesPeers) {
  SentinelList list({{"a", 1}, {"b", 2}, {"c", 3}, {"a", 1}});
  EXPECT_EQ(list.addresses().size(), 3u);
  list.promote({"c", 3});
  EXPECT_EQ(list.addresses(), (std::vector<HostPort>{{"c", 3}, {"a", 1}, {"b", 2}}));
  const auto added = list.merge({{"b", 2}, {"d", 4}});
  EXPECT_EQ(added, (std::vector<HostPort>{{"d", 4}}));
  EXPECT_EQ(list.addresses().back(), (HostPort{"d", 4}));
  std::vector<HostPort> many;
  for (std::uint16_t i = 0; i < 100; ++i) many.push_back({"x", static_cast<std::uint16_t>(i + 10)});
  list.merge(many);
  EXPECT_EQ(list.addresses().size(), SentinelList::kMaxSentinels);
}

TEST(SentinelDiscovery, NatMapTranslatesReportedAddresses) {
  std::map<std::string, HostPort> nat{{"10.0.0.1:6379", {"public", 1}}, {"[::1]:6379", {"v6", 2}}};
  EXPECT_EQ(translate(nat, {"10.0.0.1", 6379}), (HostPort{"public", 1}));
  EXPECT_EQ(translate(nat, {"::1", 6379}), (HostPort{"v6", 2}));
  EXPECT_EQ(translate(nat, {"10.0.0.2", 6379}), (HostPort{"10.0.0.2", 6379}));
}

}  // namespace
}  // namespace redwire::sentinel
