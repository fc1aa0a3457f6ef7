// One suite, two topologies: the same test bodies run against redwire::Client / SyncClient on a
// standalone redis-server and ClusterClient / SyncClusterClient on the cluster, wherever the
// behaviour should be the same (keys that must share a slot use a {hash tag}).
#include <memory>

#include "cluster_fixture.hpp"

namespace redwire::cluster_testing {
namespace {

struct Standalone {
  static RedisServer& server() {
    static RedisServer s{{.name = "standalone redis-server"}};
    return s;
  }
  static Options options() {
    Options o;
    o.host = server().host();
    o.port = server().port();
    return o;
  }
  static std::unique_ptr<SyncClient> sync() { return std::make_unique<SyncClient>(options()); }
  static std::unique_ptr<Client> async(asio::io_context& io) {
    return std::make_unique<Client>(io, options());
  }
};

struct Cluster {
  static std::unique_ptr<SyncClusterClient> sync() {
    return std::make_unique<SyncClusterClient>(cluster_options());
  }
  static std::unique_ptr<ClusterClient> async(asio::io_context& io) {
    return std::make_unique<ClusterClient>(io, cluster_options());
  }
};

struct EnvNames {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, Standalone> ? "Standalone" : "Cluster";
  }
};

template <class Env>
class SameBehaviour : public ::testing::Test {};
using Topologies = ::testing::Types<Standalone, Cluster>;
TYPED_TEST_SUITE(SameBehaviour, Topologies, EnvNames);

TYPED_TEST(SameBehaviour, StringsCountersAndExpiry) {
  auto r = TypeParam::sync();
  r->del(StringList{"same:s", "same:n", "same:t"});
  EXPECT_TRUE(r->set("same:s", "John"));
  EXPECT_EQ(r->get("same:s"), "John");
  EXPECT_FALSE(r->set("same:s", "Jane", nx()));
  EXPECT_EQ(r->set_get("same:s", "Jane", SetOptions{}), "John");
  EXPECT_EQ(r->incr("same:n"), 1);
  EXPECT_EQ(r->incrby("same:n", 41), 42);
  EXPECT_EQ(r->decr("same:n"), 41);
  EXPECT_TRUE(r->set("same:t", "x", ex(100s)));
  EXPECT_GT(r->ttl("same:t"), 90);
  EXPECT_EQ(r->getdel("same:s"), "Jane");
  EXPECT_FALSE(r->get("same:s"));
}

TYPED_TEST(SameBehaviour, HashesListsSetsAndSortedSets) {
  auto r = TypeParam::sync();
  r->del(StringList{"same:h", "same:l", "{same}a", "{same}b", "same:z"});
  r->hset("same:h", {{"name", "John"}, {"age", "30"}});
  const auto h = r->hgetall("same:h");
  EXPECT_EQ(h.at("name"), "John");
  EXPECT_EQ(h.at("age"), "30");
  EXPECT_EQ(r->lpush("same:l", {"a", "b", "c"}), 3);
  EXPECT_EQ(r->lrange("same:l", 0, -1), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(r->rpop("same:l"), "a");
  EXPECT_EQ(r->sadd("{same}a", {"x", "y"}), 2);
  EXPECT_EQ(r->sadd("{same}b", {"y", "z"}), 2);
  EXPECT_EQ(r->template command<std::vector<std::string>>("SINTER", "{same}a", "{same}b"),
            std::vector<std::string>{"y"});
  r->zadd("same:z", 10, "alice");
  r->zadd("same:z", 20, "bob");
  EXPECT_EQ(r->zrevrange("same:z", 0, 0), std::vector<std::string>{"bob"});
}

TYPED_TEST(SameBehaviour, ServerErrorsArriveTyped) {
  auto r = TypeParam::sync();
  r->set("same:str", "x");
  try {
    r->hget("same:str", "f");
    ADD_FAILURE() << "expected WRONGTYPE";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::wrongtype);
    EXPECT_EQ(e.prefix(), "WRONGTYPE");
  }
}

TYPED_TEST(SameBehaviour, MultiKeyCommandsGiveTheSameAnswers) {
  auto r = TypeParam::sync();
  r->mset({{"same:m1", "1"}, {"same:m2", "2"}, {"same:m3", "3"}});
  EXPECT_EQ(r->mget({"same:m1", "same:none", "same:m3", "same:m2"}),
            (std::vector<std::optional<std::string>>{"1", std::nullopt, "3", "2"}));
  EXPECT_EQ(r->exists({"same:m1", "same:m2", "same:none"}), 2);
  EXPECT_EQ(r->del({"same:m1", "same:m2", "same:m3", "same:none"}), 3);
}

TYPED_TEST(SameBehaviour, PipelinesAndTransactions) {
  auto r = TypeParam::sync();
  r->del(StringList{"same:p", "{same}:acct", "{same}:spent"});
  auto p = r->pipeline();
  p.set("same:p", "1");
  auto n = p.incr("same:p");
  auto v = p.get("same:p");
  auto results = p.exec();
  EXPECT_TRUE(results.all_ok());
  EXPECT_EQ(results.value(n), 2);
  EXPECT_EQ(results.value(v), "2");

  r->set("{same}:acct", 100);
  auto tx = r->multi();
  auto left = tx.decrby("{same}:acct", 10);
  auto spent = tx.incrby("{same}:spent", 10);
  auto res = tx.exec();
  EXPECT_EQ(res.value(left), 90);
  EXPECT_EQ(res.value(spent), 10);
}

TYPED_TEST(SameBehaviour, ScriptsFallBackFromEvalshaToEval) {
  auto r = TypeParam::sync();
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  r->del(StringList{"same:script"});
  EXPECT_EQ(r->template run_script<long long>(script, {"same:script"}, {5}), 5);
  EXPECT_EQ(r->template run_script<long long>(script, {"same:script"}, {5}), 10);
}

TYPED_TEST(SameBehaviour, CoroutinesSeeTheSameReplies) {
  asio::io_context io;
  auto client = TypeParam::async(io);
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await client->set("same:co", "v", asio::use_awaitable);
    EXPECT_EQ(co_await client->get("same:co", asio::use_awaitable), "v");
    const StringList keys{"same:co", "same:co:none"};
    auto values = co_await client->mget(keys, asio::use_awaitable);
    CO_ASSERT_TRUE(values.size() == 2u);
    EXPECT_EQ(values[0], "v");
    EXPECT_FALSE(values[1]);
    EXPECT_EQ(
        co_await client->template command<long long>("STRLEN", "same:co", asio::use_awaitable), 1);
  });
}

}  // namespace
}  // namespace redwire::cluster_testing
