#include "redwire/cluster/reply_merge.hpp"

#include <charconv>
#include <string>

namespace redwire::cluster {
namespace {

Reply error_reply(std::string text) {
  return Reply::simple(resp::Type::simple_error, text);
}

Reply shape_error(std::size_t part, const Reply& r, std::string_view expected) {
  return error_reply("ERR redwire: part " + std::to_string(part) + " of a split command answered " +
                     std::string(resp::type_name(r.type())) + ", expected " +
                     std::string(expected));
}

bool is_list(const Reply& r) {
  return r.type() == resp::Type::array || r.type() == resp::Type::set;
}

}  // namespace

void append_subtree(resp::ReplyBuilder& builder, ReplyView v) {
  resp::Node node;
  node.type = v.type();
  node.size = v.size();
  node.value = v.is_aggregate() ? std::string_view{} : v.value();
  builder.add(node);
  if (v.is_aggregate()) {
    for (ReplyView child : v) append_subtree(builder, child);
  }
}

Reply merge_replies(MergeKind kind, std::span<const Reply> parts,
                    std::span<const std::vector<std::size_t>> positions, std::size_t total) {
  for (const auto& p : parts) {
    if (p.is_error()) return p;
  }
  if (parts.empty()) return error_reply("ERR redwire: nothing to merge");
  resp::ReplyBuilder builder;
  switch (kind) {
    case MergeKind::all_ok:
      return parts.front();
    case MergeKind::sum: {
      long long sum = 0;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        long long n = 0;
        const std::string_view text = parts[i].value();
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (parts[i].type() != resp::Type::integer || ec != std::errc{} ||
            end != text.data() + text.size()) {
          return shape_error(i, parts[i], "an integer");
        }
        sum += n;
      }
      const std::string text = std::to_string(sum);
      return Reply::simple(resp::Type::integer, text);
    }
    case MergeKind::concat: {
      std::uint64_t count = 0;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!is_list(parts[i])) return shape_error(i, parts[i], "an array");
        count += parts[i].view().size();
      }
      builder.add(resp::Node{resp::Type::array, 0, count, {}});
      for (const auto& p : parts) {
        for (ReplyView e : p.view()) append_subtree(builder, e);
      }
      return builder.take();
    }
    case MergeKind::mget: {
      if (positions.size() != parts.size())
        return error_reply("ERR redwire: merge positions do not match the parts");
      std::vector<ReplyView> slots(total);
      std::vector<bool> filled(total, false);
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!is_list(parts[i]) || parts[i].view().size() != positions[i].size()) {
          return shape_error(i, parts[i], "an array of " + std::to_string(positions[i].size()));
        }
        std::size_t j = 0;
        for (ReplyView e : parts[i].view()) {
          const std::size_t at = positions[i][j++];
          if (at >= total) return error_reply("ERR redwire: merge position out of range");
          slots[at] = e;
          filled[at] = true;
        }
      }
      builder.add(resp::Node{resp::Type::array, 0, total, {}});
      for (std::size_t k = 0; k < total; ++k) {
        if (!filled[k]) return error_reply("ERR redwire: a merged position got no value");
        append_subtree(builder, slots[k]);
      }
      return builder.take();
    }
  }
  return error_reply("ERR redwire: unknown merge");
}

}  // namespace redwire::cluster
