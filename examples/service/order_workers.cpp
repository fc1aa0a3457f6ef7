#include "order_workers.hpp"

#include <charconv>
#include <future>
#include <stdexcept>

namespace service {
namespace {

// KEYS: order:<id>, orders:count, orders:revenue_cents. ARGV: cents, entry id, worker.
// Returns 1 when the order was applied now, 0 when it had been applied before.
const redwire::Script apply_order_script{R"(
if redis.call('HSETNX', KEYS[1], 'status', 'processed') == 0 then return 0 end
redis.call('HSET', KEYS[1], 'amount_cents', ARGV[1], 'entry', ARGV[2], 'worker', ARGV[3])
redis.call('INCR', KEYS[2])
redis.call('INCRBY', KEYS[3], ARGV[1])
return 1)"};

struct Context {
  redwire::Client* client = nullptr;
  std::string consumer;
};

// Parameters by value: the coroutine outlives the call that started it.
asio::awaitable<void> apply_order(std::shared_ptr<const Context> ctx,
                                  redwire::StreamDelivery delivery) {
  const auto id = delivery.entry.field("orderId");
  if (!id || !valid_order_id(*id)) throw std::invalid_argument("no valid orderId");
  const auto amount = delivery.entry.field("amount");
  const auto cents = amount ? parse_cents(*amount) : std::nullopt;
  if (!cents) {
    throw std::invalid_argument("amount \"" + std::string(amount.value_or("")) +
                                "\" is not a positive amount with at most two decimals");
  }
  // Named locals, not braced temporaries inside co_await (GCC 12, docs/commands.md).
  const std::string order_key = "order:" + std::string(*id);
  const redwire::StringList keys{order_key, "orders:count", "orders:revenue_cents"};
  const redwire::ScriptArgs args{*cents, delivery.entry.id, ctx->consumer};
  co_await ctx->client->run_script<long long>(apply_order_script, keys, args, asio::use_awaitable);
}

}  // namespace

std::optional<long long> parse_cents(std::string_view amount) {
  const auto dot = amount.find('.');
  const std::string_view whole = amount.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : amount.substr(dot + 1);
  if (whole.empty() || whole.size() > 12 || frac.size() > 2) return std::nullopt;
  if (dot != std::string_view::npos && frac.empty()) return std::nullopt;
  long long units = 0;
  auto r = std::from_chars(whole.data(), whole.data() + whole.size(), units);
  if (r.ec != std::errc{} || r.ptr != whole.data() + whole.size() || units < 0) return std::nullopt;
  long long cents = 0;
  if (!frac.empty()) {
    r = std::from_chars(frac.data(), frac.data() + frac.size(), cents);
    if (r.ec != std::errc{} || r.ptr != frac.data() + frac.size()) return std::nullopt;
    if (frac.size() == 1) cents *= 10;
  }
  const long long total = units * 100 + cents;
  if (total <= 0) return std::nullopt;
  return total;
}

bool valid_order_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

struct OrderWorkers::Running {
  std::unique_ptr<redwire::StreamWorker> worker;
  std::promise<std::error_code> done;
  std::future<std::error_code> finished = done.get_future();
};

OrderWorkers::OrderWorkers(redwire::Client& client, OrderWorkersOptions options)
    : client_(client), options_(std::move(options)) {}

OrderWorkers::~OrderWorkers() {
  stop();
}

void OrderWorkers::start() {
  for (std::size_t i = 1; i <= options_.workers; ++i) {
    auto ctx = std::make_shared<Context>();
    ctx->client = &client_;
    ctx->consumer = options_.consumer_prefix + "-" + std::to_string(i);
    redwire::StreamWorkerOptions wo;
    wo.stream = options_.stream;
    wo.group = options_.group;
    wo.consumer = ctx->consumer;
    wo.claim_min_idle = options_.claim_min_idle;
    wo.claim_interval = options_.claim_interval;
    wo.max_deliveries = options_.max_deliveries;
    wo.group_start_id = "0";  // orders queued before the first start are processed too
    auto running = std::make_unique<Running>();
    running->worker = std::make_unique<redwire::StreamWorker>(
        client_, std::move(wo),
        [ctx](const redwire::StreamDelivery& d) { return apply_order(ctx, d); });
    running->worker->run([r = running.get()](std::error_code ec) { r->done.set_value(ec); });
    running_.push_back(std::move(running));
  }
}

void OrderWorkers::stop() {
  for (auto& r : running_) r->worker->stop();
  for (auto& r : running_) r->finished.wait();
  running_.clear();
}

nlohmann::json OrderWorkers::stats() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& r : running_) {
    const auto s = r->worker->stats();
    out[r->worker->options().consumer] = {{"acknowledged", s.acknowledged},
                                          {"failed", s.failed},
                                          {"dead_lettered", s.dead_lettered},
                                          {"claimed", s.claimed},
                                          {"in_flight", s.in_flight}};
  }
  return out;
}

}  // namespace service
