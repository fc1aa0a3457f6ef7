// The generated command table: lookups, subcommands, flags and the client's readings of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "redwire/command.hpp"
#include "redwire/command_info.hpp"

namespace redwire {
namespace {

TEST(CommandTable, HoldsEveryRedis70CommandSortedByName) {
  const auto table = command_table();
  EXPECT_EQ(table.size(), 240u);
  std::size_t subcommands = 0;
  for (const auto& c : table) subcommands += c.subcommands().size();
  EXPECT_EQ(subcommands, 126u);
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
  for (const auto& c : table) {
    EXPECT_TRUE(std::is_sorted(c.subcommands().begin(), c.subcommands().end(),
                               [](const auto& a, const auto& b) { return a.name < b.name; }))
        << c.name;
  }
}

TEST(CommandTable, LooksUpAnyCaseAndSubcommandsInEveryForm) {
  ASSERT_NE(find_command("get"), nullptr);
  EXPECT_EQ(find_command("GeT")->name, "GET");
  EXPECT_EQ(find_command("GET")->arity, 2);
  EXPECT_EQ(find_command("GET")->group, CommandGroup::string);
  EXPECT_EQ(find_command("NOPE"), nullptr);
  EXPECT_EQ(find_command(""), nullptr);
  EXPECT_EQ(find_command(std::string(100, 'x')), nullptr);

  const auto* kill = find_command("client", "kill");
  ASSERT_NE(kill, nullptr);
  EXPECT_EQ(kill->name, "CLIENT|KILL");
  EXPECT_EQ(kill->subcommand_name(), "KILL");
  EXPECT_EQ(find_command("CLIENT|KILL"), kill);
  EXPECT_EQ(find_command("client kill"), kill);
  const std::string_view args[] = {"CONFIG", "get", "maxmemory"};
  ASSERT_NE(find_command(args), nullptr);
  EXPECT_EQ(find_command(args)->name, "CONFIG|GET");
  // An unknown subcommand falls back to its container; a plain command ignores its argument.
  EXPECT_EQ(find_command("CLIENT", "NOPE")->name, "CLIENT");
  EXPECT_EQ(find_command("GET", "k")->name, "GET");
  EXPECT_EQ(find_command("XINFO", "STREAM")->group, CommandGroup::stream);
  EXPECT_EQ(to_string(find_command("ZADD")->group), "sorted-set");
}

TEST(CommandTable, FindsEveryCommandByItsNameInAnyCase) {
  for (const auto& c : command_table()) {
    std::string lower(c.name);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_EQ(find_command(c.name), &c) << c.name;
    EXPECT_EQ(find_command(lower), &c) << lower;
  }
  // Only letters fold: characters that differ from a name's in bit 5 alone are not that name.
  EXPECT_EQ(find_command("RESTORE\rASKING"), nullptr);  // '\r' is '-' without bit 5
  EXPECT_NE(find_command("restore-asking"), nullptr);
  EXPECT_EQ(find_command("BITFIELD\x7fRO"), nullptr);  // DEL is '_' with bit 5
  EXPECT_NE(find_command("bitfield_ro"), nullptr);
  EXPECT_EQ(find_command(std::string_view("GET\0", 4)), nullptr);
}

TEST(CommandTable, MirrorsServerFlagsAndArity) {
  EXPECT_TRUE(find_command("GET")->flags & cmd_readonly);
  EXPECT_TRUE(find_command("GET")->flags & cmd_fast);
  EXPECT_TRUE(find_command("SET")->flags & cmd_write);
  EXPECT_TRUE(find_command("SET")->flags & cmd_denyoom);
  EXPECT_EQ(find_command("SET")->arity, -3);
  EXPECT_TRUE(find_command("BLPOP")->flags & cmd_blocking);
  EXPECT_TRUE(find_command("XREADGROUP")->flags & cmd_blocking);
  EXPECT_TRUE(find_command("EVAL")->flags & cmd_noscript);
  EXPECT_TRUE(find_command("EVAL")->flags & cmd_movablekeys);
  EXPECT_TRUE(find_command("CLIENT", "KILL")->flags & cmd_admin);
  EXPECT_TRUE(find_command("SAVE")->flags & cmd_no_multi);
  EXPECT_TRUE(find_command("GETSET")->flags & cmd_deprecated);
  EXPECT_TRUE(find_command("PFSELFTEST")->flags & cmd_syscmd);
  EXPECT_TRUE(find_command("PUBLISH")->flags & cmd_pubsub_server);
}

TEST(CommandTable, ClientReadingsOfTheFlags) {
  // Introspection the server does not call "readonly" is still safe to resend.
  for (const char* name : {"PING", "ECHO", "TIME", "INFO", "ROLE"}) {
    EXPECT_TRUE(find_command(name)->flags & cmd_readonly) << name;
  }
  EXPECT_TRUE(find_command("CONFIG", "GET")->flags & cmd_readonly);
  EXPECT_FALSE(find_command("CONFIG", "SET")->flags & cmd_readonly);
  // Scripts may write whatever the server flags say.
  for (const char* name : {"EVAL", "EVALSHA", "FCALL"}) {
    EXPECT_TRUE(find_command(name)->flags & cmd_write) << name;
    EXPECT_FALSE(find_command(name)->flags & cmd_readonly) << name;
  }
  EXPECT_TRUE(find_command("EVAL_RO")->flags & cmd_readonly);
  for (const char* name : {"SELECT", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "RESET",
                           "MONITOR", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE"}) {
    EXPECT_TRUE(find_command(name)->flags & cmd_connection_state) << name;
  }
  EXPECT_TRUE(find_command("CLIENT", "REPLY")->flags & cmd_connection_state);
  EXPECT_FALSE(find_command("CLIENT", "SETNAME")->flags & cmd_connection_state);
  EXPECT_TRUE(find_command("SSUBSCRIBE")->flags & cmd_pubsub);
  EXPECT_FALSE(find_command("PUBLISH")->flags & cmd_pubsub);
  // WAIT must run on the link whose writes it waits for: not routed as blocking.
  EXPECT_FALSE(find_command("WAIT")->flags & cmd_blocking);
}

TEST(CommandTable, CommandClassifiesSubcommands) {
  EXPECT_TRUE(Command("CONFIG", "GET", "maxmemory").readonly());
  EXPECT_FALSE(Command("CONFIG", "SET", "maxmemory", "1mb").readonly());
  EXPECT_TRUE(Command("client", "info").readonly());
  EXPECT_TRUE(Command("OBJECT", "ENCODING", "k").readonly());
  EXPECT_TRUE(Command("CLIENT", "REPLY", "OFF").flags() & cmd_connection_state);
  EXPECT_TRUE(Command("BZMPOP", 1, 1, "z", "MIN").blocking());
  EXPECT_TRUE(Command("XREADGROUP", "GROUP", "g", "c", "BLOCK", 0, "STREAMS", "s", ">").blocking());
  EXPECT_FALSE(Command("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">").blocking());
}

TEST(CommandTable, KeySpecsAsTheServerDescribesThem) {
  const auto specs = find_command("XREAD")->key_specs();
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].begin, KeySpec::Begin::keyword);
  EXPECT_EQ(specs[0].keyword, "STREAMS");
  EXPECT_EQ(specs[0].find, KeySpec::Find::range);
  EXPECT_EQ(specs[0].lastkey, -1);
  EXPECT_EQ(specs[0].limit, 2);
  EXPECT_TRUE(specs[0].flags & key_ro);

  const auto eval = find_command("EVAL")->key_specs();
  ASSERT_EQ(eval.size(), 1u);
  EXPECT_EQ(eval[0].find, KeySpec::Find::keynum);
  EXPECT_EQ(eval[0].begin_at, 2);
  EXPECT_EQ(eval[0].firstkey, 1);

  const auto sort = find_command("SORT")->key_specs();
  ASSERT_EQ(sort.size(), 3u);
  EXPECT_EQ(sort[1].begin, KeySpec::Begin::unknown);
  EXPECT_TRUE(find_command("SSUBSCRIBE")->key_specs()[0].flags & key_not_key);
  EXPECT_TRUE(find_command("DEL")->key_specs()[0].flags & key_rm);
  EXPECT_TRUE(find_command("MSETNX")->key_specs()[0].flags & key_insert);
}

}  // namespace
}  // namespace redwire
