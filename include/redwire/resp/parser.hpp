// Incremental, zero-copy RESP2/RESP3 parser. It knows nothing about sockets: feed it bytes,
// it calls a sink once per complete node and tells how many bytes it consumed. Bytes of an
// incomplete node are left unconsumed; feed them again, with more, on the next call.
//
//   resp::Parser p;
//   std::size_t used = p.feed(buffer, [&](const resp::Node& n, bool reply_done) { ... }, ec);
//   buffer.erase(0, used);
//
// Splitting the input anywhere (down to one byte per call) yields the same nodes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "redwire/error.hpp"
#include "redwire/resp/type.hpp"

namespace redwire::resp {

/// Bounds that protect the client from a hostile or broken peer.
struct Limits {
  std::uint32_t max_depth = 512;                  ///< nested aggregates
  std::uint64_t max_aggregate = 0xFFFF'FFFFull;   ///< elements (or pairs) per aggregate
  std::uint64_t max_bulk = 512ull * 1024 * 1024;  ///< bytes of one bulk/verbatim/blob error
  std::uint64_t max_line = 64ull * 1024 * 1024;   ///< bytes of a simple line (+, -, :, ...)
};

class Parser {
 public:
  explicit Parser(Limits limits = {}) : limits_(limits) {}

  /// Parses complete nodes from `data`, calling `sink(const Node&, bool reply_done)` for each.
  /// `reply_done` is true on the node that completes a top-level message. Returns the bytes
  /// consumed. On malformed input sets `ec` (a protocol_errc), records a description with the
  /// stream offset (error_detail()) and stops; the parser must then be reset() (the link closed).
  template <class Sink>
  std::size_t feed(std::string_view data, Sink&& sink, std::error_code& ec) {
    std::size_t pos = 0;
    Node node;
    while (pos < data.size()) {
      const std::size_t used = parse_one(data.substr(pos), node, ec);
      if (ec || used == 0) break;
      const bool done = advance(node);
      sink(static_cast<const Node&>(node), done);
      pos += used;
      offset_ += used;
    }
    return pos;
  }

  /// True when no message is partially parsed.
  bool at_boundary() const noexcept { return stack_.empty(); }
  /// Describes the last error: what was expected, at which byte of the stream.
  const std::string& error_detail() const noexcept { return error_detail_; }
  /// Bytes consumed since construction or the last reset().
  std::uint64_t offset() const noexcept { return offset_; }
  const Limits& limits() const noexcept { return limits_; }
  void reset() noexcept;

 private:
  struct Frame {
    std::uint64_t remaining;
    bool attribute;
  };

  // Parses one node at the start of `in`. Returns bytes used, or 0 when more input is needed
  // (or on error, with ec set). Does not touch the aggregate stack.
  std::size_t parse_one(std::string_view in, Node& node, std::error_code& ec);
  // Updates the aggregate stack after a node; returns true when a top-level message is complete.
  bool advance(Node& node);
  std::size_t fail(std::error_code& ec, protocol_errc e, std::uint64_t at, std::string_view what);

  Limits limits_;
  std::vector<Frame> stack_;
  std::uint64_t offset_ = 0;
  std::string error_detail_;
};

}  // namespace redwire::resp
