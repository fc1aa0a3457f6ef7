// Optimistic transactions for the blocking facade: WATCH the keys, read, queue the writes,
// EXEC; when another client changed a watched key in between, do it all again (bounded).
//
//   auto results = redwire::transaction(r, {"balance:alice"}, [](redwire::SyncWatch& w,
//                                                                redwire::SyncTransaction& tx) {
//     long long balance = std::stoll(w.get("balance:alice").value_or("0"));
//     tx.set("balance:alice", balance - 10);
//   });
//
// WATCH state belongs to a connection, so this runs on a leased link of its own (lease.hpp),
// never on the shared multiplexed one.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "redwire/lease.hpp"
#include "redwire/sync_client.hpp"
#include "redwire/sync_pipeline.hpp"

namespace redwire {

/// Blocking typed commands on a leased link.
class SyncWatch : public Commands<SyncWatch> {
 public:
  explicit SyncWatch(Lease& lease) : lease_(&lease) {}

  template <class T>
  T execute(Command cmd) {
    if (cmd.error()) throw_error(cmd.error(), cmd.error_detail());
    auto req = std::make_shared<detail::SyncRequest<T>>();
    lease_->client().submit_on(lease_->link(), std::move(cmd), req);
    if (auto ec = req->wait())
      throw_error(ec, req->detail().empty() ? ec.message() : req->detail());
    if constexpr (!std::is_void_v<T>) return std::move(req->value());
  }
  template <class T, class... Args>
  T command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }
  /// A transaction on this link (it sees this link's WATCHes).
  SyncTransaction multi() { return SyncTransaction(lease_->client(), lease_->link()); }

 private:
  Lease* lease_;
};

/// WATCH `keys`, run `fn(SyncWatch&, SyncTransaction&)` to read and queue writes, EXEC; retried
/// from the WATCH when a watched key changed, up to `max_attempts` times (then throws Error
/// with errc::transaction_aborted). Other failures throw as usual.
template <class Fn>
PipelineResults transaction(SyncClient& client, const StringList& keys, Fn&& fn,
                            int max_attempts = 16) {
  Lease lease(client.async());
  SyncWatch watch(lease);
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    watch.command<void>("WATCH", keys);
    SyncTransaction tx = watch.multi();
    fn(watch, tx);
    auto [ec, results] = tx.try_exec();
    if (!ec) return std::move(results);
    if (ec != errc::transaction_aborted) throw_error(ec, ec.message());
  }
  throw Error(make_error_code(errc::transaction_aborted),
              "gave up after " + std::to_string(max_attempts) +
                  " attempts: the WATCHed keys kept changing");
}

}  // namespace redwire
