// Iterating SCAN, HSCAN, SSCAN and ZSCAN without handling cursors.
//
// Blocking facade: an input range over one full iteration.
//   for (const std::string& key : redwire::scan(sync, {.match = "user:*", .count = 1000})) ...
//   for (auto& [field, value] : redwire::hscan(sync, "user:1001")) ...
//
// Coroutines (any completion token): a loop that calls `f` for each element; `f` returns
// void, or bool (false stops early). Completion: void(std::error_code).
//   co_await redwire::scan_each(redis, {.type = "hash"},
//                               [&](std::string_view key) { ++count; }, asio::use_awaitable);
// Or page by page: co_await redis.scan(cursor, opts, asio::use_awaitable) (redwire::ScanPage).
//
// What the server guarantees (https://redis.io/commands/scan): every element present from the
// start to the end of the iteration is returned; with a stable keyspace each exactly once.
// Elements added or removed meanwhile may or may not appear, and a key may repeat if the
// keyspace was resized during the iteration. MATCH filters after the fact, so pages may be
// empty; COUNT is a hint of work per call. Options::key_prefix does not apply to MATCH.
#pragma once

#include <asio/compose.hpp>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "redwire/client.hpp"
#include "redwire/scan_page.hpp"
#include "redwire/sync_client.hpp"

namespace redwire {

/// An input range over one full iteration; each page is fetched when the previous one is
/// used up. Fetch errors are thrown (redwire::Error) from begin() / operator++.
template <class Item>
class ScanRange {
 public:
  using Fetch = std::function<ScanPage<Item>(std::uint64_t cursor)>;

  explicit ScanRange(Fetch fetch) : fetch_(std::move(fetch)) {}

  class iterator {
   public:
    using iterator_concept = std::input_iterator_tag;
    using value_type = Item;
    using difference_type = std::ptrdiff_t;

    iterator() = default;
    Item& operator*() const { return range_->page_.items[range_->index_]; }
    Item* operator->() const { return &**this; }
    iterator& operator++() {
      range_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    bool at_end() const { return range_ == nullptr || range_->done_; }
    friend class ScanRange;
    explicit iterator(ScanRange* r) : range_(r) {}
    ScanRange* range_ = nullptr;
  };

  /// Starts the iteration (cursor 0). Call once.
  iterator begin() {
    load(0);
    return iterator(this);
  }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  // Fetches pages from `cursor` until one has elements or the iteration is over.
  void load(std::uint64_t cursor) {
    for (;;) {
      page_ = fetch_(cursor);
      index_ = 0;
      if (!page_.items.empty()) return;
      if (page_.cursor == 0) {
        done_ = true;
        return;
      }
      cursor = page_.cursor;
    }
  }
  void advance() {
    if (++index_ < page_.items.size()) return;
    if (page_.cursor == 0) {
      done_ = true;
      return;
    }
    load(page_.cursor);
  }

  Fetch fetch_;
  ScanPage<Item> page_;
  std::size_t index_ = 0;
  bool done_ = false;
};

/// SCAN over the whole keyspace of the client's database.
ScanRange<std::string> scan(SyncClient& client, ScanOptions opts = {});
/// HSCAN key: (field, value) pairs.
ScanRange<std::pair<std::string, std::string>> hscan(SyncClient& client, std::string key,
                                                     ScanOptions opts = {});
/// SSCAN key: members.
ScanRange<std::string> sscan(SyncClient& client, std::string key, ScanOptions opts = {});
/// ZSCAN key: members with their scores.
ScanRange<ScoredMember> zscan(SyncClient& client, std::string key, ScanOptions opts = {});

namespace detail {

// The composed operation behind scan_each and friends: fetch a page, hand its elements to f,
// fetch the next until the cursor is 0, f says stop or a fetch fails. `fetch` takes the
// handler by reference: it is moved (with this object, fetch included) only once the command
// has been encoded.
template <class Item, class Fetch, class F>
struct ScanLoop {
  Fetch fetch;
  F f;
  bool started = false;

  template <class Self>
  void operator()(Self& self, std::error_code ec = {}, ScanPage<Item> page = {}) {
    if (!started) {
      started = true;
      fetch(std::uint64_t{0}, std::move(self));
      return;
    }
    if (ec) return self.complete(ec);
    for (auto& item : page.items) {
      if constexpr (std::is_same_v<std::invoke_result_t<F&, Item&>, bool>) {
        if (!f(item)) return self.complete({});
      } else {
        f(item);
      }
    }
    if (page.cursor == 0) return self.complete({});
    fetch(page.cursor, std::move(self));
  }
};

template <class Item, class Fetch, class F, class Token>
auto scan_loop(Client& client, Fetch fetch, F f, Token&& token) {
  return asio::async_compose<Token, void(std::error_code)>(
      ScanLoop<Item, Fetch, F>{std::move(fetch), std::move(f)}, token, client.get_executor());
}

}  // namespace detail

/// SCAN: calls f(std::string&) for each key. Completion: void(std::error_code).
template <class F, class Token>
auto scan_each(Client& client, ScanOptions opts, F f, Token&& token) {
  auto fetch = [&client, opts = std::move(opts)](std::uint64_t cursor, auto&& handler) {
    client.scan(cursor, opts, std::forward<decltype(handler)>(handler));
  };
  return detail::scan_loop<std::string>(client, std::move(fetch), std::move(f),
                                        std::forward<Token>(token));
}
/// HSCAN key: calls f(std::pair<std::string, std::string>&) for each field.
template <class F, class Token>
auto hscan_each(Client& client, std::string key, ScanOptions opts, F f, Token&& token) {
  auto fetch = [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor,
                                                                       auto&& handler) {
    client.hscan(key, cursor, opts, std::forward<decltype(handler)>(handler));
  };
  return detail::scan_loop<std::pair<std::string, std::string>>(
      client, std::move(fetch), std::move(f), std::forward<Token>(token));
}
/// SSCAN key: calls f(std::string&) for each member.
template <class F, class Token>
auto sscan_each(Client& client, std::string key, ScanOptions opts, F f, Token&& token) {
  auto fetch = [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor,
                                                                       auto&& handler) {
    client.sscan(key, cursor, opts, std::forward<decltype(handler)>(handler));
  };
  return detail::scan_loop<std::string>(client, std::move(fetch), std::move(f),
                                        std::forward<Token>(token));
}
/// ZSCAN key: calls f(ScoredMember&) for each member.
template <class F, class Token>
auto zscan_each(Client& client, std::string key, ScanOptions opts, F f, Token&& token) {
  auto fetch = [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor,
                                                                       auto&& handler) {
    client.zscan(key, cursor, opts, std::forward<decltype(handler)>(handler));
  };
  return detail::scan_loop<ScoredMember>(client, std::move(fetch), std::move(f),
                                         std::forward<Token>(token));
}

}  // namespace redwire
