// Server essentials, diagnostics, ACL and modules against a real server.
#include <thread>

#include "fixture.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using ServerCommandsTest = ServerTest;

TEST_F(ServerCommandsTest, InfoConfigAndSizes) {
  SyncClient r{options()};
  EXPECT_EQ(r.info("server").get("server", "redis_version"), "7.0.15");
  EXPECT_TRUE(r.info().sections.count("memory"));
  r.config_set("maxmemory", "10mb");
  r.config_set({{"maxmemory-samples", "7"}, {"hz", "15"}});
  const auto cfg = r.config_get({"maxmemory", "maxmemory-samples", "hz"});
  EXPECT_EQ(cfg.at("maxmemory"), "10485760");
  EXPECT_EQ(cfg.at("maxmemory-samples"), "7");
  EXPECT_EQ(cfg.at("hz"), "15");
  EXPECT_GE(r.config_get("maxmemory-*").size(), 3u);
  r.config_resetstat();  // resets INFO commandstats, not the configuration
  EXPECT_EQ(r.config_get({"hz"}).at("hz"), "15");
  r.config_rewrite();  // the harness runs the server from a config file
  r.set("a", "1");
  EXPECT_EQ(r.dbsize(), 1);
  r.flushdb(FlushMode::async);
  EXPECT_EQ(r.dbsize(), 0);
  r.set("a", "1");
  r.flushdb();
  r.set("b", "1");
  r.flushall(FlushMode::sync);
  r.set("c", "1");
  r.flushall();
  EXPECT_EQ(r.dbsize(), 0);
}

TEST_F(ServerCommandsTest, TimePersistenceAndRoles) {
  SyncClient r{options()};
  const auto now = std::chrono::system_clock::now();
  EXPECT_LT(std::chrono::abs(r.time() - now), 5s);
  const auto before = r.lastsave();
  r.save();
  EXPECT_GE(r.lastsave(), before);
  EXPECT_FALSE(r.bgsave().empty());
  test::wait_until(
      [&] { return server.info_field("persistence", "rdb_bgsave_in_progress") == "0"; }, 10s,
      "BGSAVE");
  EXPECT_FALSE(r.bgrewriteaof().empty());
  const auto role = r.role();
  EXPECT_EQ(role.role, "master");
  EXPECT_TRUE(role.replicas.empty());
  r.set("db0", "x");
  r.swapdb(0, 1);
  EXPECT_EQ(r.exists("db0"), 0);
  EXPECT_FALSE(r.lolwut().empty());
  EXPECT_EQ(r.command_count(), 240);
  EXPECT_EQ(r.command_list().size(), 366u);  // with subcommands
  EXPECT_EQ(r.command_getkeys({"MSET", "a", "1", "b", "2"}), (std::vector<std::string>{"a", "b"}));
}

TEST_F(ServerCommandsTest, ReplicationCommands) {
  test::RedisServer replica_server;
  SyncClient replica{options_for(replica_server)};
  replica.replicaof(server.host(), server.port());
  test::wait_until([&] { return replica.role().state == "connected"; }, 10s, "replica link");
  const auto role = replica.role();
  EXPECT_EQ(role.role, "slave");
  EXPECT_EQ(role.master_port, server.port());
  SyncClient master{options()};
  master.set("replicated", "1");
  EXPECT_EQ(master.wait(1, 5000ms), 1);
  test::wait_until([&] { return master.role().replicas.size() == 1; }, 10s, "master's view");
  EXPECT_EQ(master.role().replicas[0].port, replica_server.port());
  // FAILOVER needs a replica in sync: ask for one, then abort it (or see it refused).
  try {
    master.failover({.timeout = 100ms});
    master.failover({.abort = true});
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.prefix(), "ERR") << e.what();  // "FAILOVER is not in progress" if it finished
  }
  replica.replicaof_no_one();
  test::wait_until([&] { return replica.role().role == "master"; }, 10s, "promotion");
}

TEST_F(ServerCommandsTest, SlowlogLatencyAndMemory) {
  SyncClient r{options()};
  r.config_set({{"slowlog-log-slower-than", "0"}, {"latency-monitor-threshold", "1"}});
  r.slowlog_reset();
  r.set("slow", "v");
  EXPECT_GE(r.slowlog_len(), 1);
  const auto entries = r.slowlog_get(-1);
  ASSERT_FALSE(entries.empty());
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(), [](const SlowlogEntry& e) {
    return !e.args.empty() && e.args[0] == "SET";
  }));
  EXPECT_FALSE(r.slowlog_get().empty());

  r.command<void>("DEBUG", "SLEEP", "0.05");  // a latency spike: "command" event
  test::wait_until([&] { return !r.latency_latest().empty(); }, 5s, "latency event");
  const auto latest = r.latency_latest();
  EXPECT_EQ(latest[0].event, "command");
  EXPECT_GE(latest[0].max_ms, 40);
  EXPECT_FALSE(r.latency_history("command").empty());
  EXPECT_FALSE(r.latency_doctor().empty());
  EXPECT_FALSE(r.latency_graph("command").empty());
  const auto histograms = r.latency_histogram({"set"});
  ASSERT_EQ(histograms.count("set"), 1u);
  EXPECT_GE(histograms.at("set").calls, 1);
  EXPECT_FALSE(histograms.at("set").histogram_usec.empty());
  EXPECT_FALSE(r.latency_histogram().empty());
  EXPECT_EQ(r.latency_reset({"command"}), 1);
  EXPECT_GE(r.latency_reset(), 0);

  EXPECT_GT(r.memory_usage("slow").value_or(0), 0);
  EXPECT_GT(r.memory_usage("slow", 5).value_or(0), 0);
  EXPECT_EQ(r.memory_usage("none"), std::nullopt);
  const auto stats = r.memory_stats();
  EXPECT_GT(stats.get("peak.allocated").value_or(0), 0);
  EXPECT_TRUE(stats.get("db.0.overhead.hashtable.main").has_value());
  EXPECT_FALSE(r.memory_doctor().empty());
  EXPECT_FALSE(r.memory_malloc_stats().empty());
  r.memory_purge();
}

TEST_F(ServerCommandsTest, AclUsers) {
  SyncClient r{options()};
  EXPECT_FALSE(r.acl_cat().empty());
  EXPECT_FALSE(r.acl_cat("string").empty());
  r.acl_setuser("app", {"on", ">secret", "~app:*", "+get", "+@connection"});
  EXPECT_EQ(r.acl_users(), (std::vector<std::string>{"app", "default"}));
  EXPECT_EQ(r.acl_list().size(), 2u);
  EXPECT_EQ(r.acl_whoami(), "default");
  EXPECT_EQ(r.acl_genpass().size(), 64u);
  const auto user = r.acl_getuser("app");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->at("keys").value(), "~app:*");
  EXPECT_EQ(r.acl_getuser("nobody"), std::nullopt);
  EXPECT_EQ(r.acl_dryrun("app", {"GET", "app:1"}), "OK");
  EXPECT_NE(r.acl_dryrun("app", {"SET", "app:1", "x"}), "OK");

  // A denial shows up in the log.
  auto o = options();
  o.username = "app";
  o.password = "secret";
  SyncClient app{o};
  EXPECT_THROW(app.set("app:1", "x"), ReplyError);
  const auto log = r.acl_log(10);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0].at("username").value(), "app");
  r.acl_log_reset();
  EXPECT_TRUE(r.acl_log(10).empty());
  EXPECT_EQ(r.acl_deluser({"app", "nobody"}), 1);
  // No ACL file configured: LOAD and SAVE are refused, and say so.
  EXPECT_THROW(r.acl_save(), ReplyError);
  EXPECT_THROW(r.acl_load(), ReplyError);
}

TEST_F(ServerCommandsTest, Modules) {
  SyncClient r{options()};
  EXPECT_TRUE(r.module_list().empty());
  EXPECT_THROW(r.module_load("/nonexistent/module.so", {}), ReplyError);
  EXPECT_THROW(r.module_loadex("/nonexistent/module.so", {{"x", "1"}}, {"a"}), ReplyError);
  EXPECT_THROW(r.module_unload("nomodule"), ReplyError);
}

}  // namespace
}  // namespace redwire::testing
