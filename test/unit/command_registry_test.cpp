// Every command of the typed groups (per the generated table's group) has a typed method, or is
// a deliberate, documented exclusion (include/redwire/commands/untyped.hpp). The registries are
// the `typed_commands` lists kept next to the methods in each group header.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "redwire/command_info.hpp"
#include "redwire/commands.hpp"
#include "redwire/commands/untyped.hpp"
#include "redwire/test/typed_commands.hpp"

namespace redwire {
namespace {

struct Probe {};  // a class to instantiate a group with (the registries do not depend on it)

template <class G>
concept HasRegistry = requires {
  G::typed_commands;
};

// Commands and subcommands (not their containers, not HELP) of the given groups.
std::vector<const CommandInfo*> commands_of(const std::set<CommandGroup>& groups) {
  std::vector<const CommandInfo*> out;
  const auto visit = [&](const CommandInfo& c) {
    if (groups.count(c.group) != 0 && c.subcommand_name() != "HELP") out.push_back(&c);
  };
  for (const auto& c : command_table()) {
    if (c.is_container()) {
      for (const auto& s : c.subcommands()) visit(s);
    } else {
      visit(c);
    }
  }
  return out;
}

TEST(CommandRegistry, EveryCommandOfTheTypedGroupsHasAMethodOrAReason) {
  const auto methods = test::typed_commands();
  std::map<std::string, std::string> untyped;
  for (const auto& u : kUntypedCommands) untyped.emplace(u.name, u.reason);
  const std::set<CommandGroup> groups(std::begin(kTypedGroups), std::end(kTypedGroups));
  std::size_t checked = 0;
  for (const CommandInfo* c : commands_of(groups)) {
    const std::string name(c->name);
    ++checked;
    EXPECT_TRUE(methods.count(name) != 0 || untyped.count(name) != 0)
        << name << " (" << to_string(c->group) << ") has no typed method: add one to its group "
        << "header's typed_commands, or a reason to include/redwire/commands/untyped.hpp";
    EXPECT_FALSE(methods.count(name) != 0 && untyped.count(name) != 0)
        << name << " is both typed (" << methods.at(name) << ") and excluded";
  }
  EXPECT_GT(checked, 250u);
}

TEST(CommandRegistry, RegistriesAndExclusionsNameRealCommands) {
  for (const auto& [name, group] : test::typed_commands()) {
    const auto* info = find_command(name);
    EXPECT_TRUE(info != nullptr && info->name == name) << group << " lists unknown " << name;
  }
  for (const auto& u : kUntypedCommands) {
    const auto* info = find_command(u.name);
    EXPECT_TRUE(info != nullptr && info->name == u.name) << "untyped.hpp lists unknown " << u.name;
    EXPECT_FALSE(u.reason.empty()) << u.name;
  }
}

template <class Streams>
void check_stream_group() {
  if constexpr (HasRegistry<Streams>) {
    std::set<std::string> names;
    for (auto n : Streams::typed_commands) names.emplace(n);
    for (const CommandInfo* c : commands_of({CommandGroup::stream})) {
      EXPECT_TRUE(names.count(std::string(c->name)) != 0) << c->name << " has no typed method";
    }
  } else {
    GTEST_SKIP() << "StreamCommands has no typed_commands registry yet";
  }
}

TEST(CommandRegistry, StreamGroupWhenStreamCommandsKeepsARegistry) {
  check_stream_group<StreamCommands<Probe>>();
}

}  // namespace
}  // namespace redwire
