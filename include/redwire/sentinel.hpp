// Sentinel-backed clients: the same redwire::Client / redwire::SyncClient (typed, generic,
// async, blocking), whose links find their node through Redis Sentinel and follow failovers.
// See docs/sentinel.md for guarantees and limits.
//
//   redwire::SentinelOptions so;
//   so.sentinels = {{"127.0.0.1", 26379}, {"127.0.0.1", 26380}};
//   so.master_name = "mymaster";
//   so.node.password = "secret";                              // the data node's password
//
//   asio::io_context io;
//   redwire::Client redis = redwire::sentinel_client(io, so);  // async, completion tokens
//   co_await redis.set("k", "v", asio::use_awaitable);
//
//   redwire::SyncClient r = redwire::sentinel_sync_client(      // blocking facade
//       redwire::SentinelOptions::from_url("redis+sentinel://127.0.0.1:26379/mymaster"));
//   r.incr("counter");
//
// Before every connect attempt the link asks the sentinels in turn (a stopped one costs at most
// sentinel_timeout), connects to the master (or a healthy replica) they name, and checks the
// node's ROLE in the handshake. A failover announced by any sentinel moves the links at once;
// READONLY from a demoted master (role master) makes the link re-discover and resend.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/io_context.hpp>

#include "redwire/client.hpp"
#include "redwire/sentinel/options.hpp"
#include "redwire/sync_client.hpp"

namespace redwire {

/// What a Sentinel-backed client is made of: the data node's options (with READONLY mapped to
/// reconnect_and_resend for role master) and the setup that steers each link. For clients
/// held by pointer:
///   auto s = redwire::sentinel_setup(so);
///   auto redis = std::make_unique<redwire::Client>(io.get_executor(), s.options, s.link_setup);
struct SentinelSetup {
  Options options;
  Client::LinkSetup link_setup;
};
/// Throws std::system_error(errc::invalid_argument) when the sentinel list or the master name
/// is empty, or node asks for a unix socket or TLS.
SentinelSetup sentinel_setup(SentinelOptions options);

/// A Client whose links (main and blocking pool) find their node through Sentinel.
Client sentinel_client(asio::any_io_executor executor, SentinelOptions options);
inline Client sentinel_client(asio::io_context& io, SentinelOptions options) {
  return sentinel_client(io.get_executor(), std::move(options));
}
/// The blocking facade over a Sentinel-backed Client (it owns its io thread).
SyncClient sentinel_sync_client(SentinelOptions options);

}  // namespace redwire
