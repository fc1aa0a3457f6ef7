// Access control and modules: ACL * and MODULE LIST/LOAD/LOADEX/UNLOAD. (Part of the server
// group.) Replies of irregular shape come as name -> Reply maps.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

template <class Derived>
class AdminCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "ACL|CAT",     "ACL|DELUSER", "ACL|DRYRUN",    "ACL|GENPASS",  "ACL|GETUSER", "ACL|LIST",
      "ACL|LOAD",    "ACL|LOG",     "ACL|SAVE",      "ACL|SETUSER",  "ACL|USERS",   "ACL|WHOAMI",
      "MODULE|LIST", "MODULE|LOAD", "MODULE|LOADEX", "MODULE|UNLOAD"};

  /// ACL CAT [category] — the categories, or the commands of one.
  /// https://redis.io/commands/acl-cat
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_cat(Token&&... token) {
    return run<std::vector<std::string>>(Command("ACL", "CAT"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_cat(std::string_view category, Token&&... token) {
    return run<std::vector<std::string>>(Command("ACL", "CAT", category),
                                         std::forward<Token>(token)...);
  }
  /// ACL SETUSER username rule... — acl_setuser("app", {"on", ">secret", "~app:*", "+@read"}).
  /// https://redis.io/commands/acl-setuser
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_setuser(std::string_view username, const StringList& rules, Token&&... token) {
    return run<void>(Command("ACL", "SETUSER", username, rules), std::forward<Token>(token)...);
  }
  /// ACL GETUSER username — its rules (flags, passwords, commands, keys, channels,
  /// selectors), nullopt when there is no such user. https://redis.io/commands/acl-getuser
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_getuser(std::string_view username, Token&&... token) {
    return run<std::optional<std::map<std::string, Reply>>>(Command("ACL", "GETUSER", username),
                                                            std::forward<Token>(token)...);
  }
  /// ACL DELUSER username [username ...] — users deleted. https://redis.io/commands/acl-deluser
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_deluser(const StringList& usernames, Token&&... token) {
    return run<long long>(Command("ACL", "DELUSER", usernames), std::forward<Token>(token)...);
  }
  /// ACL DRYRUN username command arg... — "OK", or why the user may not run it.
  /// https://redis.io/commands/acl-dryrun
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_dryrun(std::string_view username, const StringList& command, Token&&... token) {
    return run<std::string>(Command("ACL", "DRYRUN", username, command),
                            std::forward<Token>(token)...);
  }
  /// ACL GENPASS — a random 256-bit password as hex. https://redis.io/commands/acl-genpass
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_genpass(Token&&... token) {
    return run<std::string>(Command("ACL", "GENPASS"), std::forward<Token>(token)...);
  }
  /// ACL LIST — one rule line per user. https://redis.io/commands/acl-list
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_list(Token&&... token) {
    return run<std::vector<std::string>>(Command("ACL", "LIST"), std::forward<Token>(token)...);
  }
  /// ACL USERS — https://redis.io/commands/acl-users
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_users(Token&&... token) {
    return run<std::vector<std::string>>(Command("ACL", "USERS"), std::forward<Token>(token)...);
  }
  /// ACL WHOAMI — https://redis.io/commands/acl-whoami
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_whoami(Token&&... token) {
    return run<std::string>(Command("ACL", "WHOAMI"), std::forward<Token>(token)...);
  }
  /// ACL LOAD / ACL SAVE — from / to the ACL file. https://redis.io/commands/acl-load
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_load(Token&&... token) {
    return run<void>(Command("ACL", "LOAD"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_save(Token&&... token) {
    return run<void>(Command("ACL", "SAVE"), std::forward<Token>(token)...);
  }
  /// ACL LOG [count] — recent denials (count, reason, context, object, username, ...).
  /// https://redis.io/commands/acl-log
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_log(long long count, Token&&... token) {
    return run<std::vector<std::map<std::string, Reply>>>(Command("ACL", "LOG", count),
                                                          std::forward<Token>(token)...);
  }
  /// ACL LOG RESET
  template <class... Token>
  requires TokenPack<Token...>
  auto acl_log_reset(Token&&... token) {
    return run<void>(Command("ACL", "LOG", "RESET"), std::forward<Token>(token)...);
  }

  /// MODULE LIST — name, ver, path, args of each module. https://redis.io/commands/module-list
  template <class... Token>
  requires TokenPack<Token...>
  auto module_list(Token&&... token) {
    return run<std::vector<std::map<std::string, Reply>>>(Command("MODULE", "LIST"),
                                                          std::forward<Token>(token)...);
  }
  /// MODULE LOAD path [arg ...] — https://redis.io/commands/module-load
  template <class... Token>
  requires TokenPack<Token...>
  auto module_load(std::string_view path, const StringList& args, Token&&... token) {
    return run<void>(Command("MODULE", "LOAD", path, args), std::forward<Token>(token)...);
  }
  /// MODULE LOADEX path [CONFIG name value ...] [ARGS arg ...]
  /// https://redis.io/commands/module-loadex
  template <class... Token>
  requires TokenPack<Token...>
  auto module_loadex(std::string_view path, const FieldValues& configs, const StringList& args,
                     Token&&... token) {
    std::vector<std::string_view> words;
    for (const auto& [name, value] : configs) words.insert(words.end(), {"CONFIG", name, value});
    if (!args.empty()) words.push_back("ARGS");
    return run<void>(Command("MODULE", "LOADEX", path, words, args), std::forward<Token>(token)...);
  }
  /// MODULE UNLOAD name — https://redis.io/commands/module-unload
  template <class... Token>
  requires TokenPack<Token...>
  auto module_unload(std::string_view name, Token&&... token) {
    return run<void>(Command("MODULE", "UNLOAD", name), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
