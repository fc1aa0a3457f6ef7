// The same commands through every API form: callbacks, futures, coroutines, the blocking facade.
#include <asio/bind_cancellation_slot.hpp>
#include <asio/use_future.hpp>
#include <thread>

#include "fixture.hpp"

namespace redwire::testing {
namespace {

using ClientApi = ServerTest;

TEST_F(ClientApi, CallbackFormCompletesOnTheIoContext) {
  asio::io_context io;
  Client redis{io, options()};
  std::optional<std::string> got;
  std::error_code got_ec = make_error_code(errc::connection_lost);
  redis.set("cb:k", "v1", [&](std::error_code ec, bool ok) {
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(ok);
    redis.get("cb:k", [&](std::error_code ec2, std::optional<std::string> v) {
      got_ec = ec2;
      got = std::move(v);
      io.stop();
    });
  });
  io.run_for(10s);
  EXPECT_FALSE(got_ec);
  EXPECT_EQ(got, "v1");
}

TEST_F(ClientApi, FutureFormWorksFromAnotherThread) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });
  {
    Client redis{io, options()};
    EXPECT_TRUE(redis.set("fut:k", 42, asio::use_future).get());
    EXPECT_EQ(redis.incr("fut:k", asio::use_future).get(), 43);
    EXPECT_EQ(redis.get("fut:k", asio::use_future).get(), "43");
    // A server error surfaces as std::system_error carrying the server_errc.
    try {
      redis.hget("fut:k", "f", asio::use_future).get();
      ADD_FAILURE() << "expected WRONGTYPE";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code(), server_errc::wrongtype);
    }
  }
  guard.reset();
  io.stop();
  runner.join();
}

TEST_F(ClientApi, CoroutineFormCoversTheGuidesCoreUsage) {
  asio::io_context io;
  Client redis{io, options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    EXPECT_TRUE(co_await redis.set("user:1001:name", "John", ex(3600s), asio::use_awaitable));
    EXPECT_EQ(co_await redis.get("user:1001:name", asio::use_awaitable), "John");
    const auto ttl = co_await redis.ttl("user:1001:name", asio::use_awaitable);
    EXPECT_GT(ttl, 3500);
    EXPECT_LE(ttl, 3600);

    const FieldValues fields{{"name", "John"}, {"email", "john@example.com"}, {"age", "30"}};
    co_await redis.hset("user:1001", fields, asio::use_awaitable);
    auto user = co_await redis.hgetall("user:1001", asio::use_awaitable);
    EXPECT_EQ(user.size(), 3u);
    EXPECT_EQ(user["age"], "30");

    co_await redis.lpush("queue:emails", R"({"to":"x@y.com"})", asio::use_awaitable);
    auto job = co_await redis.brpop("queue:emails", 5s, asio::use_awaitable);
    CO_ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->first, "queue:emails");
    EXPECT_EQ(job->second, R"({"to":"x@y.com"})");

    // (GCC 12 cannot keep a braced list alive across co_await: name it first.)
    const StringList tag_list{"redis", "nodejs"};
    EXPECT_EQ(co_await redis.sadd("tags:post:42", tag_list, asio::use_awaitable), 2);
    auto tags = co_await redis.smembers("tags:post:42", asio::use_awaitable);
    std::sort(tags.begin(), tags.end());
    EXPECT_EQ(tags, (std::vector<std::string>{"nodejs", "redis"}));

    co_await redis.zadd("leaderboard", 100, "player:alice", asio::use_awaitable);
    co_await redis.zadd("leaderboard", 90, "player:bob", asio::use_awaitable);
    EXPECT_EQ(co_await redis.zincrby("leaderboard", 5, "player:alice", asio::use_awaitable), 105.0);
    auto top = co_await redis.zrevrange_withscores("leaderboard", 0, 9, asio::use_awaitable);
    CO_ASSERT_TRUE(top.size() == 2u);
    EXPECT_EQ(top[0], (ScoredMember{"player:alice", 105}));
    EXPECT_EQ(top[1], (ScoredMember{"player:bob", 90}));

    const long long n = co_await redis.command<long long>("INCRBY", std::string_view("counter"), 5,
                                                          asio::use_awaitable);
    EXPECT_EQ(n, 5);
  });
}

TEST_F(ClientApi, BlockingFacadeIsSafeFromManyThreads) {
  // With no polling, the default, and a poll far longer than any reply: one caller at a time
  // polls for its reply, the others sleep until theirs is there.
  for (const auto spin : {0us, 50us, 10'000us}) {
    SCOPED_TRACE("blocking_spin " + std::to_string(spin.count()) + " us");
    Options o = options();
    o.blocking_spin = spin;
    SyncClient redis{o};
    constexpr int kThreads = 8;
    constexpr int kPerThread = 500;
    const std::string counter = "mt:counter:" + std::to_string(spin.count());
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string key = "mt:" + std::to_string(t) + ":" + std::to_string(i);
          const std::string value = "v" + std::to_string(t * 100000 + i) + counter;
          redis.set(key, value);
          if (redis.get(key) != value) ++mismatches;
          redis.incr(counter);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(mismatches.load(), 0);
    EXPECT_EQ(server.cli("GET", counter), std::to_string(kThreads * kPerThread));
  }
}

TEST_F(ClientApi, BlockingFacadeThrowsTypedErrorsWithTheServersText) {
  SyncClient redis{options()};
  redis.set("str", "abc");
  try {
    redis.lpush("str", "x");
    FAIL() << "expected a ReplyError";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::wrongtype);
    EXPECT_EQ(e.prefix(), "WRONGTYPE");
    EXPECT_NE(std::string(e.what()).find("wrong kind of value"), std::string::npos);
  }
  try {
    redis.command<long long>("GET", "str");
    FAIL() << "expected a ConversionError";
  } catch (const ConversionError& e) {
    EXPECT_EQ(e.code(), conversion_errc::invalid_number);
    EXPECT_NE(std::string(e.what()).find("expected integer, got bulk string 'abc'"),
              std::string::npos)
        << e.what();
  }
  try {
    redis.command<std::string>("NOSUCHCOMMAND", "x");
    FAIL() << "expected a ReplyError";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::err);
    EXPECT_NE(std::string(e.what()).find("unknown command"), std::string::npos);
  }
  // The connection is unaffected by any of these.
  EXPECT_EQ(redis.ping(), "PONG");
}

TEST_F(ClientApi, InvalidArgumentsAreRejectedBeforeSending) {
  SyncClient redis{options()};
  const auto before = server.info_field("stats", "total_commands_processed");
  EXPECT_THROW(redis.set("k", "v", nx() | xx()), Error);
  EXPECT_THROW(redis.set("k", "v", ex(0s)), Error);
  EXPECT_THROW(redis.set("k", "v", ex(10s) | px(100ms)), Error);
  EXPECT_THROW(redis.brpop("q", -1s), Error);
  try {
    redis.set("k", "v", nx() | xx());
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
  }
  EXPECT_FALSE(redis.exists("k"));
  const auto after = server.info_field("stats", "total_commands_processed");
  // Only our EXISTS (and redis-cli's INFO calls) reached the server; no SET, no BRPOP.
  EXPECT_EQ(server.info_field("commandstats", "cmdstat_set"), std::nullopt);
  EXPECT_EQ(server.info_field("commandstats", "cmdstat_brpop"), std::nullopt);
  (void)before;
  (void)after;
}

TEST_F(ClientApi, TypedMethodsOfTheGuideReturnTypedValues) {
  SyncClient r{options()};
  EXPECT_TRUE(r.set("s", "1"));
  EXPECT_FALSE(r.set("s", "2", nx()));
  EXPECT_EQ(r.set_get("s", "3", xx()), "1");
  EXPECT_EQ(r.getdel("s"), "3");
  EXPECT_EQ(r.get("s"), std::nullopt);
  EXPECT_EQ(r.incrby("n", 10), 10);
  EXPECT_EQ(r.decr("n"), 9);
  EXPECT_EQ(r.decrby("n", 4), 5);
  r.mset({{"m1", "a"}, {"m2", "b"}});
  EXPECT_EQ(r.mget({"m1", "nope", "m2"}),
            (std::vector<std::optional<std::string>>{"a", std::nullopt, "b"}));
  EXPECT_EQ(r.exists({"m1", "m2", "nope"}), 2);
  EXPECT_TRUE(r.expire("m1", 100s));
  EXPECT_GT(r.pttl("m1"), 90000);
  EXPECT_EQ(r.ttl("m2"), -1);
  EXPECT_EQ(r.ttl("nope"), -2);
  EXPECT_EQ(r.type("m1"), "string");
  EXPECT_EQ(r.unlink({"m1"}), 1);
  EXPECT_EQ(r.del({"m2", "nope"}), 1);

  EXPECT_EQ(r.hset("h", "f", 7), 1);
  EXPECT_EQ(r.hincrby("h", "f", 3), 10);
  EXPECT_EQ(r.hget("h", "f"), "10");
  EXPECT_EQ(r.hget("h", "missing"), std::nullopt);
  std::map<std::string, std::string> more{{"g", "1"}, {"h", "2"}};
  EXPECT_EQ(r.hset("h", more), 2);
  EXPECT_EQ(r.hdel("h", {"g", "h", "zz"}), 2);

  EXPECT_EQ(r.rpush("l", {"a", "b", "c"}), 3);
  EXPECT_EQ(r.lpush("l", "z"), 4);
  EXPECT_EQ(r.lrange("l", 0, -1), (std::vector<std::string>{"z", "a", "b", "c"}));
  EXPECT_EQ(r.llen("l"), 4);
  EXPECT_EQ(r.lpop("l"), "z");
  EXPECT_EQ(r.rpop("l"), "c");
  auto popped = r.blpop({"empty", "l"}, 1s);
  ASSERT_TRUE(popped);
  EXPECT_EQ(*popped, (std::pair<std::string, std::string>{"l", "a"}));
  EXPECT_EQ(r.brpop("empty", 0.1s), std::nullopt);

  EXPECT_EQ(r.sadd("set", {"a", "b"}), 2);
  EXPECT_TRUE(r.sismember("set", "a"));
  EXPECT_FALSE(r.sismember("set", "c"));
  EXPECT_EQ(r.scard("set"), 2);
  EXPECT_EQ(r.srem("set", "a"), 1);

  EXPECT_EQ(r.zadd("z", {{1, "one"}, {2, "two"}, {3, "three"}}), 3);
  EXPECT_EQ(r.zscore("z", "two"), 2.0);
  EXPECT_EQ(r.zscore("z", "none"), std::nullopt);
  EXPECT_EQ(r.zrank("z", "three"), 2);
  EXPECT_EQ(r.zrank("z", "none"), std::nullopt);
  EXPECT_EQ(r.zrange("z", 0, 1), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(r.zrevrange("z", 0, 0), (std::vector<std::string>{"three"}));
  EXPECT_EQ(r.zrange_withscores("z", 0, 0), (std::vector<ScoredMember>{{"one", 1}}));
  EXPECT_EQ(r.zrem("z", {"one", "two"}), 2);

  EXPECT_EQ(r.publish("nobody", "hello"), 0);
  EXPECT_EQ(r.echo("hi"), "hi");
  EXPECT_EQ(r.dbsize(), 5);  // n, h, l, set, z
  const auto now = std::chrono::system_clock::now();
  const auto server_time = r.time();
  EXPECT_LT(std::chrono::abs(server_time - now), 5s);
  auto info = r.info("memory");
  EXPECT_TRUE(info.get("memory", "used_memory").has_value());
  EXPECT_NO_THROW(r.latency_latest());
  r.flushdb();
  EXPECT_EQ(r.dbsize(), 0);
}

}  // namespace
}  // namespace redwire::testing
