// The worker's read loop: group creation, its own pending entries first, then new entries with
// XREADGROUP BLOCK and, every claim_interval, XAUTOCLAIM of entries other consumers left idle.
#include <asio/detail/config.hpp>
// Built where Asio has C++20 coroutines (see stream_worker.hpp).
#if defined(ASIO_HAS_CO_AWAIT)

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <exception>

#include "redwire/client.hpp"
#include "worker_core.hpp"

namespace redwire::detail {
namespace {
constexpr auto kFirstBackoff = std::chrono::milliseconds(50);
constexpr auto kMaxBackoff = std::chrono::milliseconds(1000);
constexpr auto kUnblockRetry = std::chrono::milliseconds(20);
}  // namespace

StreamWorkerCore::StreamWorkerCore(Client& client, StreamWorkerOptions options,
                                   StreamHandler handler)
    : client_(client),
      options_(std::move(options)),
      handler_(std::move(handler)),
      executor_(client.get_executor()),
      strand_(asio::make_strand(executor_)),
      wake_(strand_) {
  if (options_.concurrency == 0) options_.concurrency = 1;
  if (options_.max_deliveries < 1) options_.max_deliveries = 1;
  if (options_.dead_letter_stream.empty()) options_.dead_letter_stream = options_.stream + ":dead";
  if (options_.claim_interval.count() <= 0) options_.claim_interval = std::chrono::seconds(5);
  Options reader_options = client.options();
  reader_ = BlockingReader::open(executor_, std::move(reader_options), options_.read_timeout,
                                 client.link_setup());
}

StreamWorkerCore::~StreamWorkerCore() = default;

void StreamWorkerCore::start(Completion<std::error_code> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    if (self->started_ || self->stopping_) {
      done.complete(
          make_error_code(self->started_ ? errc::invalid_argument : errc::connection_closed));
      return;
    }
    self->started_ = true;
    asio::co_spawn(
        self->strand_, self->main_loop(),
        [self, done = std::move(done)](std::exception_ptr e, std::error_code ec) mutable {
          self->reader_->close();  // run() is over for good: its link goes too
          done.complete(e ? make_error_code(errc::connection_closed) : ec);
        });
  });
}

void StreamWorkerCore::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->stopping_) return;
    self->stopping_ = true;
    self->notify();
    if (self->reading_) asio::co_spawn(self->strand_, self->unblock_reader(), asio::detached);
  });
}

void StreamWorkerCore::abandon() {
  reader_->close();  // a blocked read ends now
  asio::post(strand_, [self = shared_from_this()] {
    self->abandoned_ = true;
    self->stopping_ = true;
    self->notify();
  });
}

StreamWorkerStats StreamWorkerCore::stats() const {
  std::lock_guard lock(stats_m_);
  return stats_;
}

std::size_t StreamWorkerCore::free_slots() const noexcept {
  return in_flight_.size() >= options_.concurrency ? 0 : options_.concurrency - in_flight_.size();
}

bool StreamWorkerCore::fatal(std::error_code ec) const {
  return ec == errc::connection_closed || abandoned_ ||
         (ec == server_errc::nogroup && !options_.create_group);
}

asio::awaitable<void> StreamWorkerCore::wait(std::chrono::milliseconds timeout) {
  wake_.expires_after(timeout);
  std::error_code ignored;
  co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> StreamWorkerCore::pause_after_error(std::chrono::milliseconds& backoff) {
  co_await wait(backoff);
  backoff = std::min(backoff * 2, std::chrono::milliseconds(kMaxBackoff));
}

void StreamWorkerCore::report(StreamWorkerEvent event) const {
  if (options_.on_event) options_.on_event(event);
}

void StreamWorkerCore::report_failure(std::error_code ec, std::string what) const {
  StreamWorkerEvent e;
  e.type = StreamWorkerEventType::command_failed;
  e.ec = ec;
  e.detail = std::move(what);
  report(e);
}

asio::awaitable<std::error_code> StreamWorkerCore::main_loop() {
  if (auto ec = co_await ensure_group()) co_return ec;
  if (auto ec = co_await read_own_pending()) co_return ec;
  next_claim_ = Clock::now();
  if (auto ec = co_await read_new()) co_return ec;
  while (!in_flight_.empty() && !abandoned_) co_await wait(std::chrono::hours(1));
  co_return abandoned_ ? make_error_code(errc::connection_closed) : std::error_code{};
}

asio::awaitable<std::error_code> StreamWorkerCore::ensure_group() {
  if (!options_.create_group) co_return std::error_code{};
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  const XGroupCreateOptions create{.mkstream = true, .entries_read = std::nullopt};
  while (!stopping_) {
    std::error_code ec;
    co_await client_.xgroup_create_if_missing(options_.stream, options_.group,
                                              options_.group_start_id, create,
                                              asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return ec;
    if (fatal(ec)) co_return ec;
    report_failure(ec, "XGROUP CREATE " + options_.stream + " " + options_.group);
    co_await pause_after_error(backoff);
  }
  co_return std::error_code{};
}

asio::awaitable<std::map<std::string, long long>> StreamWorkerCore::delivery_counts(
    const std::string& first, const std::string& last, std::size_t n) {
  std::map<std::string, long long> counts;
  XPendingRange range;
  range.start = first;
  range.end = last;
  range.count = static_cast<long long>(n + in_flight_.size());
  range.consumer = options_.consumer;
  std::error_code ec;
  auto rows = co_await client_.xpending(options_.stream, options_.group, range,
                                        asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    // Unknown counts count as first deliveries: the entry is handled, not dead-lettered early.
    if (!abandoned_) report_failure(ec, "XPENDING " + options_.stream);
    co_return counts;
  }
  for (auto& row : rows) counts.emplace(std::move(row.id), row.deliveries);
  co_return counts;
}

asio::awaitable<std::error_code> StreamWorkerCore::read_own_pending() {
  std::string cursor = "0";
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  while (!stopping_) {
    while (!stopping_ && free_slots() == 0) co_await wait(std::chrono::hours(1));
    if (stopping_) break;
    XReadGroupOptions opts;
    opts.count = static_cast<long long>(free_slots());
    std::error_code ec;
    auto batches =
        co_await client_.xreadgroup(options_.group, options_.consumer, options_.stream, cursor,
                                    opts, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (fatal(ec)) co_return ec;
      if (ec == server_errc::nogroup) {  // deleted meanwhile: create it again
        if (auto e2 = co_await ensure_group()) co_return e2;
        continue;
      }
      report_failure(ec, "XREADGROUP " + options_.stream + " (own pending entries)");
      co_await pause_after_error(backoff);
      continue;
    }
    backoff = kFirstBackoff;
    std::vector<StreamEntry> entries;
    for (auto& b : batches) {
      for (auto& e : b.entries) entries.push_back(std::move(e));
    }
    if (entries.empty()) break;  // none left: on to new entries
    cursor = entries.back().id;
    auto counts = co_await delivery_counts(entries.front().id, entries.back().id, entries.size());
    update_stats([&](StreamWorkerStats& s) { s.reread += entries.size(); });
    for (auto& e : entries) {
      const auto it = counts.find(e.id);
      const long long deliveries = it == counts.end() ? 1 : it->second;
      dispatch(StreamDelivery{options_.stream, std::move(e), deliveries});
    }
  }
  co_return std::error_code{};
}

asio::awaitable<std::error_code> StreamWorkerCore::read_new() {
  auto backoff = std::chrono::milliseconds(kFirstBackoff);
  while (!stopping_) {
    while (!stopping_ && free_slots() == 0) co_await wait(std::chrono::hours(1));
    if (stopping_) break;
    const auto now = Clock::now();
    if (now >= next_claim_) {
      co_await claim_idle();
      next_claim_ = Clock::now() + options_.claim_interval;
      continue;  // the claim may have filled the slots
    }
    // Block no longer than until the next claim round.
    auto block =
        std::min(options_.block, std::chrono::ceil<std::chrono::milliseconds>(next_claim_ - now));
    if (block.count() < 1) block = std::chrono::milliseconds(1);
    XReadGroupOptions opts;
    opts.count = static_cast<long long>(free_slots());
    opts.block = block;
    const StreamOffsets offsets{{options_.stream, ">"}};
    Command read = xreadgroup_command(options_.group, options_.consumer, offsets, opts);
    std::error_code ec;
    reading_ = true;
    auto batches =
        co_await reader_->read(std::move(read), asio::redirect_error(asio::use_awaitable, ec));
    reading_ = false;
    if (abandoned_) break;
    if (ec) {
      if (stopping_) break;
      if (fatal(ec)) co_return ec;
      if (ec == server_errc::nogroup) {
        if (auto e2 = co_await ensure_group()) co_return e2;
        continue;
      }
      report_failure(ec, "XREADGROUP BLOCK " + options_.stream);
      co_await pause_after_error(backoff);
      continue;
    }
    backoff = kFirstBackoff;
    for (auto& b : batches) {
      for (auto& e : b.entries) dispatch(StreamDelivery{b.stream, std::move(e), 1});
    }
  }
  co_return std::error_code{};
}

asio::awaitable<void> StreamWorkerCore::claim_idle() {
  const std::size_t n = free_slots();
  if (n == 0) co_return;
  std::error_code ec;
  auto claimed = co_await client_.xautoclaim(
      options_.stream, options_.group, options_.consumer, options_.claim_min_idle, claim_cursor_,
      static_cast<long long>(n), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (!abandoned_) report_failure(ec, "XAUTOCLAIM " + options_.stream);
    co_return;
  }
  claim_cursor_ = claimed.next_start.empty() ? "0-0" : claimed.next_start;
  std::vector<StreamEntry> entries;
  for (auto& e : claimed.entries) {
    if (!in_flight_.count(e.id)) entries.push_back(std::move(e));  // ours and running: leave it
  }
  if (entries.empty()) co_return;
  auto counts = co_await delivery_counts(entries.front().id, entries.back().id, entries.size());
  update_stats([&](StreamWorkerStats& s) { s.claimed += entries.size(); });
  StreamWorkerEvent event;
  event.type = StreamWorkerEventType::claimed;
  event.count = static_cast<long long>(entries.size());
  report(event);
  for (auto& e : entries) {
    const auto it = counts.find(e.id);
    const long long deliveries = it == counts.end() ? 1 : it->second;
    dispatch(StreamDelivery{options_.stream, std::move(e), deliveries});
  }
}

asio::awaitable<void> StreamWorkerCore::unblock_reader() {
  // The blocked XREADGROUP returns nil at once (as on timeout), so no entry is read and left
  // unhandled. Repeated in case the read had not reached the server yet.
  asio::steady_timer retry(strand_);
  while (reading_ && !abandoned_) {
    const long long id = reader_->client_id();
    if (id >= 0) {
      std::error_code ec;
      co_await client_.command<long long>("CLIENT", "UNBLOCK", id,
                                          asio::redirect_error(asio::use_awaitable, ec));
    }
    retry.expires_after(kUnblockRetry);
    std::error_code ignored;
    co_await retry.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

}  // namespace redwire::detail

#endif  // defined(ASIO_HAS_CO_AWAIT)
