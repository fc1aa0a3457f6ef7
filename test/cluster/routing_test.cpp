// Commands reach the master of their slot; hash tags keep keys together; cross-slot MGET, MSET,
// DEL, UNLINK, EXISTS and TOUCH are split and merged in order; other cross-slot commands are
// refused locally; keyless fan-out commands combine every master's answer.
#include <algorithm>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <set>

#include "cluster_fixture.hpp"
#include "redwire/test/fault_proxy.hpp"
#include "redwire/test/ports.hpp"

namespace redwire::cluster_testing {
namespace {

TEST(ClusterRouting, EveryKeyLandsOnTheMasterOfItsSlot) {
  SyncClusterClient r{cluster_options()};
  for (int i = 0; i < 60; ++i) {
    const std::string key = "route:" + std::to_string(i);
    r.set(key, std::to_string(i));
    RedisServer& owner = topology().master_of_slot(cluster::key_slot(key));
    EXPECT_EQ(owner.cli("GET", key), std::to_string(i)) << key;
  }
  EXPECT_EQ(r.masters().size(), 3u);
  EXPECT_EQ(r.nodes().size(), 6u);
  EXPECT_EQ(r.stats().moved, 0u);  // the map was right from the start
}

TEST(ClusterRouting, HashTagsKeepMultiKeyCommandsOnOneSlot) {
  SyncClusterClient r{cluster_options()};
  r.hset("user:{1001}:profile", {{"name", "John"}});
  r.set("user:{1001}:email", "john@example.com");
  r.command<void>("RENAME", "user:{1001}:email", "user:{1001}:mail");
  EXPECT_EQ(r.get("user:{1001}:mail"), "john@example.com");
  r.sadd("{tags}a", {"x", "y"});
  r.sadd("{tags}b", {"y", "z"});
  EXPECT_EQ(r.command<long long>("SUNIONSTORE", "{tags}all", "{tags}a", "{tags}b"), 3);
}

TEST(ClusterRouting, CrossSlotMultiKeyCommandsAreSplitAndMergedInOrder) {
  SyncClusterClient r{cluster_options()};
  std::vector<std::string> keys;
  std::set<int> slots;
  for (int i = 0; i < 40; ++i) {
    keys.push_back("split:" + std::to_string(i));
    slots.insert(cluster::key_slot(keys.back()));
  }
  ASSERT_GT(slots.size(), 30u);
  std::vector<std::string> values_written;
  for (const auto& k : keys) values_written.push_back("v-" + k);
  FieldValues pairs;
  for (std::size_t i = 0; i < keys.size(); ++i) pairs.emplace_back(keys[i], values_written[i]);
  r.mset(pairs);
  std::vector<std::string_view> with_missing(keys.begin(), keys.end());
  with_missing.insert(with_missing.begin() + 5, "split:missing");
  const auto values = r.mget(StringList(with_missing));
  ASSERT_EQ(values.size(), 41u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i == 5) {
      EXPECT_FALSE(values[i]);
    } else {
      EXPECT_EQ(values[i], "v-" + std::string(with_missing[i])) << i;
    }
  }
  std::vector<std::string_view> some(keys.begin(), keys.begin() + 10);
  some.push_back("split:missing");
  some.push_back(keys.front());  // counted twice, as the server counts duplicates
  EXPECT_EQ(r.exists(StringList(some)), 11);
  EXPECT_EQ(r.touch(StringList(some)), 11);
  EXPECT_EQ(r.unlink(StringList(std::vector<std::string_view>(keys.begin(), keys.begin() + 20))),
            20);
  EXPECT_EQ(r.del(StringList(std::vector<std::string_view>(keys.begin(), keys.end()))), 20);
  EXPECT_EQ(r.exists(StringList(std::vector<std::string_view>(keys.begin(), keys.end()))), 0);
}

TEST(ClusterRouting, OtherCrossSlotCommandsAreRefusedBeforeSending) {
  SyncClusterClient r{cluster_options()};
  try {
    r.command<bool>("MSETNX", "xs:a", "1", "xs:b", "2");
    ADD_FAILURE() << "expected CROSSSLOT";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::crossslot);
    EXPECT_EQ(e.prefix(), "CROSSSLOT");
    EXPECT_NE(std::string(e.what()).find("'xs:a' is in slot"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(r.get("xs:a"));  // nothing was sent
  try {
    r.command<void>("MULTI");
    ADD_FAILURE() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("multi()"), std::string::npos) << e.what();
  }
}

TEST(ClusterRouting, KeylessFanOutCombinesEveryMaster) {
  SyncClusterClient r{cluster_options()};
  for (int i = 0; i < 30; ++i) r.set("fan:" + std::to_string(i), "x");
  long long total = 0;
  for (RedisServer* m : topology().masters()) total += std::stoll(m->cli("DBSIZE"));
  EXPECT_EQ(r.command<long long>("DBSIZE"), total);
  auto keys = r.command<std::vector<std::string>>("KEYS", "fan:*");
  EXPECT_EQ(keys.size(), 30u);
  const std::string sha = r.command<std::string>("SCRIPT", "LOAD", "return 7");
  for (RedisServer* m : topology().masters()) EXPECT_EQ(m->cli("SCRIPT", "EXISTS", sha), "1");
  EXPECT_EQ(r.command<std::string>("PING"), "PONG");
}

TEST(ClusterRouting, ExecuteOnRunsOnOneNodeSuchAsScanPerMaster) {
  SyncClusterClient r{cluster_options()};
  for (int i = 0; i < 50; ++i) r.set("scan:" + std::to_string(i), "x");
  std::set<std::string> found;
  for (const auto& node : r.masters()) {
    std::string cursor = "0";
    do {
      auto page = r.execute_on<std::pair<std::string, std::vector<std::string>>>(
          node, Command("SCAN", cursor, "MATCH", "scan:*", "COUNT", 100));
      cursor = page.first;
      found.insert(page.second.begin(), page.second.end());
    } while (cursor != "0");
  }
  EXPECT_EQ(found.size(), 50u);
  try {
    r.execute_on<std::string>({"127.0.0.1", 1}, Command("PING"));
    ADD_FAILURE() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
  }
}

TEST(ClusterRouting, NatMapTranslatesEveryAnnouncedAddress) {
  // Each node behind a proxy of its own, as behind NAT: the cluster announces the nodes' own
  // ports, the client may only use the proxies.
  std::vector<std::unique_ptr<test::FaultProxy>> proxies;
  ClusterOptions opts;
  std::set<std::uint16_t> proxy_ports;
  for (const auto& n : topology().nodes()) {
    proxies.push_back(std::make_unique<test::FaultProxy>(n->port()));
    proxy_ports.insert(proxies.back()->port());
    opts.nat_map["127.0.0.1:" + std::to_string(n->port())] = {"127.0.0.1", proxies.back()->port()};
  }
  opts.seeds = {{"127.0.0.1", proxies.front()->port()}};
  std::mutex mutex;
  std::set<std::string> endpoints;
  opts.node.on_event = [&](const Event& e) {
    std::lock_guard lock(mutex);
    endpoints.insert(e.endpoint);
  };
  {
    SyncClusterClient r{opts};
    for (int i = 0; i < 30; ++i) r.set("nat:" + std::to_string(i), "x");
    EXPECT_EQ(r.mget({"nat:1", "nat:2", "nat:none"}),
              (std::vector<std::optional<std::string>>{"x", "x", std::nullopt}));
    EXPECT_EQ(r.masters().size(), 3u);  // announced addresses
  }
  std::lock_guard lock(mutex);
  ASSERT_FALSE(endpoints.empty());
  for (const auto& e : endpoints) {
    const auto port = static_cast<std::uint16_t>(std::stoi(e.substr(e.rfind(':') + 1)));
    EXPECT_TRUE(proxy_ports.contains(port)) << "connected around the NAT map: " << e;
  }
  int used = 0;
  for (const auto& p : proxies) used += p->counters().bytes_client_to_server > 0 ? 1 : 0;
  EXPECT_GE(used, 3);
}

TEST(ClusterRouting, ANodeListedButUnreachableFailsItsCommandsAfterTheClusterRetries) {
  // One master is announced as usual but reachable at no address (the NAT map sends it to a
  // closed port), as with a wrong NAT entry or a node whose TLS handshake always fails. Its
  // commands end with a clear error after the cluster's max_retries, not after max_retries
  // times the node link's own 20 reconnects; the other masters' commands are unaffected.
  std::string key;
  for (int i = 0; key.empty(); ++i) {
    const std::string k = "unreachable:" + std::to_string(i);
    if (&topology().master_of_slot(cluster::key_slot(k)) == topology().masters().front()) key = k;
  }
  const RedisServer& lost = *topology().masters().front();
  std::string other_key;
  for (int i = 0; other_key.empty(); ++i) {
    const std::string k = "reachable:" + std::to_string(i);
    if (&topology().master_of_slot(cluster::key_slot(k)) != &lost) other_key = k;
  }
  ClusterOptions opts;
  for (const RedisServer* m : topology().masters()) {
    if (m != &lost) opts.seeds.push_back({m->host(), m->port()});
  }
  opts.refresh_interval = 0ms;
  opts.nat_map["127.0.0.1:" + std::to_string(lost.port())] = {"127.0.0.1", test::free_port()};
  opts.max_retries = 6;             // 50+100+200+400+500+500 ms of waits
  opts.node.command_timeout = 90s;  // so that a failed liveness check below cannot hang
  SyncClusterClient r{opts};
  r.set(other_key, "1");

  auto answer = std::async(std::launch::async, [&]() -> std::error_code {
    try {
      r.set(key, "never");
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::to_string(lost.port())), std::string::npos)
          << "the error names the node: " << e.what();
      return e.code();
    }
    return {};
  });
  // A liveness bound, not a timing claim: before the cluster owned these retries the command
  // waited through 7 x 20 node reconnects (minutes).
  ASSERT_EQ(answer.wait_for(60s), std::future_status::ready)
      << "no answer: the command waits on the unreachable node's link";
  EXPECT_EQ(answer.get(), errc::connection_lost);
  EXPECT_GE(r.stats().retries, 6u);

  // The same in a pipeline (that entry alone fails, the others are answered) and in a
  // transaction on that slot.
  auto p = r.pipeline();
  p.set(other_key, "p");
  p.set(key, "p");
  p.get(other_key);
  auto results = std::async(std::launch::async, [&] { return p.exec(); });
  ASSERT_EQ(results.wait_for(60s), std::future_status::ready) << "the pipeline waits";
  const PipelineResults got = results.get();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].ok());
  EXPECT_EQ(got[1].ec, errc::connection_lost);
  EXPECT_TRUE(got[2].ok());
  auto tx = r.multi();
  tx.set(key, "t");
  auto exec = std::async(std::launch::async, [&]() -> std::error_code {
    try {
      tx.exec();
    } catch (const Error& e) {
      return e.code();
    }
    return {};
  });
  ASSERT_EQ(exec.wait_for(60s), std::future_status::ready) << "the transaction waits";
  EXPECT_EQ(exec.get(), errc::connection_lost);
  r.set(other_key, "2");
  EXPECT_EQ(r.get(other_key), "2");
  EXPECT_EQ(lost.cli("EXISTS", key), "0") << "nothing reached the node";
}

TEST(ClusterRouting, CancellationEndsABlockedCommandAndTheLinkStaysUsable) {
  asio::io_context io;
  ClusterClient cluster{io, cluster_options()};
  asio::cancellation_signal cancel;
  std::optional<std::error_code> ended;
  cluster.blpop(
      "cancel:{q}", 0s,
      asio::bind_cancellation_slot(
          cancel.slot(), [&](std::error_code ec,
                             std::optional<std::pair<std::string, std::string>>) { ended = ec; }));
  asio::steady_timer timer(io, 300ms);
  timer.async_wait([&](std::error_code) { cancel.emit(asio::cancellation_type::terminal); });
  io.run_for(5s);
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, asio::error::operation_aborted);
  // (The abandoned BLPOP still waits on the server, on its own blocking link: the shared
  // link is free.)
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await cluster.set("cancel:{q}:other", "v", asio::use_awaitable);
    EXPECT_EQ(co_await cluster.get("cancel:{q}:other", asio::use_awaitable), "v");
  });
}

TEST(ClusterRouting, CoroutinesAndCallbacksWorkAsOnTheStandaloneClient) {
  asio::io_context io;
  ClusterClient cluster{io, cluster_options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await cluster.set("co:{1}:a", "1", asio::use_awaitable));
    EXPECT_EQ(co_await cluster.incr("co:{1}:a", asio::use_awaitable), 2);
    const StringList keys{"co:{1}:a", "co:{2}:b", "co:{3}:c"};
    auto values = co_await cluster.mget(keys, asio::use_awaitable);
    CO_ASSERT_TRUE(values.size() == 3u);
    EXPECT_EQ(values[0], "2");
    EXPECT_FALSE(values[1]);
    std::error_code ec;
    const long long n = co_await cluster.command<long long>(
        "INCRBY", "co:{1}:a", 5, asio::redirect_error(asio::use_awaitable, ec));
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, 7);
  });
}

}  // namespace
}  // namespace redwire::cluster_testing
