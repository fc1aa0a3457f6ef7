// Scripting and functions as plain typed commands against a real server.
#include "fixture.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using ScriptingCommandsTest = ServerTest;

constexpr std::string_view kLibrary = R"(#!lua name=counters
redis.register_function('incr_by', function(keys, args)
  return redis.call('INCRBY', keys[1], args[1])
end)
redis.register_function{function_name = 'peek', callback = function(keys)
  return redis.call('GET', keys[1])
end, flags = {'no-writes'}, description = 'reads a counter'}
)";

TEST_F(ScriptingCommandsTest, EvalAndEvalshaWithKeysAndArguments) {
  SyncClient r{options()};
  const auto script = "return {KEYS[1], KEYS[2], ARGV[1], #ARGV}";
  const auto reply = r.eval<std::vector<std::string>>(script, {"k1", "k2"}, {"a", "b"});
  EXPECT_EQ(reply, (std::vector<std::string>{"k1", "k2", "a", "2"}));
  EXPECT_EQ(r.eval<long long>("return 7", {}, {}), 7);
  const auto raw = r.eval("return 'x'", {}, {});  // Reply by default
  EXPECT_EQ(raw.value(), "x");
  // Lua true -> 1, false -> nil.
  EXPECT_EQ(r.eval<std::optional<long long>>("return false", {}, {}), std::nullopt);
  EXPECT_EQ(r.eval<long long>("return true", {}, {}), 1);
  // Numbers as arguments (any encodable range).
  EXPECT_EQ(r.eval<long long>("return ARGV[1] + ARGV[2]", {}, std::vector<int>{40, 2}), 42);

  const auto sha = r.script_load("return redis.call('SET', KEYS[1], ARGV[1])");
  EXPECT_EQ(sha.size(), 40u);
  EXPECT_EQ(r.script_exists({sha, std::string(40, '0')}), (std::vector<bool>{true, false}));
  r.evalsha<void>(sha, {"sk"}, {"sv"});
  EXPECT_EQ(r.get("sk"), "sv");
  const auto ro = r.script_load("return redis.call('GET', KEYS[1])");
  EXPECT_EQ(r.evalsha_ro<std::string>(ro, {"sk"}, {}), "sv");
  EXPECT_EQ(r.eval_ro<std::string>("return redis.call('GET', KEYS[1])", {"sk"}, {}), "sv");
  EXPECT_THROW(r.eval_ro<void>("return redis.call('SET', KEYS[1], 'x')", {"sk"}, {}), ReplyError);
  r.script_flush();
  EXPECT_EQ(r.script_exists(sha), std::vector<bool>{false});
  r.script_load("return 1");
  r.script_flush(FlushMode::sync);
  try {
    r.evalsha<void>(sha, {}, {});
    ADD_FAILURE() << "expected NOSCRIPT";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.prefix(), "NOSCRIPT");
  }
  try {
    r.script_kill();
    ADD_FAILURE() << "expected NOTBUSY";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.prefix(), "NOTBUSY");
  }
}

TEST_F(ScriptingCommandsTest, FunctionsLoadCallListDumpRestore) {
  SyncClient r{options()};
  EXPECT_EQ(r.function_load(kLibrary), "counters");
  EXPECT_THROW(r.function_load(kLibrary), ReplyError);  // already exists
  EXPECT_EQ(r.function_load_replace(kLibrary), "counters");
  EXPECT_EQ(r.fcall<long long>("incr_by", {"c"}, {"5"}), 5);
  EXPECT_EQ(r.fcall_ro<std::string>("peek", {"c"}, {}), "5");

  const auto libs = r.function_list({.with_code = true});
  ASSERT_EQ(libs.size(), 1u);
  EXPECT_EQ(libs[0].name, "counters");
  EXPECT_EQ(libs[0].engine, "LUA");
  EXPECT_EQ(libs[0].functions.size(), 2u);
  EXPECT_TRUE(libs[0].code.has_value());
  const auto peek = std::find_if(libs[0].functions.begin(), libs[0].functions.end(),
                                 [](const auto& f) { return f.name == "peek"; });
  ASSERT_NE(peek, libs[0].functions.end());
  EXPECT_EQ(peek->description, "reads a counter");
  EXPECT_EQ(peek->flags, std::vector<std::string>{"no-writes"});
  EXPECT_TRUE(r.function_list({.library_pattern = "nothing*"}).empty());

  const auto stats = r.function_stats();
  EXPECT_FALSE(stats.running.has_value());
  EXPECT_EQ(stats.engines.at("LUA").libraries, 1);
  EXPECT_EQ(stats.engines.at("LUA").functions, 2);

  const auto dumped = r.function_dump();
  r.function_delete("counters");
  EXPECT_TRUE(r.function_list({}).empty());
  r.function_restore(dumped, FunctionRestorePolicy::append);
  EXPECT_EQ(r.function_list({}).size(), 1u);
  r.function_flush(FlushMode::async);
  EXPECT_TRUE(r.function_list({}).empty());
  r.function_load(kLibrary);
  r.function_flush();
  EXPECT_THROW(r.function_kill(), ReplyError);  // NOTBUSY
}

TEST_F(ScriptingCommandsTest, ScriptKillStopsABusyScript) {
  SyncClient r{options()};
  SyncClient other{options()};
  other.config_set("busy-reply-threshold", "100");  // answer others after 100 ms, not 5 s
  std::thread busy([&] { EXPECT_THROW(r.eval<void>("while true do end", {}, {}), ReplyError); });
  test::wait_until(
      [&] {
        try {
          other.script_kill();
          return true;
        } catch (const ReplyError&) {
          return false;  // NOTBUSY until the script has run for busy-reply-threshold
        }
      },
      10s, "SCRIPT KILL");
  busy.join();
}

}  // namespace
}  // namespace redwire::testing
