// Stream commands (XADD, XREAD, XREADGROUP, XACK, XGROUP, XPENDING, XCLAIM, XAUTOCLAIM, XINFO,
// XRANGE, XTRIM, XDEL, XLEN), typed with the replies of redwire/streams.hpp. Every form of the
// client (async with a completion token, blocking, pipeline) inherits this group.
//
//   co_await redis.xadd("stream:orders", fields, asio::use_awaitable);          // "1700...-0"
//   co_await redis.xgroup_create_if_missing("stream:orders", "order-workers", "$",
//                                           {.mkstream = true}, asio::use_awaitable);
//   auto got = co_await redis.xreadgroup("order-workers", "worker-1", "stream:orders", ">",
//                                        {.count = 10, .block = 5s}, asio::use_awaitable);
//   co_await redis.xack("stream:orders", "order-workers", id, asio::use_awaitable);
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"
#include "redwire/streams.hpp"

namespace redwire {

template <class Derived>
class StreamCommands {
 public:
  /// Every stream command has a method here (checked against the command table by
  /// test/unit/command_registry_test.cpp).
  static constexpr std::string_view typed_commands[] = {
      "XACK",
      "XADD",
      "XAUTOCLAIM",
      "XCLAIM",
      "XDEL",
      "XGROUP|CREATE",
      "XGROUP|CREATECONSUMER",
      "XGROUP|DELCONSUMER",
      "XGROUP|DESTROY",
      "XGROUP|SETID",
      "XINFO|CONSUMERS",
      "XINFO|GROUPS",
      "XINFO|STREAM",
      "XLEN",
      "XPENDING",
      "XRANGE",
      "XREAD",
      "XREADGROUP",
      "XREVRANGE",
      "XSETID",
      "XTRIM",
  };

  // ---------------------------------------------------------------- writing and trimming
  /// XADD key * field value [field value ...] — the new entry's ID.
  /// https://redis.io/commands/xadd
  template <class... Token>
  requires TokenPack<Token...>
  auto xadd(std::string_view key, const FieldValues& fields, Token&&... token) {
    return run<std::string>(detail::xadd_command(key, fields, XAddOptions{}),
                            std::forward<Token>(token)...);
  }
  /// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT n]] id field value ... — the
  /// new entry's ID; nullopt when NOMKSTREAM was given and the stream does not exist.
  ///   xadd("s", fields, {.trim = {.maxlen = 1000, .approximate = true}}, token)
  template <class... Token>
  requires TokenPack<Token...>
  auto xadd(std::string_view key, const FieldValues& fields, const XAddOptions& opts,
            Token&&... token) {
    return run<std::optional<std::string>>(detail::xadd_command(key, fields, opts),
                                           std::forward<Token>(token)...);
  }
  /// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT n] — entries removed.
  /// https://redis.io/commands/xtrim
  template <class... Token>
  requires TokenPack<Token...>
  auto xtrim(std::string_view key, const StreamTrim& trim, Token&&... token) {
    return run<long long>(detail::xtrim_command(key, trim), std::forward<Token>(token)...);
  }
  /// XDEL key id [id ...] — entries deleted. https://redis.io/commands/xdel
  template <class... Token>
  requires TokenPack<Token...>
  auto xdel(std::string_view key, const StringList& ids, Token&&... token) {
    return run<long long>(Command("XDEL", key, ids), std::forward<Token>(token)...);
  }
  /// XSETID key last-id — moves the stream's last ID (replication, restores).
  /// https://redis.io/commands/xsetid
  template <class... Token>
  requires TokenPack<Token...>
  auto xsetid(std::string_view key, std::string_view last_id, Token&&... token) {
    return run<void>(Command("XSETID", key, last_id), std::forward<Token>(token)...);
  }
  /// XLEN key — https://redis.io/commands/xlen
  template <class... Token>
  requires TokenPack<Token...>
  auto xlen(std::string_view key, Token&&... token) {
    return run<long long>(Command("XLEN", key), std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- reading
  /// XRANGE key start end — oldest first; "-" and "+" are the extremes.
  /// https://redis.io/commands/xrange
  template <class... Token>
  requires TokenPack<Token...>
  auto xrange(std::string_view key, std::string_view start, std::string_view end,
              Token&&... token) {
    return run<std::vector<StreamEntry>>(Command("XRANGE", key, start, end),
                                         std::forward<Token>(token)...);
  }
  /// XRANGE key start end COUNT count
  template <class... Token>
  requires TokenPack<Token...>
  auto xrange(std::string_view key, std::string_view start, std::string_view end, long long count,
              Token&&... token) {
    return run<std::vector<StreamEntry>>(Command("XRANGE", key, start, end, "COUNT", count),
                                         std::forward<Token>(token)...);
  }
  /// XREVRANGE key end start — newest first. https://redis.io/commands/xrevrange
  template <class... Token>
  requires TokenPack<Token...>
  auto xrevrange(std::string_view key, std::string_view end, std::string_view start,
                 Token&&... token) {
    return run<std::vector<StreamEntry>>(Command("XREVRANGE", key, end, start),
                                         std::forward<Token>(token)...);
  }
  /// XREVRANGE key end start COUNT count
  template <class... Token>
  requires TokenPack<Token...>
  auto xrevrange(std::string_view key, std::string_view end, std::string_view start,
                 long long count, Token&&... token) {
    return run<std::vector<StreamEntry>>(Command("XREVRANGE", key, end, start, "COUNT", count),
                                         std::forward<Token>(token)...);
  }
  /// XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...] — one batch per stream with
  /// new entries; empty when BLOCK timed out. With BLOCK it runs on a dedicated link.
  /// https://redis.io/commands/xread
  template <class... Token>
  requires TokenPack<Token...>
  auto xread(const StreamOffsets& streams, const XReadOptions& opts, Token&&... token) {
    return run<std::vector<StreamBatch>>(detail::xread_command(streams, opts),
                                         std::forward<Token>(token)...);
  }
  /// XREAD for one stream: xread("s", "$", {.block = 5s}, token)
  template <class... Token>
  requires TokenPack<Token...>
  auto xread(std::string_view key, std::string_view id, const XReadOptions& opts,
             Token&&... token) {
    return run<std::vector<StreamBatch>>(detail::xread_command(StreamOffsets{{key, id}}, opts),
                                         std::forward<Token>(token)...);
  }
  /// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ... —
  /// ">" reads entries never delivered to the group; any other ID re-reads this consumer's
  /// pending entries from there. https://redis.io/commands/xreadgroup
  template <class... Token>
  requires TokenPack<Token...>
  auto xreadgroup(std::string_view group, std::string_view consumer, const StreamOffsets& streams,
                  const XReadGroupOptions& opts, Token&&... token) {
    return run<std::vector<StreamBatch>>(detail::xreadgroup_command(group, consumer, streams, opts),
                                         std::forward<Token>(token)...);
  }
  /// XREADGROUP for one stream: xreadgroup("g", "c", "s", ">", {.count = 10}, token)
  template <class... Token>
  requires TokenPack<Token...>
  auto xreadgroup(std::string_view group, std::string_view consumer, std::string_view key,
                  std::string_view id, const XReadGroupOptions& opts, Token&&... token) {
    return run<std::vector<StreamBatch>>(
        detail::xreadgroup_command(group, consumer, StreamOffsets{{key, id}}, opts),
        std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- consumer groups
  /// XACK key group id [id ...] — entries acknowledged. https://redis.io/commands/xack
  template <class... Token>
  requires TokenPack<Token...>
  auto xack(std::string_view key, std::string_view group, const StringList& ids, Token&&... token) {
    return run<long long>(Command("XACK", key, group, ids), std::forward<Token>(token)...);
  }
  /// XGROUP CREATE key group id — fails with server_errc::busygroup when it exists.
  /// https://redis.io/commands/xgroup-create
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_create(std::string_view key, std::string_view group, std::string_view id,
                     Token&&... token) {
    return run<void>(detail::xgroup_create_command(key, group, id, {}),
                     std::forward<Token>(token)...);
  }
  /// XGROUP CREATE key group id [MKSTREAM] [ENTRIESREAD n]
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_create(std::string_view key, std::string_view group, std::string_view id,
                     const XGroupCreateOptions& opts, Token&&... token) {
    return run<void>(detail::xgroup_create_command(key, group, id, opts),
                     std::forward<Token>(token)...);
  }
  /// XGROUP CREATE that treats BUSYGROUP (the group exists) as success: true when created now.
  /// The guide's try { xgroup('CREATE', ...) } catch (BUSYGROUP) {} in one call.
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_create_if_missing(std::string_view key, std::string_view group, std::string_view id,
                                const XGroupCreateOptions& opts, Token&&... token) {
    return run<GroupCreated>(detail::xgroup_create_command(key, group, id, opts),
                             std::forward<Token>(token)...);
  }
  /// XGROUP CREATECONSUMER key group consumer — true when created.
  /// https://redis.io/commands/xgroup-createconsumer
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_createconsumer(std::string_view key, std::string_view group,
                             std::string_view consumer, Token&&... token) {
    return run<bool>(Command("XGROUP", "CREATECONSUMER", key, group, consumer),
                     std::forward<Token>(token)...);
  }
  /// XGROUP DELCONSUMER key group consumer — the number of pending entries it had (they are
  /// dropped from the group's pending list). https://redis.io/commands/xgroup-delconsumer
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_delconsumer(std::string_view key, std::string_view group, std::string_view consumer,
                          Token&&... token) {
    return run<long long>(Command("XGROUP", "DELCONSUMER", key, group, consumer),
                          std::forward<Token>(token)...);
  }
  /// XGROUP DESTROY key group — true when it existed. https://redis.io/commands/xgroup-destroy
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_destroy(std::string_view key, std::string_view group, Token&&... token) {
    return run<bool>(Command("XGROUP", "DESTROY", key, group), std::forward<Token>(token)...);
  }
  /// XGROUP SETID key group id — https://redis.io/commands/xgroup-setid
  template <class... Token>
  requires TokenPack<Token...>
  auto xgroup_setid(std::string_view key, std::string_view group, std::string_view id,
                    Token&&... token) {
    return run<void>(Command("XGROUP", "SETID", key, group, id), std::forward<Token>(token)...);
  }
  /// XPENDING key group — count, ID range and per-consumer counts.
  /// https://redis.io/commands/xpending
  template <class... Token>
  requires TokenPack<Token...>
  auto xpending(std::string_view key, std::string_view group, Token&&... token) {
    return run<PendingSummary>(Command("XPENDING", key, group), std::forward<Token>(token)...);
  }
  /// XPENDING key group [IDLE ms] start end count [consumer] — one row per pending entry, with
  /// its consumer, idle time and delivery count.
  template <class... Token>
  requires TokenPack<Token...>
  auto xpending(std::string_view key, std::string_view group, const XPendingRange& range,
                Token&&... token) {
    return run<std::vector<PendingEntry>>(detail::xpending_command(key, group, range),
                                          std::forward<Token>(token)...);
  }
  /// XCLAIM key group consumer min-idle-ms id [id ...] — the entries now owned by `consumer`
  /// (their delivery counts go up by one). https://redis.io/commands/xclaim
  template <class... Token>
  requires TokenPack<Token...>
  auto xclaim(std::string_view key, std::string_view group, std::string_view consumer,
              std::chrono::milliseconds min_idle, const StringList& ids, Token&&... token) {
    return run<std::vector<StreamEntry>>(
        detail::xclaim_command(key, group, consumer, min_idle, ids, {}),
        std::forward<Token>(token)...);
  }
  /// XCLAIM ... [IDLE ms] [RETRYCOUNT n] [FORCE]
  template <class... Token>
  requires TokenPack<Token...>
  auto xclaim(std::string_view key, std::string_view group, std::string_view consumer,
              std::chrono::milliseconds min_idle, const StringList& ids, const XClaimOptions& opts,
              Token&&... token) {
    return run<std::vector<StreamEntry>>(
        detail::xclaim_command(key, group, consumer, min_idle, ids, opts),
        std::forward<Token>(token)...);
  }
  /// XAUTOCLAIM key group consumer min-idle-ms start COUNT count — claims entries idle longer
  /// than min_idle from any consumer (dead ones included). https://redis.io/commands/xautoclaim
  template <class... Token>
  requires TokenPack<Token...>
  auto xautoclaim(std::string_view key, std::string_view group, std::string_view consumer,
                  std::chrono::milliseconds min_idle, std::string_view start, long long count,
                  Token&&... token) {
    return run<AutoClaimResult>(
        Command("XAUTOCLAIM", key, group, consumer, min_idle.count(), start, "COUNT", count),
        std::forward<Token>(token)...);
  }

  // ---------------------------------------------------------------- introspection
  /// XINFO STREAM key — https://redis.io/commands/xinfo-stream
  template <class... Token>
  requires TokenPack<Token...>
  auto xinfo_stream(std::string_view key, Token&&... token) {
    return run<StreamInfo>(Command("XINFO", "STREAM", key), std::forward<Token>(token)...);
  }
  /// XINFO GROUPS key — https://redis.io/commands/xinfo-groups
  template <class... Token>
  requires TokenPack<Token...>
  auto xinfo_groups(std::string_view key, Token&&... token) {
    return run<std::vector<StreamGroupInfo>>(Command("XINFO", "GROUPS", key),
                                             std::forward<Token>(token)...);
  }
  /// XINFO CONSUMERS key group — https://redis.io/commands/xinfo-consumers
  template <class... Token>
  requires TokenPack<Token...>
  auto xinfo_consumers(std::string_view key, std::string_view group, Token&&... token) {
    return run<std::vector<StreamConsumerInfo>>(Command("XINFO", "CONSUMERS", key, group),
                                                std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
