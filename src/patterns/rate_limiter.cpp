// RateLimiter: validates the rule, runs the algorithm's script (EVALSHA, EVAL on NOSCRIPT) with
// a bounded timeout, and turns a Redis failure into the decision the user chose.
#include <future>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "rate_limit_scripts.hpp"
#include "sync_calls.hpp"

namespace redwire::patterns {
namespace {

long long capacity_of(const RateLimit& limit) {
  return std::visit(
      [](const auto& rule) -> long long {
        using R = std::decay_t<decltype(rule)>;
        if constexpr (std::is_same_v<R, TokenBucket>) {
          return rule.capacity;
        } else {
          return rule.limit;
        }
      },
      limit);
}

void validate(const RateLimit& limit, const RateLimitOptions& options) {
  std::visit(
      [&](const auto& rule) {
        using R = std::decay_t<decltype(rule)>;
        if constexpr (std::is_same_v<R, TokenBucket>) {
          if (rule.capacity < 1 || rule.rate < 1 || rule.period <= 0ms) {
            throw std::invalid_argument("TokenBucket: capacity, rate and period must be positive");
          }
        } else {
          if (rule.limit < 1 || rule.window <= 0ms) {
            throw std::invalid_argument("rate limit: limit and window must be positive");
          }
        }
        if constexpr (std::is_same_v<R, FixedWindow>) {
          if (options.clock) {
            throw std::invalid_argument(
                "FixedWindow keeps time with the key's expiry: it takes no clock");
          }
        }
      },
      limit);
}

}  // namespace

RateLimiter::RateLimiter(SyncClient& redis, RateLimit limit, RateLimitOptions options)
    : RateLimiter(redis.async(), std::move(limit), std::move(options)) {}

RateLimiter::RateLimiter(Client& client, RateLimit limit, RateLimitOptions options)
    : client_(&client), limit_(std::move(limit)), options_(std::move(options)) {
  validate(limit_, options_);
}

std::string RateLimiter::key(std::string_view identity) const {
  if (options_.prefix.empty()) return std::string(identity);
  std::string k = options_.prefix;
  k += ':';
  k += identity;
  return k;
}

void RateLimiter::start(const std::string& identity, long long cost, Done done) {
  const long long capacity = capacity_of(limit_);
  if (cost < 1 || cost > capacity) {
    throw std::invalid_argument("rate limit: cost must be between 1 and the limit (" +
                                std::to_string(capacity) + ")");
  }
  const long long now = options_.clock ? options_.clock().count() : -1;
  detail::LimiterCall call = std::visit(
      [&](const auto& rule) {
        using R = std::decay_t<decltype(rule)>;
        if constexpr (std::is_same_v<R, FixedWindow>) {
          return detail::fixed_window_call(rule, cost);
        } else if constexpr (std::is_same_v<R, SlidingWindow>) {
          return detail::sliding_window_call(rule, cost, now);
        } else {
          return detail::token_bucket_call(rule, cost, now);
        }
      },
      limit_);
  const std::string k = key(identity);
  auto policy = options_.on_redis_error;
  auto finish = [done = std::move(done), policy, capacity](std::error_code ec, Reply reply) {
    std::string detail;
    if (!ec && reply.is_error()) {
      ec = make_error_code(classify_server_error(reply.value()));
      detail = std::string(reply.value());
    }
    std::vector<long long> row;
    if (!ec && (ec = from_reply(reply.view(), row, &detail)) == std::error_code{} &&
        row.size() != 4) {
      ec = make_error_code(conversion_errc::wrong_size);
      detail = "rate limit script: expected 4 integers, got " + reply.to_string();
    }
    Decision d;
    d.limit = capacity;
    if (!ec) {
      d.allowed = row[0] == 1;
      d.remaining = row[1] < 0 ? 0 : row[1];
      d.retry_after = std::chrono::milliseconds(row[2] < 0 ? 0 : row[2]);
      d.reset_after = std::chrono::milliseconds(row[3] < 0 ? 0 : row[3]);
      return done({}, detail, d);
    }
    if (policy == RateLimitFailure::propagate) return done(ec, detail, d);
    d.allowed = policy == RateLimitFailure::allow;
    d.retry_after = d.allowed ? 0ms : 1000ms;
    d.error = ec;
    done({}, detail, d);
  };
  const auto timeout = options_.redis_timeout;
  Command eval = detail::timed(call.script->eval(k, call.args), timeout);
  client_->execute<Reply>(detail::timed(call.script->evalsha(k, call.args), timeout),
                          [client = client_, eval = std::move(eval), finish = std::move(finish)](
                              std::error_code ec, Reply reply) mutable {
                            if (!ec && reply.is_error() &&
                                classify_server_error(reply.value()) == server_errc::noscript) {
                              client->execute<Reply>(std::move(eval), std::move(finish));
                              return;
                            }
                            finish(ec, std::move(reply));
                          });
}

Decision RateLimiter::check(std::string_view identity, long long cost) {
  struct Outcome {
    std::error_code ec;
    std::string detail;
    Decision decision;
  };
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  start(std::string(identity), cost,
        [promise](std::error_code ec, const std::string& detail, Decision d) {
          promise->set_value(Outcome{ec, detail, d});
        });
  Outcome out = future.get();
  if (out.ec) throw_error(out.ec, out.detail.empty() ? out.ec.message() : out.detail);
  return out.decision;
}

}  // namespace redwire::patterns
