// Every typed command name with the command group that has it, walked from the one list of
// groups (redwire::TypedCommandGroups). Shared by the registry unit test and the integration
// suite's coverage check. Header-only.
#pragma once

#include <cxxabi.h>

#include <cstdlib>
#include <map>
#include <string>
#include <typeinfo>

#include "redwire/commands.hpp"

namespace redwire::test {

namespace typed_commands_detail {
struct Probe {};  // the registries do not depend on the class that inherits the group

// "redwire::StringCommands<redwire::test::typed_commands_detail::Probe>" -> "StringCommands".
template <class Group>
std::string group_name() {
  int status = 0;
  char* d = abi::__cxa_demangle(typeid(Group).name(), nullptr, nullptr, &status);
  std::string name = status == 0 && d != nullptr ? d : typeid(Group).name();
  std::free(d);
  name = name.substr(0, name.find('<'));
  return name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
}
}  // namespace typed_commands_detail

/// Typed command name ("SET", "CLIENT|KILL") -> the group that has it ("StringCommands").
inline std::map<std::string, std::string> typed_commands() {
  std::map<std::string, std::string> out;
  TypedCommandGroups::for_each_group<typed_commands_detail::Probe>([&](auto group) {
    using Group = typename decltype(group)::type;
    const std::string name = typed_commands_detail::group_name<Group>();
    for (auto command : Group::typed_commands) out.emplace(std::string(command), name);
  });
  return out;
}

}  // namespace redwire::test
