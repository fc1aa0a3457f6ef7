// Rate limiters as atomic Lua scripts (one round trip, one script per decision): fixed window,
// sliding window (sorted-set log) and token bucket (GCRA). Every decision says whether the
// request may pass, how many more would pass now, and when to retry.
//
//   redwire::SyncClient redis{"redis://127.0.0.1"};
//   redwire::patterns::RateLimiter per_ip{redis, redwire::patterns::FixedWindow{100, 60s},
//                                         {.prefix = "rl:ip",
//                                          .on_redis_error =
//                                          redwire::patterns::RateLimitFailure::allow}};
//   auto d = per_ip.check("1.2.3.4");        // keys: rl:ip:1.2.3.4
//   if (!d.allowed) reply_429(d.retry_after);
//
//   // asynchronously, on the Client underneath (SyncClient::async() or your own):
//   redwire::patterns::RateLimiter api{client, redwire::patterns::TokenBucket{.capacity = 20, .rate
//   = 10}}; auto d = co_await api.async_check("user:42", 1, asio::use_awaitable);
//
// Algorithms and clocks:
//   FixedWindow   the guide's INCR + EXPIRE, in one script: the window opens with an identity's
//                 first request and lasts `window`; the PEXPIRE is set whenever the key has no
//                 TTL (first request, or a key that lost it), so a counter can never become
//                 immortal. Time is the server's key expiry: no clock argument.
//   SlidingWindow a sorted-set log of the requests allowed in the last `window`: exact (never
//                 more than `limit` in any window-long interval), memory O(limit) per identity.
//   TokenBucket   GCRA (the generic cell rate algorithm): a bucket of `capacity` refilled with
//                 `rate` tokens per `period`, stored as one timestamp per identity.
//   SlidingWindow and TokenBucket read the time with TIME inside the script (one clock for every
//   client) unless RateLimitOptions::clock is set: then the client's clock is sent with every
//   call (tests drive it by hand).
//
// When Redis fails (down, timeout), the decision follows RateLimitOptions::on_redis_error:
// propagate (throw / complete with the error), allow (fail open, as the guide does) or deny
// (fail closed). A decision made that way carries the error in Decision::error.
#pragma once

#include <asio/async_result.hpp>
#include <asio/compose.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "redwire/client.hpp"
#include "redwire/sync_client.hpp"

namespace redwire::patterns {

using namespace std::chrono_literals;

/// At most `limit` requests per window opened by an identity's first request.
struct FixedWindow {
  long long limit = 0;
  std::chrono::milliseconds window{0};
};
/// At most `limit` requests in any interval of length `window` (exact, sorted-set log).
struct SlidingWindow {
  long long limit = 0;
  std::chrono::milliseconds window{0};
};
/// GCRA: bursts up to `capacity`, refilled at `rate` requests per `period`.
struct TokenBucket {
  long long capacity = 0;
  long long rate = 0;
  std::chrono::milliseconds period = 1s;
};
using RateLimit = std::variant<FixedWindow, SlidingWindow, TokenBucket>;

/// What a limiter decides when Redis cannot answer.
enum class RateLimitFailure {
  propagate,  ///< report the error (check() throws redwire::Error)
  allow,      ///< fail open: let the request through
  deny,       ///< fail closed: refuse it
};

/// Milliseconds on the clock the limiter should use (any epoch, as long as it is one clock).
using RateLimitClock = std::function<std::chrono::milliseconds()>;

struct RateLimitOptions {
  /// Keys are "<prefix>:<identity>".
  std::string prefix = "rl";
  RateLimitFailure on_redis_error = RateLimitFailure::propagate;
  /// Bound on the script call (offline queueing included); 0 = the client's command_timeout.
  std::chrono::milliseconds redis_timeout = 200ms;
  /// Empty: the server's TIME. SlidingWindow and TokenBucket only (FixedWindow lives on the
  /// key's expiry); a RateLimiter of FixedWindow with a clock is rejected.
  RateLimitClock clock{};
};

/// One decision.
struct Decision {
  bool allowed = false;
  long long limit = 0;      ///< the window's limit, or the bucket's capacity
  long long remaining = 0;  ///< requests (of cost 1) that would pass right now
  /// Denied: how long until this request (its whole cost) could pass. Allowed: 0.
  std::chrono::milliseconds retry_after{0};
  /// How long until the identity is back to its full allowance (X-RateLimit-Reset).
  std::chrono::milliseconds reset_after{0};
  /// Set when Redis failed and on_redis_error decided: allowed (fail open) or denied (fail
  /// closed, retry_after 1 s); remaining and reset_after are then unknown (0).
  std::error_code error;
  explicit operator bool() const noexcept { return allowed; }
};

class RateLimiter {
 public:
  /// Blocking checks on `redis` (and async_check on redis.async()). The client must outlive
  /// the limiter. Throws std::invalid_argument for a non-positive limit, window or rate.
  RateLimiter(SyncClient& redis, RateLimit limit, RateLimitOptions options = {});
  /// Asynchronous checks on `client`. check() then blocks on a future: never call it from a
  /// thread that runs the client's executor.
  RateLimiter(Client& client, RateLimit limit, RateLimitOptions options = {});

  /// Decides for one request of `identity` costing `cost` units (default 1). Throws
  /// std::invalid_argument when cost is below 1 or above the limit/capacity (it could never
  /// pass), redwire::Error when Redis fails and on_redis_error is propagate.
  Decision check(std::string_view identity, long long cost = 1);

  /// The same, asynchronously. Completion: void(std::error_code, Decision); the error is set
  /// only with RateLimitFailure::propagate.
  template <class Token>
  auto async_check(std::string_view identity, long long cost, Token&& token) {
    return asio::async_compose<Token, void(std::error_code, Decision)>(
        [this, id = std::string(identity), cost, started = false](
            auto& self, std::error_code ec = {}, Decision d = {}) mutable {
          if (!started) {
            started = true;
            // This lambda lives inside `self`: take what start() needs before moving it.
            std::string who = std::move(id);
            auto shared = std::make_shared<std::decay_t<decltype(self)>>(std::move(self));
            start(who, cost, [shared](std::error_code e, const std::string&, Decision r) {
              shared->complete(e, std::move(r));
            });
            return;
          }
          self.complete(ec, std::move(d));
        },
        token, client_->get_executor());
  }

  const RateLimit& limit() const noexcept { return limit_; }
  const RateLimitOptions& options() const noexcept { return options_; }
  /// The key of `identity`.
  std::string key(std::string_view identity) const;

 private:
  using Done = std::function<void(std::error_code, const std::string& detail, Decision)>;
  void start(const std::string& identity, long long cost, Done done);

  Client* client_;
  RateLimit limit_;
  RateLimitOptions options_;
};

}  // namespace redwire::patterns
