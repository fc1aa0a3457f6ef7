// A link of one's own, for connection state the shared multiplexed link cannot carry: WATCH
// (optimistic transactions), CLIENT REPLY, ... Typed commands run on it, and multi() builds a
// transaction on it. When the Lease ends, the link gets UNWATCH and returns to a small pool.
//
//   auto lease = redis.lease();
//   co_await lease.command<void>("WATCH", "balance:alice", asio::use_awaitable);
//   auto balance = co_await lease.get("balance:alice", asio::use_awaitable);
//   auto tx = lease.multi();
//   tx.set("balance:alice", std::stoll(*balance) - 10);
//   std::error_code ec;
//   auto results = co_await tx.exec(asio::redirect_error(asio::use_awaitable, ec));
//   // ec == redwire::errc::transaction_aborted: another client changed the key; try again.
//
// The blocking facade wraps all of this in SyncClient::transaction(keys, fn).
#pragma once

#include <memory>
#include <string_view>
#include <utility>

#include "redwire/client.hpp"
#include "redwire/pipeline.hpp"

namespace redwire {

class Lease : public Commands<Lease> {
 public:
  explicit Lease(Client& client) : client_(&client), link_(client.take_exclusive_link()) {}
  ~Lease() { release(); }
  Lease(Lease&& o) noexcept : client_(o.client_), link_(std::move(o.link_)) {}
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  template <class T, class Token>
  auto execute(Command cmd, Token&& token) {
    return asio::async_initiate<Token, typename detail::CompletionSignature<T>::type>(
        [this](auto handler, Command c) {
          client_->initiate_on<T>(link_, std::move(handler), std::move(c));
        },
        token, std::move(cmd));
  }
  template <class T, class... ArgsAndToken>
  auto command(std::string_view name, ArgsAndToken&&... args_and_token) {
    auto refs = std::forward_as_tuple(std::forward<ArgsAndToken>(args_and_token)...);
    constexpr std::size_t n = sizeof...(ArgsAndToken) - 1;
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return execute<T>(Command(name, std::get<I>(refs)...), std::get<n>(std::move(refs)));
    }
    (std::make_index_sequence<n>{});
  }
  /// MULTI ... EXEC on this link (it sees this link's WATCHes).
  Transaction multi() { return Transaction(*client_, link_); }

  /// The link itself (the blocking facade submits on it).
  const std::shared_ptr<detail::Connection>& link() const noexcept { return link_; }
  Client& client() const noexcept { return *client_; }

 private:
  void release() {
    if (!link_) return;
    // Whatever the holder left WATCHed is forgotten before the link serves someone else.
    struct Forget final : detail::Request {
      void on_reply(const Reply&) override {}
      void on_finish(std::error_code) override {}
    };
    auto unwatch = std::make_shared<Forget>();
    resp::append_command(unwatch->payload, "UNWATCH");
    client_->submit_prepared(unwatch, link_);
    client_->return_exclusive_link(std::move(link_));
  }

  Client* client_;
  std::shared_ptr<detail::Connection> link_;
};

inline Lease Client::lease() {
  return Lease(*this);
}

}  // namespace redwire
