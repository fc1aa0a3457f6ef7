// Lua scripts: EVALSHA with NOSCRIPT fallback, the guide's rate-limit script, scripts in
// pipelines and transactions, functions.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using Scripts = ServerTest;

const char* kGuideLimiter = R"(
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local current = redis.call('INCR', key)
if current == 1 then
  redis.call('EXPIRE', key, window)
end
return current <= limit
)";

long long calls(const test::RedisServer& s, const char* command) {
  const auto stats = s.info_field("commandstats", std::string("cmdstat_") + command);
  if (!stats) return 0;
  return std::stoll(stats->substr(6, stats->find(',') - 6));  // "calls=N,usec=..."
}

TEST_F(Scripts, GuideRateLimitScriptRunsUnchangedTrueIsOneFalseIsNil) {
  SyncClient r{options()};
  Script limiter{kGuideLimiter};
  const ScriptArgs args{2, 60};
  EXPECT_EQ(r.run_script<std::optional<long long>>(limiter, {"rl:ip:1.2.3.4"}, args), 1);
  EXPECT_EQ(r.run_script<std::optional<long long>>(limiter, {"rl:ip:1.2.3.4"}, args), 1);
  EXPECT_EQ(r.run_script<std::optional<long long>>(limiter, {"rl:ip:1.2.3.4"}, args), std::nullopt);
  EXPECT_GT(r.ttl("rl:ip:1.2.3.4"), 0);
}

TEST_F(Scripts, EvalshaFirstThenEvalAfterFlushThenEvalshaAgain) {
  SyncClient r{options()};
  Script script{"return redis.call('INCR', KEYS[1])"};
  EXPECT_EQ(script.sha1(), server.cli("SCRIPT", "LOAD", script.source()));
  server.cli("SCRIPT", "FLUSH");
  EXPECT_EQ(r.run_script<long long>(script, {"n"}, {}), 1);  // NOSCRIPT -> EVAL
  EXPECT_EQ(calls(server, "evalsha"), 1);
  EXPECT_EQ(calls(server, "eval"), 1);
  EXPECT_EQ(r.run_script<long long>(script, {"n"}, {}), 2);  // cached now
  EXPECT_EQ(calls(server, "evalsha"), 2);
  EXPECT_EQ(calls(server, "eval"), 1);
  server.cli("SCRIPT", "FLUSH");
  EXPECT_EQ(r.run_script<long long>(script, {"n"}, {}), 3);
  EXPECT_EQ(calls(server, "eval"), 2);
}

TEST_F(Scripts, AsyncFormFallsBackToo) {
  asio::io_context io;
  Client redis{io, options()};
  Script script{"return ARGV[1] .. KEYS[1]"};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const ScriptArgs args{"hello-"};
    const StringList keys{"world"};
    auto s = co_await redis.run_script<std::string>(script, keys, args, asio::use_awaitable);
    EXPECT_EQ(s, "hello-world");
  });
  EXPECT_EQ(calls(server, "eval"), 1);
}

TEST_F(Scripts, PipelineLoadsItsScriptsSoAFlushedCacheIsHarmless) {
  SyncClient r{options()};
  Script script{"return redis.call('INCRBY', KEYS[1], ARGV[1])"};
  server.cli("SCRIPT", "FLUSH");
  auto p = r.pipeline();
  auto a = p.run_script<long long>(script, {"p"}, {5});
  auto b = p.run_script<long long>(script, {"p"}, {6});
  auto results = p.exec();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results.value(a), 5);
  EXPECT_EQ(results.value(b), 11);
}

TEST_F(Scripts, NoscriptInsideMultiIsReturnedInItsSlot) {
  SyncClient r{options()};
  Script script{"return 42"};
  server.cli("SCRIPT", "FLUSH");
  auto tx = r.multi();
  auto s = tx.run_script<long long>(script, {}, {});
  auto after = tx.incr("after");
  try {
    auto res = tx.exec();
    EXPECT_EQ(res[s.index].error(), server_errc::noscript);
    EXPECT_EQ(res.value(after), 1);
  } catch (const ReplyError& e) {
    // Some servers reject the unknown SHA at queue time, aborting the transaction.
    EXPECT_EQ(e.code(), server_errc::execabort);
    EXPECT_NE(std::string(e.what()).find("NOSCRIPT"), std::string::npos) << e.what();
  }
}

TEST_F(Scripts, ReadOnlyScriptsUseEvalshaRo) {
  SyncClient r{options()};
  r.set("ro", "v");
  Script script{"return redis.call('GET', KEYS[1])", /*read_only=*/true};
  EXPECT_EQ(r.run_script<std::string>(script, {"ro"}, {}), "v");
  EXPECT_EQ(calls(server, "eval_ro"), 1);
  EXPECT_EQ(r.run_script<std::string>(script, {"ro"}, {}), "v");
  EXPECT_EQ(calls(server, "evalsha_ro"), 2);
}

TEST_F(Scripts, FunctionsLoadAndCall) {
  SyncClient r{options()};
  const std::string lib =
      "#!lua name=mylib\n"
      "redis.register_function('double', function(keys, args) return tonumber(args[1]) * 2 end)\n"
      "redis.register_function{function_name='peek', callback=function(keys) return "
      "redis.call('GET', keys[1]) end, flags={'no-writes'}}";
  EXPECT_EQ(r.command<std::string>("FUNCTION", "LOAD", lib), "mylib");
  EXPECT_EQ(r.command<long long>("FCALL", "double", 0, 21), 42);
  r.set("fk", "fv");
  EXPECT_EQ(r.command<std::string>("FCALL_RO", "peek", 1, "fk"), "fv");
}

}  // namespace
}  // namespace redwire::testing
