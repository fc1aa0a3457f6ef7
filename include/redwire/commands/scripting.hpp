// Scripting and functions as plain commands: EVAL/EVALSHA (and _RO), SCRIPT LOAD/EXISTS/FLUSH/
// KILL, FCALL/FCALL_RO, FUNCTION LOAD/DELETE/LIST/DUMP/RESTORE/FLUSH/KILL/STATS. The Script
// object (EVALSHA with EVAL fallback) is in redwire/script.hpp.
//
// Lua -> RESP: true becomes 1, false becomes nil, numbers are truncated to integers. A reply
// type T of your choice converts the result: eval<long long>(...), eval<std::vector<std::string>>.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/server_replies.hpp"

namespace redwire {

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE].
struct FunctionListOptions {
  using redwire_option = void;
  std::string library_pattern{};
  bool with_code = false;

  template <class F>
  void visit_args(F&& f) const {
    if (!library_pattern.empty()) {
      f(std::string_view("LIBRARYNAME"));
      f(std::string_view(library_pattern));
    }
    if (with_code) f(std::string_view("WITHCODE"));
  }
};

/// FUNCTION RESTORE policy.
enum class FunctionRestorePolicy { append, replace, flush };

}  // namespace redwire

template <>
struct redwire::resp::ArgTraits<redwire::FunctionRestorePolicy> {
  static std::size_t count(FunctionRestorePolicy) noexcept { return 1; }
  static void write(std::string& out, FunctionRestorePolicy p) {
    constexpr std::string_view names[] = {"APPEND", "REPLACE", "FLUSH"};
    append_bulk(out, names[static_cast<int>(p)]);
  }
};

namespace redwire {

template <class Derived>
class ScriptingCommands {
 public:
  /// The commands of this group with a typed method (checked against the command table).
  static constexpr std::string_view typed_commands[] = {
      "EVAL",          "EVALSHA",         "EVALSHA_RO",       "EVAL_RO",        "FCALL",
      "FCALL_RO",      "FUNCTION|DELETE", "FUNCTION|DUMP",    "FUNCTION|FLUSH", "FUNCTION|KILL",
      "FUNCTION|LIST", "FUNCTION|LOAD",   "FUNCTION|RESTORE", "FUNCTION|STATS", "SCRIPT|EXISTS",
      "SCRIPT|FLUSH",  "SCRIPT|KILL",     "SCRIPT|LOAD"};

  /// EVAL script numkeys key... arg... — the script's result as T (default: the raw Reply).
  ///   auto n = co_await redis.eval<long long>("return #KEYS", keys, args, asio::use_awaitable);
  /// https://redis.io/commands/eval
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto eval(std::string_view script, const StringList& keys, const Args& args, Token&&... token) {
    return run<T>(Command("EVAL", script, keys.size(), keys, args), std::forward<Token>(token)...);
  }
  /// EVAL_RO — a script that only reads (allowed on replicas, safe to resend).
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto eval_ro(std::string_view script, const StringList& keys, const Args& args,
               Token&&... token) {
    return run<T>(Command("EVAL_RO", script, keys.size(), keys, args),
                  std::forward<Token>(token)...);
  }
  /// EVALSHA sha1 numkeys key... arg... — fails with NOSCRIPT when the server does not have it
  /// (redwire::Script falls back to EVAL for you). https://redis.io/commands/evalsha
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto evalsha(std::string_view sha1, const StringList& keys, const Args& args, Token&&... token) {
    return run<T>(Command("EVALSHA", sha1, keys.size(), keys, args), std::forward<Token>(token)...);
  }
  /// EVALSHA_RO
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto evalsha_ro(std::string_view sha1, const StringList& keys, const Args& args,
                  Token&&... token) {
    return run<T>(Command("EVALSHA_RO", sha1, keys.size(), keys, args),
                  std::forward<Token>(token)...);
  }
  /// SCRIPT LOAD script — its SHA1. https://redis.io/commands/script-load
  template <class... Token>
  requires TokenPack<Token...>
  auto script_load(std::string_view script, Token&&... token) {
    return run<std::string>(Command("SCRIPT", "LOAD", script), std::forward<Token>(token)...);
  }
  /// SCRIPT EXISTS sha1 [sha1 ...] — one bool per script. https://redis.io/commands/script-exists
  template <class... Token>
  requires TokenPack<Token...>
  auto script_exists(const StringList& sha1s, Token&&... token) {
    return run<std::vector<bool>>(Command("SCRIPT", "EXISTS", sha1s),
                                  std::forward<Token>(token)...);
  }
  /// SCRIPT FLUSH [ASYNC|SYNC] — https://redis.io/commands/script-flush
  template <class... Token>
  requires TokenPack<Token...>
  auto script_flush(Token&&... token) {
    return run<void>(Command("SCRIPT", "FLUSH"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto script_flush(FlushMode mode, Token&&... token) {
    return run<void>(Command("SCRIPT", "FLUSH", mode), std::forward<Token>(token)...);
  }
  /// SCRIPT KILL — stops a running script that has not written.
  /// https://redis.io/commands/script-kill
  template <class... Token>
  requires TokenPack<Token...>
  auto script_kill(Token&&... token) {
    return run<void>(Command("SCRIPT", "KILL"), std::forward<Token>(token)...);
  }

  /// FCALL function numkeys key... arg... — https://redis.io/commands/fcall
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto fcall(std::string_view function, const StringList& keys, const Args& args,
             Token&&... token) {
    return run<T>(Command("FCALL", function, keys.size(), keys, args),
                  std::forward<Token>(token)...);
  }
  /// FCALL_RO — a function flagged no-writes. https://redis.io/commands/fcall_ro
  template <class T = Reply, resp::EncodableArg Args = StringList, class... Token>
  requires TokenPack<Token...>
  auto fcall_ro(std::string_view function, const StringList& keys, const Args& args,
                Token&&... token) {
    return run<T>(Command("FCALL_RO", function, keys.size(), keys, args),
                  std::forward<Token>(token)...);
  }
  /// FUNCTION LOAD code — the library's name. https://redis.io/commands/function-load
  template <class... Token>
  requires TokenPack<Token...>
  auto function_load(std::string_view code, Token&&... token) {
    return run<std::string>(Command("FUNCTION", "LOAD", code), std::forward<Token>(token)...);
  }
  /// FUNCTION LOAD REPLACE code — replaces a library of the same name.
  template <class... Token>
  requires TokenPack<Token...>
  auto function_load_replace(std::string_view code, Token&&... token) {
    return run<std::string>(Command("FUNCTION", "LOAD", "REPLACE", code),
                            std::forward<Token>(token)...);
  }
  /// FUNCTION DELETE library — https://redis.io/commands/function-delete
  template <class... Token>
  requires TokenPack<Token...>
  auto function_delete(std::string_view library, Token&&... token) {
    return run<void>(Command("FUNCTION", "DELETE", library), std::forward<Token>(token)...);
  }
  /// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE] — https://redis.io/commands/function-list
  template <class... Token>
  requires TokenPack<Token...>
  auto function_list(const FunctionListOptions& opts, Token&&... token) {
    return run<std::vector<FunctionLibrary>>(Command("FUNCTION", "LIST", opts),
                                             std::forward<Token>(token)...);
  }
  /// FUNCTION DUMP — every library, serialized (binary). https://redis.io/commands/function-dump
  template <class... Token>
  requires TokenPack<Token...>
  auto function_dump(Token&&... token) {
    return run<std::string>(Command("FUNCTION", "DUMP"), std::forward<Token>(token)...);
  }
  /// FUNCTION RESTORE payload [APPEND|REPLACE|FLUSH] — https://redis.io/commands/function-restore
  template <class... Token>
  requires TokenPack<Token...>
  auto function_restore(std::string_view payload, FunctionRestorePolicy policy, Token&&... token) {
    return run<void>(Command("FUNCTION", "RESTORE", payload, policy),
                     std::forward<Token>(token)...);
  }
  /// FUNCTION FLUSH [ASYNC|SYNC] — deletes every library. https://redis.io/commands/function-flush
  template <class... Token>
  requires TokenPack<Token...>
  auto function_flush(Token&&... token) {
    return run<void>(Command("FUNCTION", "FLUSH"), std::forward<Token>(token)...);
  }
  template <class... Token>
  requires TokenPack<Token...>
  auto function_flush(FlushMode mode, Token&&... token) {
    return run<void>(Command("FUNCTION", "FLUSH", mode), std::forward<Token>(token)...);
  }
  /// FUNCTION KILL — stops a running read-only function. https://redis.io/commands/function-kill
  template <class... Token>
  requires TokenPack<Token...>
  auto function_kill(Token&&... token) {
    return run<void>(Command("FUNCTION", "KILL"), std::forward<Token>(token)...);
  }
  /// FUNCTION STATS — the running function, if any, and the engines' counts.
  /// https://redis.io/commands/function-stats
  template <class... Token>
  requires TokenPack<Token...>
  auto function_stats(Token&&... token) {
    return run<FunctionStats>(Command("FUNCTION", "STATS"), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
