// An owning reply: the nodes of one message in pre-order, stored flat (one vector of entries and
// one byte buffer), built node by node from the parser. ReplyView walks it without copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "redwire/error.hpp"
#include "redwire/resp/type.hpp"

namespace redwire::resp {

class Reply;

/// A non-owning cursor on one node of a Reply and its subtree.
class ReplyView {
 public:
  ReplyView() = default;
  ReplyView(const Reply* reply, std::uint32_t index) : reply_(reply), index_(index) {}

  Type type() const noexcept;
  /// Payload of a scalar (for verbatim strings, including the "txt:" prefix).
  std::string_view value() const noexcept;
  /// Elements of an aggregate (pairs for map and attribute); 0 for scalars.
  std::uint64_t size() const noexcept;
  /// Number of direct children (2 * size() for maps).
  std::size_t child_count() const noexcept;

  bool is_null() const noexcept { return type() == Type::null; }
  bool is_error() const noexcept { return resp::is_error(type()); }
  bool is_aggregate() const noexcept { return resp::is_aggregate(type()); }

  /// The i-th direct child (for maps: key0, value0, key1, value1, ...). Linear in i.
  ReplyView child(std::size_t i) const noexcept;
  ReplyView operator[](std::size_t i) const noexcept { return child(i); }

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ReplyView;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = ReplyView;

    iterator() = default;
    iterator(const Reply* r, std::uint32_t i) : reply_(r), index_(i) {}
    ReplyView operator*() const noexcept { return {reply_, index_}; }
    iterator& operator++() noexcept;
    iterator operator++(int) noexcept {
      auto copy = *this;
      ++*this;
      return copy;
    }
    bool operator==(const iterator& o) const noexcept { return index_ == o.index_; }

   private:
    const Reply* reply_ = nullptr;
    std::uint32_t index_ = 0;
  };
  /// Iterates the direct children.
  iterator begin() const noexcept;
  iterator end() const noexcept;

  /// A readable rendering (like redis-cli) for logs, tests and error messages.
  std::string to_string() const;

  const Reply* owner() const noexcept { return reply_; }
  std::uint32_t index() const noexcept { return index_; }

 private:
  const Reply* reply_ = nullptr;
  std::uint32_t index_ = 0;
};

/// One complete reply, owning its bytes. Attributes sent by the server are skipped.
class Reply {
 public:
  Reply() = default;

  bool empty() const noexcept { return entries_.empty(); }
  ReplyView view() const noexcept { return {this, 0}; }
  Type type() const noexcept { return view().type(); }
  bool is_error() const noexcept { return !empty() && view().is_error(); }
  bool is_null() const noexcept { return !empty() && view().is_null(); }
  std::string_view value() const noexcept { return view().value(); }
  std::size_t node_count() const noexcept { return entries_.size(); }
  std::string to_string() const { return empty() ? std::string("(empty)") : view().to_string(); }

  /// Copies the subtree under `v` into a new Reply.
  static Reply copy_of(ReplyView v);
  /// Convenience constructors (tests, fakes, synthesized replies).
  static Reply simple(Type type, std::string_view value);

 private:
  friend class ReplyView;
  friend class ReplyBuilder;

  struct Entry {
    Type type;
    std::uint32_t next;  // index of the entry after this subtree
    std::uint64_t size;
    std::size_t offset;
    std::size_t length;
  };

  std::vector<Entry> entries_;
  std::string data_;
};

/// Builds Replies from parser nodes. Feed every node of one message; take() when it is done.
class ReplyBuilder {
 public:
  void add(const Node& node);
  /// The reply built so far (complete once the parser said so); valid until clear()/take().
  const Reply& peek() const noexcept { return reply_; }
  Reply take();
  void clear() noexcept;

 private:
  struct Frame {
    std::uint32_t index;
    std::uint64_t remaining;
    bool skip;       // inside an attribute: nodes are dropped
    bool attribute;  // this frame is the attribute itself
  };
  Reply reply_;
  std::vector<Frame> frames_;
};

}  // namespace redwire::resp

namespace redwire {
using resp::Reply;
using resp::ReplyView;
}  // namespace redwire
