// Key extraction from the command table's key specs, for the commands whose keys are hard to
// find: every other argument, key counts, keywords, subcommands, hand-completed specs.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string_view>
#include <vector>

#include "redwire/command.hpp"
#include "redwire/command_info.hpp"
#include "redwire/command_keys.hpp"

namespace redwire {
namespace {

std::vector<std::size_t> keys_of(std::initializer_list<std::string_view> args) {
  const std::vector<std::string_view> v(args);
  return key_positions(v);
}
using P = std::vector<std::size_t>;

TEST(CommandKeys, SimpleAndMultiKeyCommands) {
  EXPECT_EQ(keys_of({"GET", "k"}), P{1});
  EXPECT_EQ(keys_of({"get", "k"}), P{1});
  EXPECT_EQ(keys_of({"DEL", "a", "b", "c"}), (P{1, 2, 3}));
  EXPECT_EQ(keys_of({"MGET", "a", "b"}), (P{1, 2}));
  EXPECT_EQ(keys_of({"MSET", "a", "1", "b", "2", "c", "3"}), (P{1, 3, 5}));  // step 2
  EXPECT_EQ(keys_of({"MSETNX", "a", "1", "b", "2"}), (P{1, 3}));
  EXPECT_EQ(keys_of({"RENAME", "from", "to"}), (P{1, 2}));
  EXPECT_EQ(keys_of({"LMOVE", "src", "dst", "LEFT", "RIGHT"}), (P{1, 2}));
  EXPECT_EQ(keys_of({"BLPOP", "a", "b", "0"}), (P{1, 2}));  // not the timeout
  EXPECT_EQ(keys_of({"BITOP", "AND", "dest", "a", "b"}), (P{2, 3, 4}));
  EXPECT_EQ(keys_of({"PING"}), P{});
  EXPECT_EQ(keys_of({"NOSUCHCOMMAND", "k"}), P{});
  EXPECT_EQ(keys_of({}), P{});
}

TEST(CommandKeys, ScriptsAndFunctionsByNumkeys) {
  EXPECT_EQ(keys_of({"EVAL", "return 1", "2", "k1", "k2", "arg"}), (P{3, 4}));
  EXPECT_EQ(keys_of({"EVALSHA", "abc", "1", "k1", "arg1", "arg2"}), P{3});
  EXPECT_EQ(keys_of({"EVAL_RO", "return 1", "0", "notakey"}), P{});
  EXPECT_EQ(keys_of({"FCALL", "fn", "2", "a", "b", "x"}), (P{3, 4}));
  EXPECT_EQ(keys_of({"FCALL_RO", "fn", "1", "a"}), P{3});
  // A key count the arguments cannot satisfy, or that is not a number: no keys.
  EXPECT_EQ(keys_of({"EVAL", "s", "x", "k"}), P{});
  EXPECT_EQ(keys_of({"EVAL", "s", "-1", "k"}), P{});
}

TEST(CommandKeys, NumkeysOfSetAlgebraAndMultiPops) {
  EXPECT_EQ(keys_of({"ZUNIONSTORE", "dst", "2", "a", "b", "WEIGHTS", "1", "2"}), (P{1, 3, 4}));
  EXPECT_EQ(keys_of({"ZINTER", "2", "a", "b", "WITHSCORES"}), (P{2, 3}));
  EXPECT_EQ(keys_of({"ZDIFFSTORE", "dst", "1", "a"}), (P{1, 3}));
  EXPECT_EQ(keys_of({"SINTERCARD", "2", "a", "b", "LIMIT", "5"}), (P{2, 3}));
  EXPECT_EQ(keys_of({"LMPOP", "2", "a", "b", "LEFT", "COUNT", "3"}), (P{2, 3}));
  EXPECT_EQ(keys_of({"BLMPOP", "0.5", "2", "a", "b", "RIGHT"}), (P{3, 4}));
  EXPECT_EQ(keys_of({"ZMPOP", "1", "z", "MIN"}), P{2});
  EXPECT_EQ(keys_of({"BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "2"}), (P{3, 4}));
}

TEST(CommandKeys, StreamsAfterTheStreamsKeyword) {
  EXPECT_EQ(keys_of({"XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"}), (P{4, 5}));
  EXPECT_EQ(keys_of({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}), P{4});
  EXPECT_EQ(keys_of({"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "a", "b", ">", ">"}),
            (P{7, 8}));
  // A key named like the keyword: the first STREAMS wins, as on the server.
  EXPECT_EQ(keys_of({"XREAD", "STREAMS", "STREAMS", "x", "0", "0"}), (P{2, 3}));
  EXPECT_EQ(keys_of({"XADD", "s", "*", "f", "v"}), P{1});
  EXPECT_EQ(keys_of({"XINFO", "STREAM", "s"}), P{2});
  EXPECT_EQ(keys_of({"XGROUP", "CREATE", "s", "g", "$"}), P{2});
}

TEST(CommandKeys, SubcommandsCarryTheirOwnSpecs) {
  EXPECT_EQ(keys_of({"OBJECT", "ENCODING", "k"}), P{2});
  EXPECT_EQ(keys_of({"object", "freq", "k"}), P{2});
  EXPECT_EQ(keys_of({"MEMORY", "USAGE", "k", "SAMPLES", "5"}), P{2});
  EXPECT_EQ(keys_of({"CLIENT", "KILL", "ID", "5"}), P{});
  EXPECT_EQ(keys_of({"CONFIG", "SET", "maxmemory", "1mb"}), P{});
}

TEST(CommandKeys, GeoradiusStoreAndGeosearchstore) {
  EXPECT_EQ(keys_of({"GEORADIUS", "g", "15", "37", "200", "km"}), P{1});
  EXPECT_EQ(keys_of({"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst"}), (P{1, 7}));
  EXPECT_EQ(keys_of({"GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d"}), (P{1, 7}));
  EXPECT_EQ(keys_of({"GEORADIUSBYMEMBER", "g", "m", "10", "km", "STORE", "dst"}), (P{1, 6}));
  EXPECT_EQ(keys_of({"GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m", "BYRADIUS", "1", "km"}),
            (P{1, 2}));
}

TEST(CommandKeys, SortStoreIsAKeyPatternsAreNot) {
  EXPECT_EQ(keys_of({"SORT", "list"}), P{1});
  EXPECT_EQ(keys_of({"SORT", "list", "BY", "w_*", "GET", "#", "GET", "o_*", "STORE", "dst"}),
            (P{1, 9}));
  // LIMIT takes two arguments: a "STORE" there is a number, not the keyword.
  EXPECT_EQ(keys_of({"SORT", "l", "LIMIT", "0", "10", "ALPHA", "DESC"}), P{1});
  EXPECT_EQ(keys_of({"SORT", "l", "GET", "STORE", "STORE", "d"}), (P{1, 5}));
  EXPECT_EQ(keys_of({"SORT_RO", "l", "BY", "w_*"}), P{1});
  const std::vector<std::string_view> sort = {"SORT", "l",      "BY",    "w_*", "GET", "#",
                                              "GET",  "o_*->f", "LIMIT", "0",   "5"};
  EXPECT_EQ(sort_pattern_positions(sort), (P{3, 7}));
  const std::vector<std::string_view> mget = {"MGET", "BY", "x"};
  EXPECT_EQ(sort_pattern_positions(mget), P{});
}

TEST(CommandKeys, MigrateSingleKeyAndKeysForm) {
  EXPECT_EQ(keys_of({"MIGRATE", "h", "6379", "k", "0", "5000"}), P{3});
  EXPECT_EQ(
      keys_of({"MIGRATE", "h", "6379", "", "0", "5000", "COPY", "AUTH", "KEYS", "KEYS", "a", "b"}),
      (P{10, 11}));  // AUTH's password "KEYS" is skipped, the real KEYS follows
  EXPECT_EQ(keys_of({"MIGRATE", "h", "6379", "", "0", "5000", "REPLACE", "KEYS", "a", "b"}),
            (P{8, 9}));
  EXPECT_EQ(keys_of({"MIGRATE", "h", "1", "", "0", "5", "AUTH2", "u", "p", "KEYS", "a"}), P{10});
}

TEST(CommandKeys, ShardChannelsAreNotKeysUnlessAsked) {
  const std::vector<std::string_view> args = {"SSUBSCRIBE", "c1", "c2"};
  EXPECT_TRUE(command_keys(args).empty());
  const auto with = command_keys(args, true);
  ASSERT_EQ(with.size(), 2u);
  EXPECT_EQ(with[0].name, "c1");
  EXPECT_TRUE(with[0].flags & key_not_key);
  EXPECT_EQ(keys_of({"SPUBLISH", "c", "m"}), P{});
  EXPECT_EQ(keys_of({"PUBLISH", "c", "m"}), P{});
}

TEST(CommandKeys, KeysCarryTheirSpecFlags) {
  const std::vector<std::string_view> args = {"COPY", "src", "dst"};
  const auto keys = command_keys(args);
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].name, "src");
  EXPECT_TRUE(keys[0].flags & key_ro);
  EXPECT_EQ(keys[1].name, "dst");
  EXPECT_TRUE(keys[1].flags & key_ow);
}

TEST(CommandKeys, FromAnEncodedCommand) {
  EXPECT_EQ(key_positions(Command("MSET", "a", "1", "b", "2")), (P{1, 3}));
  EXPECT_EQ(key_positions(Command("EVAL", "return 1", 1, "k", "v")), P{3});
  EXPECT_EQ(key_positions(Command()), P{});
}

TEST(CommandKeys, FromAPayloadOfSeveralCommands) {
  std::string payload = Command("MULTI").payload() + Command("SET", "a", "x\r\ny").payload() +
                        Command("MGET", "b", "c").payload() + Command("EXEC").payload();
  const auto keys = payload_keys(payload);
  const std::vector<PayloadKey> expected = {
      {1, 1, "a", find_command("SET")->key_specs()[0].flags},
      {2, 1, "b", find_command("MGET")->key_specs()[0].flags},
      {2, 2, "c", find_command("MGET")->key_specs()[0].flags},
  };
  EXPECT_EQ(keys, expected);

  std::vector<EncodedCommand> commands;
  ASSERT_TRUE(split_commands(payload, commands));
  ASSERT_EQ(commands.size(), 4u);
  EXPECT_EQ(commands[1].args[2], "x\r\ny");  // binary-safe
  EXPECT_EQ(payload.substr(commands[2].offset, commands[2].size),
            Command("MGET", "b", "c").payload());
}

TEST(CommandKeys, MalformedPayloadsYieldNothing) {
  std::vector<EncodedCommand> commands;
  for (std::string_view bad : {"PING\r\n", "*1\r\n$4\r\nPIN", "*1\r\n$x\r\nPING\r\n",
                               "*2\r\n$3\r\nGET\r\n", "*1\r\n$4\r\nPINGxx"}) {
    commands.clear();
    EXPECT_FALSE(split_commands(bad, commands)) << bad;
    EXPECT_TRUE(payload_keys(bad).empty());
  }
  commands.clear();
  EXPECT_TRUE(split_commands("", commands));
  EXPECT_TRUE(commands.empty());
}

}  // namespace
}  // namespace redwire
