#include "redwire/streams.hpp"

#include <string>

namespace redwire {
namespace {

using resp::Type;

// Walks a RESP3 map or a RESP2 flat array of field/value pairs, calling f(name, value).
template <class F>
std::error_code for_each_field(ReplyView v, std::string& detail, F&& f) {
  return detail::for_each_pair(v, detail, [&](ReplyView k, ReplyView val) {
    std::string_view name;
    if (auto ec = from_reply(k, name, &detail)) return ec;
    return f(name, val);
  });
}

std::error_code to_ms(ReplyView v, std::chrono::milliseconds& out, std::string& detail) {
  long long ms = 0;
  if (auto ec = from_reply(v, ms, &detail)) return ec;
  out = std::chrono::milliseconds(ms);
  return {};
}

}  // namespace

std::optional<std::string_view> StreamEntry::field(std::string_view name) const noexcept {
  for (const auto& [k, v] : fields) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::error_code FromReply<StreamEntry>::convert(ReplyView v, StreamEntry& out,
                                                std::string& detail) {
  out = StreamEntry{};
  if (v.is_null()) {  // an entry deleted while pending, in replies that do not keep its ID
    out.deleted = true;
    return {};
  }
  if (!v.is_aggregate() || v.child_count() != 2) {
    return detail::conversion_failure(v, "stream entry [id, [field, value, ...]]", detail);
  }
  if (auto ec = from_reply(v[0], out.id, &detail)) return ec;
  const ReplyView fields = v[1];
  if (fields.is_null()) {
    out.deleted = true;
    return {};
  }
  return from_reply(fields, out.fields, &detail);
}

std::error_code FromReply<std::vector<StreamBatch>>::convert(ReplyView v,
                                                             std::vector<StreamBatch>& out,
                                                             std::string& detail) {
  out.clear();
  if (v.is_null()) return {};  // BLOCK timed out
  auto add = [&](ReplyView name, ReplyView entries) {
    StreamBatch batch;
    if (auto ec = from_reply(name, batch.stream, &detail)) return ec;
    if (auto ec = from_reply(entries, batch.entries, &detail)) return ec;
    out.push_back(std::move(batch));
    return std::error_code{};
  };
  if (v.type() == Type::map) return detail::for_each_pair(v, detail, add);
  return detail::for_each_element(v, detail, [&](ReplyView pair) {
    if (!pair.is_aggregate() || pair.child_count() != 2) {
      return detail::conversion_failure(pair, "[stream, entries]", detail,
                                        conversion_errc::wrong_size);
    }
    return add(pair[0], pair[1]);
  });
}

std::error_code FromReply<PendingSummary>::convert(ReplyView v, PendingSummary& out,
                                                   std::string& detail) {
  out = PendingSummary{};
  if (!v.is_aggregate() || v.child_count() != 4) {
    return detail::conversion_failure(v, "XPENDING summary [count, min, max, consumers]", detail);
  }
  if (auto ec = from_reply(v[0], out.count, &detail)) return ec;
  if (auto ec = from_reply(v[1], out.smallest_id, &detail)) return ec;
  if (auto ec = from_reply(v[2], out.greatest_id, &detail)) return ec;
  if (v[3].is_null()) return {};
  return detail::for_each_element(v[3], detail, [&](ReplyView row) {
    std::pair<std::string, long long> consumer;
    if (auto ec = from_reply(row, consumer, &detail)) return ec;
    out.consumers.push_back(std::move(consumer));
    return std::error_code{};
  });
}

std::error_code FromReply<PendingEntry>::convert(ReplyView v, PendingEntry& out,
                                                 std::string& detail) {
  std::tuple<std::string, std::string, long long, long long> row;
  if (auto ec = from_reply(v, row, &detail)) return ec;
  out.id = std::move(std::get<0>(row));
  out.consumer = std::move(std::get<1>(row));
  out.idle = std::chrono::milliseconds(std::get<2>(row));
  out.deliveries = std::get<3>(row);
  return {};
}

std::error_code FromReply<AutoClaimResult>::convert(ReplyView v, AutoClaimResult& out,
                                                    std::string& detail) {
  out = AutoClaimResult{};
  if (!v.is_aggregate() || (v.child_count() != 2 && v.child_count() != 3)) {
    return detail::conversion_failure(v, "XAUTOCLAIM reply [next, entries, deleted]", detail);
  }
  if (auto ec = from_reply(v[0], out.next_start, &detail)) return ec;
  if (auto ec = from_reply(v[1], out.entries, &detail)) return ec;
  if (v.child_count() == 3) return from_reply(v[2], out.deleted_ids, &detail);
  return {};  // Redis 6.2 had no third element
}

std::error_code FromReply<StreamInfo>::convert(ReplyView v, StreamInfo& out, std::string& detail) {
  out = StreamInfo{};
  return for_each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "length") return from_reply(value, out.length, &detail);
    if (name == "radix-tree-keys") return from_reply(value, out.radix_tree_keys, &detail);
    if (name == "radix-tree-nodes") return from_reply(value, out.radix_tree_nodes, &detail);
    if (name == "groups") return from_reply(value, out.groups, &detail);
    if (name == "last-generated-id") return from_reply(value, out.last_generated_id, &detail);
    if (name == "max-deleted-entry-id") return from_reply(value, out.max_deleted_entry_id, &detail);
    if (name == "entries-added") return from_reply(value, out.entries_added, &detail);
    if (name == "first-entry") return from_reply(value, out.first_entry, &detail);
    if (name == "last-entry") return from_reply(value, out.last_entry, &detail);
    return {};  // fields of newer servers
  });
}

std::error_code FromReply<StreamGroupInfo>::convert(ReplyView v, StreamGroupInfo& out,
                                                    std::string& detail) {
  out = StreamGroupInfo{};
  return for_each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "name") return from_reply(value, out.name, &detail);
    if (name == "consumers") return from_reply(value, out.consumers, &detail);
    if (name == "pending") return from_reply(value, out.pending, &detail);
    if (name == "last-delivered-id") return from_reply(value, out.last_delivered_id, &detail);
    if (name == "entries-read") return from_reply(value, out.entries_read, &detail);
    if (name == "lag") return from_reply(value, out.lag, &detail);
    return {};
  });
}

std::error_code FromReply<StreamConsumerInfo>::convert(ReplyView v, StreamConsumerInfo& out,
                                                       std::string& detail) {
  out = StreamConsumerInfo{};
  return for_each_field(v, detail, [&](std::string_view name, ReplyView value) -> std::error_code {
    if (name == "name") return from_reply(value, out.name, &detail);
    if (name == "pending") return from_reply(value, out.pending, &detail);
    if (name == "idle") return to_ms(value, out.idle, detail);
    if (name == "inactive") {
      std::chrono::milliseconds inactive{0};
      if (auto ec = to_ms(value, inactive, detail)) return ec;
      out.inactive = inactive;
    }
    return {};
  });
}

std::error_code FromReply<GroupCreated>::convert(ReplyView v, GroupCreated& out,
                                                 std::string& detail) {
  if (v.is_error()) {
    if (classify_server_error(v.value()) == server_errc::busygroup) {
      out.created = false;
      return {};
    }
    return detail::server_failure(v, detail);
  }
  if (v.type() == Type::simple_string && v.value() == "OK") {
    out.created = true;
    return {};
  }
  return detail::conversion_failure(v, "OK or BUSYGROUP", detail);
}

// ------------------------------------------------------------------ command builders

namespace detail {
namespace {

Command invalid(std::string what) {
  return Command::invalid(make_error_code(errc::invalid_argument), std::move(what));
}

// Appends MAXLEN|MINID [=|~] threshold [LIMIT n]; false when the options conflict.
bool append_trim(std::vector<std::string>& args, const StreamTrim& trim, std::string& why) {
  if (trim.maxlen && trim.minid) {
    why = "give either maxlen or minid, not both";
    return false;
  }
  if (trim.limit && !trim.approximate) {
    why = "LIMIT needs approximate trimming (~)";
    return false;
  }
  if (trim.maxlen && *trim.maxlen < 0) {
    why = "maxlen must not be negative";
    return false;
  }
  if (trim.empty()) return true;
  args.emplace_back(trim.maxlen ? "MAXLEN" : "MINID");
  args.emplace_back(trim.approximate ? "~" : "=");
  args.push_back(trim.maxlen ? std::to_string(*trim.maxlen) : *trim.minid);
  if (trim.limit) {
    args.emplace_back("LIMIT");
    args.push_back(std::to_string(*trim.limit));
  }
  return true;
}

// COUNT / BLOCK shared by XREAD and XREADGROUP; BLOCK 0 waits forever.
Command& with_block(Command& cmd, const std::optional<std::chrono::milliseconds>& block) {
  if (block) {
    cmd.block_for(block->count() == 0 ? std::chrono::milliseconds(-1) : *block);
  }
  return cmd;
}

void append_read_args(std::vector<std::string>& args, const std::optional<long long>& count,
                      const std::optional<std::chrono::milliseconds>& block) {
  if (count) {
    args.emplace_back("COUNT");
    args.push_back(std::to_string(*count));
  }
  if (block) {
    args.emplace_back("BLOCK");
    args.push_back(std::to_string(block->count()));
  }
}

void append_streams(std::vector<std::string>& args, const StreamOffsets& streams) {
  args.emplace_back("STREAMS");
  for (const auto& s : streams) args.emplace_back(s.first);
  for (const auto& s : streams) args.emplace_back(s.second);
}

bool valid_read(const StreamOffsets& streams, const std::optional<long long>& count,
                const std::optional<std::chrono::milliseconds>& block, std::string& why) {
  if (streams.empty()) why = "at least one stream is needed";
  if (count && *count <= 0) why = "count must be positive";
  if (block && block->count() < 0) why = "block must not be negative";
  return why.empty();
}

}  // namespace

Command xadd_command(std::string_view key, const FieldValues& fields, const XAddOptions& opts) {
  if (fields.empty()) return invalid("XADD: at least one field is needed");
  std::vector<std::string> args;
  if (opts.nomkstream) args.emplace_back("NOMKSTREAM");
  std::string why;
  if (!append_trim(args, opts.trim, why)) return invalid("XADD: " + why);
  args.push_back(opts.id.empty() ? std::string("*") : opts.id);
  return Command("XADD", key, args, fields);
}

Command xtrim_command(std::string_view key, const StreamTrim& trim) {
  if (trim.empty()) return invalid("XTRIM: give maxlen or minid");
  std::vector<std::string> args;
  std::string why;
  if (!append_trim(args, trim, why)) return invalid("XTRIM: " + why);
  return Command("XTRIM", key, args);
}

Command xread_command(const StreamOffsets& streams, const XReadOptions& opts) {
  std::string why;
  if (!valid_read(streams, opts.count, opts.block, why)) return invalid("XREAD: " + why);
  std::vector<std::string> args;
  append_read_args(args, opts.count, opts.block);
  append_streams(args, streams);
  Command cmd("XREAD", args);
  return std::move(with_block(cmd, opts.block));
}

Command xreadgroup_command(std::string_view group, std::string_view consumer,
                           const StreamOffsets& streams, const XReadGroupOptions& opts) {
  std::string why;
  if (!valid_read(streams, opts.count, opts.block, why)) return invalid("XREADGROUP: " + why);
  std::vector<std::string> args;
  append_read_args(args, opts.count, opts.block);
  if (opts.noack) args.emplace_back("NOACK");
  append_streams(args, streams);
  Command cmd("XREADGROUP", "GROUP", group, consumer, args);
  return std::move(with_block(cmd, opts.block));
}

Command xgroup_create_command(std::string_view key, std::string_view group, std::string_view id,
                              const XGroupCreateOptions& opts) {
  std::vector<std::string> args;
  if (opts.mkstream) args.emplace_back("MKSTREAM");
  if (opts.entries_read) {
    args.emplace_back("ENTRIESREAD");
    args.push_back(std::to_string(*opts.entries_read));
  }
  return Command("XGROUP", "CREATE", key, group, id, args);
}

Command xpending_command(std::string_view key, std::string_view group, const XPendingRange& range) {
  if (range.count <= 0) return invalid("XPENDING: count must be positive");
  std::vector<std::string> args;
  if (range.min_idle) {
    args.emplace_back("IDLE");
    args.push_back(std::to_string(range.min_idle->count()));
  }
  args.push_back(range.start);
  args.push_back(range.end);
  args.push_back(std::to_string(range.count));
  if (!range.consumer.empty()) args.push_back(range.consumer);
  return Command("XPENDING", key, group, args);
}

Command xclaim_command(std::string_view key, std::string_view group, std::string_view consumer,
                       std::chrono::milliseconds min_idle, const StringList& ids,
                       const XClaimOptions& opts) {
  if (ids.empty()) return invalid("XCLAIM: at least one ID is needed");
  std::vector<std::string> args;
  if (opts.idle) {
    args.emplace_back("IDLE");
    args.push_back(std::to_string(opts.idle->count()));
  }
  if (opts.retrycount) {
    args.emplace_back("RETRYCOUNT");
    args.push_back(std::to_string(*opts.retrycount));
  }
  if (opts.force) args.emplace_back("FORCE");
  return Command("XCLAIM", key, group, consumer, min_idle.count(), ids, args);
}

}  // namespace detail

}  // namespace redwire
