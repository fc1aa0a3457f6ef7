// Helpers shared by the protocol-layer unit tests: run the parser over a byte string cut into
// chunks the way a socket would deliver it, and build Replies from canned bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "redwire/resp/parser.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire::test {

/// One node as the sink saw it, with its value copied out of the parser's buffer.
struct SeenNode {
  resp::Type type{};
  std::uint32_t depth = 0;
  std::uint64_t size = 0;
  std::string value;
  bool reply_done = false;

  bool operator==(const SeenNode&) const = default;
  friend std::ostream& operator<<(std::ostream& os, const SeenNode& n) {
    return os << '{' << resp::type_name(n.type) << " depth=" << n.depth << " size=" << n.size
              << " value='" << n.value << "' done=" << n.reply_done << '}';
  }
};

/// Everything observable about one run of the parser over an input.
struct ParseRun {
  std::vector<SeenNode> nodes;
  std::error_code ec;
  std::string detail;
  std::size_t consumed = 0;  ///< bytes consumed in total
  std::size_t leftover = 0;  ///< bytes not consumed (an incomplete node, or from an error on)

  bool operator==(const ParseRun&) const = default;
};

/// Feeds `input` cut at the given chunk sizes (the rest in one final chunk), keeping unconsumed
/// bytes in a buffer and appending the next chunk to them, as a connection's reader does.
inline ParseRun parse_chunked(std::string_view input, const std::vector<std::size_t>& chunks,
                              resp::Limits limits = {}) {
  resp::Parser parser(limits);
  ParseRun run;
  std::string buffer;
  std::size_t pos = 0;
  auto step = [&](std::size_t n) {
    buffer.append(input.substr(pos, n));
    pos += n;
    const std::size_t used = parser.feed(
        buffer,
        [&](const resp::Node& node, bool done) {
          run.nodes.push_back({node.type, node.depth, node.size, std::string(node.value), done});
        },
        run.ec);
    buffer.erase(0, used);
    run.consumed += used;
  };
  for (std::size_t n : chunks) {
    if (pos >= input.size() || run.ec) break;
    step(n < input.size() - pos ? n : input.size() - pos);
  }
  if (pos < input.size() && !run.ec) step(input.size() - pos);
  run.detail = parser.error_detail();
  run.leftover = input.size() - run.consumed;
  return run;
}

inline ParseRun parse_one_shot(std::string_view input, resp::Limits limits = {}) {
  return parse_chunked(input, {}, limits);
}

inline ParseRun parse_byte_by_byte(std::string_view input, resp::Limits limits = {}) {
  return parse_chunked(input, std::vector<std::size_t>(input.size(), 1), limits);
}

/// Parses `bytes` and returns every complete reply built by ReplyBuilder (attributes skipped).
inline std::vector<resp::Reply> replies_of(std::string_view bytes) {
  resp::Parser parser;
  resp::ReplyBuilder builder;
  std::vector<resp::Reply> out;
  std::error_code ec;
  parser.feed(
      bytes,
      [&](const resp::Node& node, bool done) {
        builder.add(node);
        if (done) out.push_back(builder.take());
      },
      ec);
  return out;
}

/// The first reply in `bytes` (an empty Reply if there is none).
inline resp::Reply reply_of(std::string_view bytes) {
  auto all = replies_of(bytes);
  return all.empty() ? resp::Reply{} : std::move(all.front());
}

}  // namespace redwire::test
