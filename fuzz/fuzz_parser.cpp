// Differential fuzz target for the RESP parser.
//
// Every input is parsed three ways - in one feed() call, one byte per call, and cut into random
// chunks derived from the input - under the default limits and under tight ones. All runs must
// agree on the node sequence (type, depth, size, value, reply_done), the error code, the error
// detail and the bytes consumed. The one-shot nodes also go through ReplyBuilder; each reply is
// walked, copied, rendered with to_string() and converted to a few C++ types.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "redwire/convert.hpp"
#include "redwire/resp/parser.hpp"
#include "redwire/resp/reply.hpp"

namespace {

using redwire::resp::Limits;
using redwire::resp::Node;
using redwire::resp::Parser;
using redwire::resp::Type;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_parser: %s\n", what);
  std::abort();
}

struct SeenNode {
  Type type;
  std::uint32_t depth;
  std::uint64_t size;
  std::string value;
  bool reply_done;
  bool operator==(const SeenNode&) const = default;
};

struct Run {
  std::vector<SeenNode> nodes;
  std::error_code ec;
  std::string detail;
  std::size_t consumed = 0;
  bool operator==(const Run&) const = default;
};

// Deterministic chunk sizes from the input itself, so a crash reproduces from its file alone.
class SplitMix {
 public:
  explicit SplitMix(std::string_view seed) {
    for (unsigned char c : seed) state_ = (state_ ^ c) * 0x100000001b3ull;  // FNV-1a
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ull;
};

enum class Mode { one_shot, byte_by_byte, random_split };

// Feeds `input` in chunks, keeping unconsumed bytes buffered as a connection's reader does.
Run parse(std::string_view input, const Limits& limits, Mode mode) {
  Parser parser(limits);
  Run run;
  std::string buffer;
  SplitMix rng(input);
  std::size_t pos = 0;
  while (pos < input.size() && !run.ec) {
    std::size_t n = input.size() - pos;
    if (mode == Mode::byte_by_byte) n = 1;
    if (mode == Mode::random_split) {
      const std::uint64_t r = rng.next();
      const std::size_t want = (r & 7) == 0 ? r % 512 : r % 17;  // mostly small, sometimes 0
      if (want < n) n = want;
    }
    buffer.append(input.substr(pos, n));
    pos += n;
    const std::size_t used = parser.feed(
        buffer,
        [&](const Node& node, bool done) {
          run.nodes.push_back({node.type, node.depth, node.size, std::string(node.value), done});
        },
        run.ec);
    if (used > buffer.size()) fail("feed() consumed more than it was given");
    buffer.erase(0, used);
    run.consumed += used;
  }
  if (!run.ec && parser.offset() != run.consumed) fail("offset() differs from bytes consumed");
  if (run.ec && run.ec.category() != redwire::protocol_category()) fail("non-protocol error");
  if (run.ec && run.detail.empty()) run.detail = parser.error_detail();
  if (run.ec && run.detail.find("protocol error at byte ") != 0) fail("detail without offset");
  return run;
}

std::size_t walk(redwire::ReplyView v) {
  std::size_t n = 1;
  std::size_t children = 0;
  for (redwire::ReplyView child : v) {
    n += walk(child);
    ++children;
  }
  if (children != v.child_count()) fail("child_count() differs from the children walked");
  return n;
}

void exercise_reply(const redwire::Reply& reply, std::size_t kept_nodes) {
  if (reply.node_count() != kept_nodes) fail("ReplyBuilder kept a different number of nodes");
  if (walk(reply.view()) != reply.node_count()) fail("walk differs from node_count()");
  const std::string text = reply.to_string();
  if (redwire::Reply::copy_of(reply.view()).to_string() != text) fail("copy renders differently");
  std::string detail;
  redwire::Reply copy;
  std::vector<std::optional<std::string>> strings;
  std::map<std::string, std::string> map;
  std::vector<std::pair<std::string, double>> scored;
  redwire::Result<long long> number;
  double d = 0;
  bool b = false;
  (void)redwire::from_reply(reply.view(), copy, &detail);
  (void)redwire::from_reply(reply.view(), strings, &detail);
  (void)redwire::from_reply(reply.view(), map, &detail);
  (void)redwire::from_reply(reply.view(), scored, &detail);
  (void)redwire::from_reply(reply.view(), number, &detail);
  (void)redwire::from_reply(reply.view(), d, &detail);
  (void)redwire::from_reply(reply.view(), b, &detail);
}

// Rebuilds the one-shot nodes into Replies, cross-checking depth and reply boundaries against an
// independent model of the aggregate stack (attributes do not count as elements or replies).
void build_replies(const Run& run) {
  struct Frame {
    std::uint64_t remaining;
    bool skip;       // inside an attribute
    bool attribute;  // the frame is an attribute
  };
  std::vector<Frame> stack;
  redwire::resp::ReplyBuilder builder;
  std::size_t kept = 0;
  for (const SeenNode& n : run.nodes) {
    if (n.depth != stack.size()) fail("node depth differs from the aggregate stack");
    const bool skip = n.type == Type::attribute || (!stack.empty() && stack.back().skip);
    kept += skip ? 0 : 1;
    builder.add(Node{n.type, n.depth, n.size, n.value});
    const Node node{n.type, n.depth, n.size, {}};
    bool done = false;
    if (redwire::resp::is_aggregate(n.type) && n.size > 0) {
      stack.push_back({node.child_count(), skip, n.type == Type::attribute});
    } else {
      bool attribute = n.type == Type::attribute;
      for (;;) {
        if (attribute) break;
        if (stack.empty()) {
          done = true;
          break;
        }
        if (--stack.back().remaining > 0) break;
        attribute = stack.back().attribute;
        stack.pop_back();
      }
    }
    if (done != n.reply_done) fail("reply_done differs from the aggregate stack");
    if (done) {
      exercise_reply(builder.take(), kept);
      kept = 0;
    }
  }
}

void check(std::string_view input, const Limits& limits) {
  const Run one = parse(input, limits, Mode::one_shot);
  if (parse(input, limits, Mode::byte_by_byte) != one) fail("byte-by-byte differs from one-shot");
  if (parse(input, limits, Mode::random_split) != one) fail("random split differs from one-shot");
  build_replies(one);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input, Limits{});
  Limits tight;
  tight.max_depth = 3;
  tight.max_aggregate = 5;
  tight.max_bulk = 16;
  tight.max_line = 12;
  check(input, tight);
  return 0;
}
