// A consumer-group worker for Redis Streams: the guide's consume() loop done right.
//
//   redwire::StreamWorker worker{redis,
//       {.stream = "stream:orders", .group = "order-workers", .consumer = "worker-1"},
//       [&](const redwire::StreamDelivery& d) -> asio::awaitable<void> {
//         co_await charge(d.entry.field("orderId"));   // throw to fail the delivery
//       }};
//   co_await worker.run(asio::use_awaitable);           // until worker.stop()
//
// Delivery is at-least-once. The worker:
//  - creates the group if it is missing (XGROUP CREATE ... MKSTREAM; BUSYGROUP is fine),
//  - first re-reads its own pending entries (XREADGROUP ... ID 0: what a previous run of the
//    same consumer name read but never acknowledged), then reads new ones (">") with
//    XREADGROUP BLOCK on a link of its own,
//  - runs up to `concurrency` handlers at once and XACKs each entry after its handler returned,
//  - every claim_interval takes over entries that other consumers left idle for longer than
//    claim_min_idle (XAUTOCLAIM) — a dead worker's entries are finished by the living,
//  - counts deliveries (XPENDING) and moves an entry whose handler failed on its
//    max_deliveries-th delivery (or that was delivered more often than that without an
//    acknowledgement) to the dead-letter stream, with the reason, and acknowledges it,
//  - on stop() reads nothing new, lets running handlers finish and acknowledges them, then
//    run() completes.
// An entry may therefore be handled more than once (after a crash, a lost XACK, or a handler
// slower than claim_min_idle); make handlers idempotent. See docs/streams.md.
#pragma once

#include <asio/detail/config.hpp>
#if !defined(ASIO_HAS_CO_AWAIT)
#error \
    "redwire::StreamWorker needs Asio's C++20 coroutines (asio::awaitable). g++ has them with \
-std=c++20; Asio 1.22 does not detect clang's with libstdc++: define ASIO_HAS_CO_AWAIT=1 and \
ASIO_HAS_STD_COROUTINE=1."
#endif

#include <asio/any_io_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "redwire/detail/completion.hpp"
#include "redwire/streams.hpp"

namespace redwire {

class Client;

/// One entry handed to a handler.
struct StreamDelivery {
  std::string stream{};
  StreamEntry entry{};
  /// How many times the group has delivered it, this delivery included (1 = first time).
  long long deliveries = 1;
};

/// Processes one entry. Returning acknowledges it; throwing fails this delivery (the exception's
/// what() is the reason kept in the dead-letter stream). Runs on the worker's strand: handlers
/// interleave at their co_await points; move CPU-heavy work to a thread pool.
using StreamHandler = std::function<asio::awaitable<void>(const StreamDelivery&)>;

enum class StreamWorkerEventType {
  handler_failed,  ///< a handler threw; the entry stays pending and is retried after claim_min_idle
  dead_lettered,   ///< an entry went to the dead-letter stream and was acknowledged
  claimed,         ///< `count` idle entries were taken over from other consumers
  command_failed,  ///< a Redis command failed (read, ack, claim, ...): `ec`, `detail`; retried
};

struct StreamWorkerEvent {
  StreamWorkerEventType type = StreamWorkerEventType::handler_failed;
  std::string id{};      ///< handler_failed, dead_lettered
  std::string reason{};  ///< handler_failed, dead_lettered
  long long deliveries = 0;
  long long count = 0;   ///< claimed
  std::error_code ec{};  ///< command_failed
  std::string detail{};  ///< command_failed: which command, and the server's text
};

struct StreamWorkerOptions {
  std::string stream{};
  std::string group{};
  /// Unique per running worker. Reuse the name after a restart to pick up its pending entries.
  std::string consumer{};
  std::size_t concurrency = 4;  ///< handlers running at once (and the COUNT of each read)
  std::chrono::milliseconds block = std::chrono::seconds(2);  ///< XREADGROUP BLOCK
  /// A blocking read that has no reply this long after its BLOCK window means a dead link.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(5);
  /// Entries idle this long are taken over. Keep it above your slowest handler, or a slow
  /// entry is handled twice at the same time.
  std::chrono::milliseconds claim_min_idle = std::chrono::seconds(60);
  std::chrono::milliseconds claim_interval = std::chrono::seconds(5);
  long long max_deliveries = 5;
  /// Default: "<stream>:dead". Entries keep their fields plus source-stream, source-id, group,
  /// consumer, deliveries and reason.
  std::string dead_letter_stream{};
  bool create_group = true;
  std::string group_start_id = "0";  ///< where a newly created group starts ("$": new only)
  std::function<void(const StreamWorkerEvent&)> on_event{};  ///< runs on the worker's strand
};

/// Counters since the worker was made.
struct StreamWorkerStats {
  std::uint64_t acknowledged = 0;
  std::uint64_t failed = 0;  ///< handler failures (each delivery counts)
  std::uint64_t dead_lettered = 0;
  std::uint64_t claimed = 0;  ///< entries taken over with XAUTOCLAIM
  std::uint64_t reread = 0;   ///< own pending entries read again at start
  std::size_t in_flight = 0;  ///< handlers running now
};

namespace detail {
class StreamWorkerCore;
}

class StreamWorker {
 public:
  /// `client` carries acks, claims and dead letters and must outlive the worker; reads go through
  /// a link of the worker's own.
  StreamWorker(Client& client, StreamWorkerOptions options, StreamHandler handler);
  /// If still running: stops reading at once without waiting for handlers (their entries stay
  /// pending and are claimed later); run() then completes with errc::connection_closed. Keep
  /// the io_context running until run() has completed: a run() abandoned in a stopped
  /// io_context keeps its memory (its read is never answered).
  ~StreamWorker();
  StreamWorker(const StreamWorker&) = delete;
  StreamWorker& operator=(const StreamWorker&) = delete;

  /// Runs until stop() (completes with no error after the last running handler was
  /// acknowledged) or a failure that retrying cannot fix (e.g. the group is gone and
  /// create_group is off). Completion: void(std::error_code). Call once.
  template <class Token>
  auto run(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code)>(
        [this](auto handler) {
          start(detail::Completion<std::error_code>(std::move(handler), executor()));
        },
        token);
  }

  /// Thread-safe, idempotent: graceful stop (see run()).
  void stop();
  StreamWorkerStats stats() const;
  const StreamWorkerOptions& options() const noexcept;

 private:
  const asio::any_io_executor& executor() const noexcept;
  void start(detail::Completion<std::error_code> done);

  std::shared_ptr<detail::StreamWorkerCore> core_{};
};

}  // namespace redwire
