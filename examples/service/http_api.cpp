#include "http_api.hpp"

#include <atomic>
#include <cstdio>

namespace service {
namespace {

using nlohmann::json;

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

std::string client_address(const httplib::Request& req, const ApiOptions& options) {
  if (options.trust_proxy && req.has_header("X-Forwarded-For")) {
    std::string first = req.get_header_value("X-Forwarded-For");
    first = first.substr(0, first.find(','));
    const auto b = first.find_first_not_of(' ');
    const auto e = first.find_last_not_of(' ');
    if (b != std::string::npos) return first.substr(b, e - b + 1);
  }
  return req.remote_addr;
}

long long ceil_seconds(std::chrono::milliseconds ms) {
  return (ms.count() + 999) / 1000;
}

// Counters for /stats that the pattern helpers do not keep.
struct LimiterCounters {
  std::atomic<std::uint64_t> allowed{0}, limited{0}, failed_open{0};
};

void rate_limit_middleware(httplib::Server& server, Services& s,
                           std::shared_ptr<LimiterCounters> counters) {
  server.set_pre_routing_handler([&s, counters](const httplib::Request& req,
                                                httplib::Response& res) {
    if (req.path == "/health") return httplib::Server::HandlerResponse::Unhandled;
    const auto d = s.limiter.check(client_address(req, s.options));
    if (d.error) {  // Redis could not answer: the limiter failed open (RateLimitFailure::allow)
      ++counters->failed_open;
      std::fprintf(stderr, "rate limiter: %s; request let through\n", d.error.message().c_str());
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_header("RateLimit-Limit", std::to_string(d.limit));
    res.set_header("RateLimit-Remaining", std::to_string(d.remaining));
    res.set_header("RateLimit-Reset", std::to_string(ceil_seconds(d.reset_after)));
    if (d.allowed) {
      ++counters->allowed;
      return httplib::Server::HandlerResponse::Unhandled;
    }
    ++counters->limited;
    res.set_header("Retry-After", std::to_string(ceil_seconds(d.retry_after)));
    res.status = 429;
    res.set_content("Too Many Requests", "text/plain");
    return httplib::Server::HandlerResponse::Handled;
  });
}

void user_routes(httplib::Server& server, Services& s) {
  server.Get(R"(/users/(\d{1,15}))", [&s](const httplib::Request& req, httplib::Response& res) {
    const long long id = std::stoll(req.matches[1].str());
    const std::string key = "user:" + std::to_string(id) + ":profile";
    try {
      const std::optional<Profile> p = s.profiles.get_or_load<Profile>(
          key, s.options.profile_ttl, [&db = s.db, id] { return db.find(id); });
      if (!p) return send_json(res, 404, {{"error", "no such user"}});
      send_json(res, 200, *p);
    } catch (const std::exception& e) {
      send_json(res, 500, {{"error", e.what()}});
    }
  });
}

void order_routes(httplib::Server& server, Services& s) {
  server.Post("/orders", [&s](const httplib::Request& req, httplib::Response& res) {
    const json body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("orderId") || !body["orderId"].is_string() ||
        !body.contains("amount") || body["amount"].is_null()) {
      return send_json(res, 400, {{"error", "expected {\"orderId\": string, \"amount\": ...}"}});
    }
    const std::string order_id = body["orderId"].get<std::string>();
    // Like the guide's producer, the amount goes to the stream as given; the workers judge it
    // (an unusable amount ends in the dead-letter stream, with the reason).
    const std::string amount =
        body["amount"].is_string() ? body["amount"].get<std::string>() : body["amount"].dump();
    try {
      const redwire::FieldValues fields{{"orderId", order_id}, {"amount", amount}};
      const std::string entry = s.redis.xadd(s.options.orders_stream, fields);
      send_json(res, 202, {{"id", entry}, {"orderId", order_id}});
    } catch (const redwire::Error& e) {
      send_json(res, 503, {{"error", std::string("order not queued: ") + e.what()}});
    }
  });
  server.Get(R"(/orders/([A-Za-z0-9_-]{1,64}))",
             [&s](const httplib::Request& req, httplib::Response& res) {
               try {
                 const auto fields = s.redis.hgetall("order:" + req.matches[1].str());
                 if (fields.empty()) return send_json(res, 404, {{"status", "not processed"}});
                 json out(fields);
                 out["orderId"] = req.matches[1].str();
                 send_json(res, 200, out);
               } catch (const redwire::Error& e) {
                 send_json(res, 503, {{"error", e.what()}});
               }
             });
}

void stats_and_health_routes(httplib::Server& server, Services& s,
                             std::shared_ptr<LimiterCounters> counters) {
  server.Get("/stats", [&s, counters](const httplib::Request&, httplib::Response& res) {
    const auto c = s.profiles.stats();
    json out = {
        {"cache",
         {{"hits", c.hits},
          {"misses", c.misses},
          {"loads", c.loads},
          {"shared_loads", c.shared_loads},
          {"lock_waits", c.lock_waits},
          {"redis_errors", c.redis_errors}}},
        {"database", {{"loads", s.db.loads()}}},
        {"rate_limit",
         {{"allowed", counters->allowed.load()},
          {"limited", counters->limited.load()},
          {"failed_open", counters->failed_open.load()}}},
        {"workers", s.workers.stats()},
    };
    try {
      const auto count = s.redis.get("orders:count");
      const auto cents = s.redis.get("orders:revenue_cents");
      out["orders"] = {{"processed", count ? std::stoll(*count) : 0},
                       {"revenue_cents", cents ? std::stoll(*cents) : 0}};
    } catch (const redwire::Error& e) {
      out["orders"] = {{"error", e.what()}};
    }
    send_json(res, 200, out);
  });
  server.Get("/health", [&s](const httplib::Request&, httplib::Response& res) {
    try {
      s.redis.ping();
      send_json(res, 200, {{"redis", "up"}});
    } catch (const redwire::Error& e) {
      send_json(res, 503, {{"redis", "down"}, {"error", e.what()}});
    }
  });
}

}  // namespace

void install_routes(httplib::Server& server, Services& services) {
  auto counters = std::make_shared<LimiterCounters>();
  rate_limit_middleware(server, services, counters);
  user_routes(server, services);
  order_routes(server, services);
  stats_and_health_routes(server, services, counters);
}

}  // namespace service
