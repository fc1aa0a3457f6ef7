// The order workers: consumers of the group "order-workers" on "stream:orders" (the guide's
// Streams section), each a redwire::StreamWorker. An order's effect is applied by one Lua
// script that first marks the order processed (HSETNX), so an entry delivered twice (a worker
// died before its XACK and another claimed it) is counted once. An entry without a usable
// orderId or amount fails, is retried, and after max_deliveries goes to "stream:orders:dead".
//
// Keys: order:<orderId> (hash: status, amount_cents, entry, worker), orders:count and
// orders:revenue_cents (integers: money in cents, never floating point).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <redwire/redwire.hpp>
#include <redwire/stream_worker.hpp>

namespace service {

struct OrderWorkersOptions {
  std::string stream = "stream:orders";
  std::string group = "order-workers";
  std::size_t workers = 2;
  /// Consumers are "<prefix>-1" ... "<prefix>-N": a restarted service picks up its own pending
  /// entries under the same names.
  std::string consumer_prefix = "worker";
  std::chrono::milliseconds claim_min_idle = std::chrono::seconds(30);
  std::chrono::milliseconds claim_interval = std::chrono::seconds(5);
  long long max_deliveries = 3;
};

/// Parses "49.99", "50", "0.5" into cents; nullopt for anything else (negative, more than two
/// decimals, not a number, absurdly large).
std::optional<long long> parse_cents(std::string_view amount);
/// An order id is 1-64 characters of [A-Za-z0-9_-].
bool valid_order_id(std::string_view id);

class OrderWorkers {
 public:
  /// `client` must outlive the workers; its io thread runs them (SyncClient::async()).
  OrderWorkers(redwire::Client& client, OrderWorkersOptions options);
  /// Stops the workers and waits for them.
  ~OrderWorkers();
  OrderWorkers(const OrderWorkers&) = delete;
  OrderWorkers& operator=(const OrderWorkers&) = delete;

  void start();
  /// Graceful stop: no new reads; waits until the running handlers have acknowledged.
  void stop();
  /// Per worker: acknowledged, failed, dead_lettered, claimed, in_flight.
  nlohmann::json stats() const;

 private:
  struct Running;
  redwire::Client& client_;
  OrderWorkersOptions options_;
  std::vector<std::unique_ptr<Running>> running_;
};

}  // namespace service
