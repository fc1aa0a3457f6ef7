// Typed Redis Streams: entries, read results, pending-entry reports, XINFO replies, and the
// option structs of the stream commands (commands/streams.hpp). Every reply type converts from
// both RESP2 and RESP3 shapes.
//
//   redwire::XAddOptions capped{.trim = {.maxlen = 10'000, .approximate = true}};
//   auto id = co_await redis.xadd("stream:orders", fields, capped, asio::use_awaitable);
//   auto batches = co_await redis.xreadgroup("order-workers", "worker-1", "stream:orders", ">",
//                                            {.count = 10, .block = 5s}, asio::use_awaitable);
//   for (const redwire::StreamBatch& b : batches)
//     for (const redwire::StreamEntry& e : b.entries) use(e.id, e.field("orderId"));
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/command.hpp"
#include "redwire/convert.hpp"

namespace redwire {

// ------------------------------------------------------------------ replies

/// One stream entry: its ID and its field/value pairs in the order they were added.
struct StreamEntry {
  std::string id{};
  std::vector<std::pair<std::string, std::string>> fields{};
  /// Read back from a consumer's pending list after XDEL removed it from the stream: only the
  /// ID is left (XREADGROUP with an ID other than '>').
  bool deleted = false;

  /// The value of the first field called `name`, if there is one.
  std::optional<std::string_view> field(std::string_view name) const noexcept;
  bool operator==(const StreamEntry&) const = default;
};

/// The entries read from one stream (XREAD, XREADGROUP).
struct StreamBatch {
  std::string stream{};
  std::vector<StreamEntry> entries{};
  bool operator==(const StreamBatch&) const = default;
};

/// XPENDING key group — the summary form.
struct PendingSummary {
  long long count = 0;
  std::optional<std::string> smallest_id{};  ///< empty when nothing is pending
  std::optional<std::string> greatest_id{};
  /// Consumers with at least one pending entry, and how many each holds.
  std::vector<std::pair<std::string, long long>> consumers{};
};

/// One row of XPENDING key group [IDLE ms] start end count [consumer].
struct PendingEntry {
  std::string id{};
  std::string consumer{};
  std::chrono::milliseconds idle{0};  ///< since it was last delivered
  long long deliveries = 0;           ///< times it was delivered (read, claimed)
};

/// XAUTOCLAIM's reply.
struct AutoClaimResult {
  std::string next_start{};  ///< "0-0" when the scan wrapped around
  std::vector<StreamEntry> entries{};
  /// Pending IDs whose entries no longer exist (removed from the pending list; Redis 7+).
  std::vector<std::string> deleted_ids{};
};

/// XINFO STREAM key
struct StreamInfo {
  long long length = 0;
  long long radix_tree_keys = 0;
  long long radix_tree_nodes = 0;
  long long groups = 0;
  std::string last_generated_id{};
  std::optional<std::string> max_deleted_entry_id{};  ///< Redis 7+
  std::optional<long long> entries_added{};           ///< Redis 7+
  std::optional<StreamEntry> first_entry{};
  std::optional<StreamEntry> last_entry{};
};

/// One group of XINFO GROUPS key
struct StreamGroupInfo {
  std::string name{};
  long long consumers = 0;
  long long pending = 0;
  std::string last_delivered_id{};
  std::optional<long long> entries_read{};  ///< Redis 7+; nil when unknown
  std::optional<long long> lag{};           ///< Redis 7+; nil when unknown
};

/// One consumer of XINFO CONSUMERS key group
struct StreamConsumerInfo {
  std::string name{};
  long long pending = 0;
  std::chrono::milliseconds idle{0};                    ///< since its last attempted interaction
  std::optional<std::chrono::milliseconds> inactive{};  ///< Redis 7.2+: since its last success
};

/// xgroup_create_if_missing(): true when the group was created, false when it existed already
/// (the server said BUSYGROUP). Other errors stay errors.
struct GroupCreated {
  bool created = false;
  operator bool() const noexcept { return created; }  // NOLINT: implicit by design
};

// ------------------------------------------------------------------ options

/// Trimming for XADD and XTRIM: exactly one of maxlen / minid.
///   {.maxlen = 1000}                        MAXLEN 1000
///   {.maxlen = 1000, .approximate = true}   MAXLEN ~ 1000 (cheaper: whole macro nodes)
///   {.minid = "1700000000000-0"}            MINID 1700000000000-0
struct StreamTrim {
  using redwire_option = void;
  std::optional<long long> maxlen{};
  std::optional<std::string> minid{};
  bool approximate = false;
  std::optional<long long> limit{};  ///< LIMIT n (only with approximate)
  bool empty() const noexcept { return !maxlen && !minid; }
};

/// XADD options: an explicit ID, NOMKSTREAM and trimming.
struct XAddOptions {
  using redwire_option = void;
  std::string id = "*";
  bool nomkstream = false;  ///< do not create a missing stream (XADD then replies nil)
  StreamTrim trim{};
};

/// XREAD options. `block`: wait up to this long for data (0 = forever); the command timeout, if
/// any, counts from the end of this window.
struct XReadOptions {
  using redwire_option = void;
  std::optional<long long> count{};
  std::optional<std::chrono::milliseconds> block{};
};

/// XREADGROUP options; NOACK skips the pending list (the entries count as acknowledged).
struct XReadGroupOptions {
  using redwire_option = void;
  std::optional<long long> count{};
  std::optional<std::chrono::milliseconds> block{};
  bool noack = false;
};

/// XGROUP CREATE options.
struct XGroupCreateOptions {
  using redwire_option = void;
  bool mkstream = false;                    ///< create the stream when it does not exist
  std::optional<long long> entries_read{};  ///< ENTRIESREAD (Redis 7+)
};

/// XPENDING's extended form: the pending entries between start and end.
struct XPendingRange {
  using redwire_option = void;
  std::string start = "-";
  std::string end = "+";
  long long count = 100;
  std::optional<std::chrono::milliseconds> min_idle{};  ///< IDLE ms
  std::string consumer{};                               ///< only this consumer's entries
};

/// XCLAIM options.
struct XClaimOptions {
  using redwire_option = void;
  std::optional<std::chrono::milliseconds> idle{};  ///< set the idle time instead of resetting it
  std::optional<long long> retrycount{};            ///< set the delivery count
  bool force = false;  ///< create the pending entry even if no consumer holds it
};

/// Streams and the ID to read each one after: {{"stream:a", "0"}, {"stream:b", "$"}}.
using StreamOffsets = std::vector<std::pair<std::string_view, std::string_view>>;

// ------------------------------------------------------------------ conversions

template <>
struct FromReply<StreamEntry> {
  static std::error_code convert(ReplyView v, StreamEntry& out, std::string& detail);
};
/// XREAD/XREADGROUP: RESP3 maps and RESP2 arrays of [stream, entries]; nil (BLOCK timed out)
/// is an empty list.
template <>
struct FromReply<std::vector<StreamBatch>> {
  static std::error_code convert(ReplyView v, std::vector<StreamBatch>& out, std::string& detail);
};
template <>
struct FromReply<PendingSummary> {
  static std::error_code convert(ReplyView v, PendingSummary& out, std::string& detail);
};
template <>
struct FromReply<PendingEntry> {
  static std::error_code convert(ReplyView v, PendingEntry& out, std::string& detail);
};
template <>
struct FromReply<AutoClaimResult> {
  static std::error_code convert(ReplyView v, AutoClaimResult& out, std::string& detail);
};
template <>
struct FromReply<StreamInfo> {
  static std::error_code convert(ReplyView v, StreamInfo& out, std::string& detail);
};
template <>
struct FromReply<StreamGroupInfo> {
  static std::error_code convert(ReplyView v, StreamGroupInfo& out, std::string& detail);
};
template <>
struct FromReply<StreamConsumerInfo> {
  static std::error_code convert(ReplyView v, StreamConsumerInfo& out, std::string& detail);
};
/// OK -> created; a BUSYGROUP error reply -> not created; any other error stays an error.
template <>
struct FromReply<GroupCreated> {
  static std::error_code convert(ReplyView v, GroupCreated& out, std::string& detail);
};
namespace detail {
// GroupCreated turns one server error (BUSYGROUP) into a value, so it sees error replies.
template <>
inline constexpr bool accepts_errors<GroupCreated> = true;
}  // namespace detail

// ------------------------------------------------------------------ command builders

namespace detail {
// Each validates its options (a conflict yields Command::invalid) and encodes the command.
Command xadd_command(std::string_view key, const FieldValues& fields, const XAddOptions& opts);
Command xtrim_command(std::string_view key, const StreamTrim& trim);
Command xread_command(const StreamOffsets& streams, const XReadOptions& opts);
Command xreadgroup_command(std::string_view group, std::string_view consumer,
                           const StreamOffsets& streams, const XReadGroupOptions& opts);
Command xgroup_create_command(std::string_view key, std::string_view group, std::string_view id,
                              const XGroupCreateOptions& opts);
Command xpending_command(std::string_view key, std::string_view group, const XPendingRange& range);
Command xclaim_command(std::string_view key, std::string_view group, std::string_view consumer,
                       std::chrono::milliseconds min_idle, const StringList& ids,
                       const XClaimOptions& opts);
}  // namespace detail

}  // namespace redwire
