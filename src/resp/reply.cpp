#include "redwire/resp/reply.hpp"

#include <cstdio>

namespace redwire::resp {

// A default ReplyView, or the view of an empty Reply, reads as a null without children instead
// of reading out of bounds.
Type ReplyView::type() const noexcept {
  if (reply_ == nullptr || index_ >= reply_->entries_.size()) return Type::null;
  return reply_->entries_[index_].type;
}

std::string_view ReplyView::value() const noexcept {
  if (reply_ == nullptr || index_ >= reply_->entries_.size()) return {};
  const auto& e = reply_->entries_[index_];
  return std::string_view(reply_->data_).substr(e.offset, e.length);
}

std::uint64_t ReplyView::size() const noexcept {
  if (reply_ == nullptr || index_ >= reply_->entries_.size()) return 0;
  return reply_->entries_[index_].size;
}

std::size_t ReplyView::child_count() const noexcept {
  if (reply_ == nullptr || index_ >= reply_->entries_.size()) return 0;
  const auto& e = reply_->entries_[index_];
  return static_cast<std::size_t>(is_map_like(e.type) ? 2 * e.size
                                                      : (resp::is_aggregate(e.type) ? e.size : 0));
}

ReplyView ReplyView::child(std::size_t i) const noexcept {
  std::uint32_t idx = index_ + 1;
  for (; i > 0; --i) idx = reply_->entries_[idx].next;
  return {reply_, idx};
}

ReplyView::iterator& ReplyView::iterator::operator++() noexcept {
  index_ = reply_->entries_[index_].next;
  return *this;
}

ReplyView::iterator ReplyView::begin() const noexcept {
  return {reply_, index_ + 1};
}
ReplyView::iterator ReplyView::end() const noexcept {
  if (reply_ == nullptr || index_ >= reply_->entries_.size()) return begin();
  return {reply_, reply_->entries_[index_].next};
}

namespace {

void render(ReplyView v, std::string& out, int indent) {
  auto quote = [&](std::string_view s) {
    out += '"';
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (u < 0x20 || u >= 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        out += buf;
      } else {
        out += c;
      }
    }
    out += '"';
  };
  switch (v.type()) {
    case Type::simple_string:
      out += v.value();
      return;
    case Type::simple_error:
    case Type::blob_error:
      out += "(error) ";
      out += v.value();
      return;
    case Type::integer:
      out += "(integer) ";
      out += v.value();
      return;
    case Type::double_type:
      out += "(double) ";
      out += v.value();
      return;
    case Type::big_number:
      out += "(big number) ";
      out += v.value();
      return;
    case Type::boolean:
      out += v.value() == "t" ? "(true)" : "(false)";
      return;
    case Type::null:
      out += "(nil)";
      return;
    case Type::bulk_string:
      quote(v.value());
      return;
    case Type::verbatim_string:
      quote(v.value().substr(4));
      return;
    default:
      break;
  }
  if (v.child_count() == 0) {
    out += v.type() == Type::map ? "(empty map)" : "(empty array)";
    return;
  }
  std::size_t n = 1;
  const bool map = is_map_like(v.type());
  bool key = true;
  for (auto child : v) {
    // The first child continues its parent's line ("1) 1) ..."), as redis-cli prints it.
    if (n > 1 && (!map || key)) {
      out += '\n';
      out.append(static_cast<std::size_t>(indent), ' ');
    }
    if (map) {
      if (key) {
        out += std::to_string((n + 1) / 2) + "# ";
        render(child, out, indent + 3);
        out += " => ";
      } else {
        render(child, out, indent + 3);
      }
      key = !key;
    } else {
      out += std::to_string(n) + ") ";
      render(child, out, indent + 3);
    }
    ++n;
  }
}

}  // namespace

std::string ReplyView::to_string() const {
  std::string out;
  render(*this, out, 0);
  return out;
}

Reply Reply::copy_of(ReplyView v) {
  Reply r;
  const Reply& src = *v.owner();
  const std::uint32_t first = v.index();
  const std::uint32_t last = src.entries_[first].next;
  r.entries_.reserve(last - first);
  for (std::uint32_t i = first; i < last; ++i) {
    Entry e = src.entries_[i];
    e.next -= first;
    const std::size_t old_offset = e.offset;
    e.offset = r.data_.size();
    r.data_.append(src.data_, old_offset, e.length);
    r.entries_.push_back(e);
  }
  return r;
}

Reply Reply::simple(Type type, std::string_view value) {
  Reply r;
  r.entries_.push_back(Entry{type, 1, 0, 0, value.size()});
  r.data_.assign(value);
  return r;
}

void ReplyBuilder::add(const Node& node) {
  const bool skip = node.type == Type::attribute || (!frames_.empty() && frames_.back().skip);
  std::uint32_t index = 0;
  auto& entries = reply_.entries_;
  if (!skip) {
    index = static_cast<std::uint32_t>(entries.size());
    // Filled in place: building a temporary Entry and copying it stalls on store forwarding
    // (the copy reads back 16-byte chunks of fields that were just written one by one).
    Reply::Entry& e = entries.emplace_back();
    e.type = node.type;
    e.size = node.size;
    e.offset = reply_.data_.size();
    e.length = node.value.size();
    if (!node.value.empty()) reply_.data_.append(node.value);
  }
  if (is_aggregate(node.type) && node.size > 0) {
    frames_.push_back(Frame{index, node.child_count(), skip, node.type == Type::attribute});
    return;
  }
  if (!skip) entries[index].next = static_cast<std::uint32_t>(entries.size());
  bool attribute = node.type == Type::attribute;
  while (!attribute && !frames_.empty()) {
    Frame& f = frames_.back();
    if (--f.remaining > 0) return;
    if (!f.skip) entries[f.index].next = static_cast<std::uint32_t>(entries.size());
    attribute = f.attribute;
    frames_.pop_back();
  }
}

Reply ReplyBuilder::take() {
  Reply out;
  if (reply_.data_.size() <= (64u << 10) && reply_.entries_.size() <= 4096) {
    // Small replies (nearly all): an exactly sized copy, so the builder keeps its grown buffers.
    // Moving them out would make the next reply regrow a vector and a string from nothing.
    // A one-node reply's bytes were appended in one go, so they are exactly sized already:
    // hand them over instead of copying (the next one-node reply allocates once either way).
    out.entries_.assign(reply_.entries_.begin(), reply_.entries_.end());
    if (reply_.entries_.size() == 1) {
      out.data_ = std::move(reply_.data_);
      reply_.data_.clear();
    } else {
      out.data_.assign(reply_.data_);
    }
    clear();
  } else {
    out = std::move(reply_);
    reply_ = Reply{};
    frames_.clear();
  }
  return out;
}

void ReplyBuilder::clear() noexcept {
  reply_.entries_.clear();
  // Keep the buffers for the next reply, unless a large reply left them big.
  if (reply_.data_.capacity() > (1u << 20)) {
    std::string().swap(reply_.data_);
  } else {
    reply_.data_.clear();
  }
  if (reply_.entries_.capacity() > 4096) std::vector<Reply::Entry>().swap(reply_.entries_);
  frames_.clear();
}

}  // namespace redwire::resp
