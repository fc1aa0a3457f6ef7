// The HTTP side of the example service, on cpp-httplib: the routes of the guide's Express app
// (../shared/seed/, "Express Middleware: Rate Limiting", "Cache-Aside Wrapper", "Streams").
//
//   every route but /health   rate limit per client address: 429 + Retry-After when over it;
//                             fails open when Redis is down (as the guide's middleware does)
//   GET  /users/:id           profile, cache-aside over UsersDb (1 h TTL, stampede lock,
//                             "not found" cached for a minute, the database when Redis is down)
//   POST /orders              {"orderId": "o-123", "amount": "49.99"} -> XADD stream:orders,
//                             202 {"id": "<entry id>"}; 503 when Redis cannot take it
//   GET  /orders/:orderId     what the workers recorded, or 404 while not processed
//   GET  /stats               cache, database, rate limiter and worker counters; order totals
//   GET  /health              PING: 200 or 503
#pragma once

#include <chrono>
#include <string>

#include <httplib.h>
#include <redwire/patterns/cache.hpp>
#include <redwire/patterns/rate_limit.hpp>
#include <redwire/redwire.hpp>

#include "order_workers.hpp"
#include "users_db.hpp"

namespace service {

struct ApiOptions {
  /// The client address is the first X-Forwarded-For entry (set it only behind a proxy that
  /// overwrites the header; otherwise clients choose their own identity).
  bool trust_proxy = false;
  std::chrono::seconds profile_ttl{3600};
  std::string orders_stream = "stream:orders";
};

/// What the routes use; all of it outlives the server.
struct Services {
  redwire::SyncClient& redis;
  redwire::patterns::Cache& profiles;
  redwire::patterns::RateLimiter& limiter;
  UsersDb& db;
  OrderWorkers& workers;
  ApiOptions options;
};

/// Installs the middleware and the routes on `server`.
void install_routes(httplib::Server& server, Services& services);

}  // namespace service
