// One delivery: run the handler, then XACK; on failure leave the entry pending for a retry, or
// after max_deliveries move it to the dead-letter stream (with the reason) and XACK it.
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

void StreamWorkerCore::dispatch(StreamDelivery d) {
  if (in_flight_.count(d.entry.id)) return;  // claimed back while running here
  in_flight_.insert(d.entry.id);
  update_stats([&](StreamWorkerStats& s) { s.in_flight = in_flight_.size(); });
  asio::co_spawn(strand_, process(std::move(d)), asio::detached);
}

asio::awaitable<void> StreamWorkerCore::process(StreamDelivery d) {
  auto keep = shared_from_this();  // the worker may be destroyed while this runs
  const std::string id = d.entry.id;
  std::string failure;
  bool handler_ran = false;
  if (d.entry.deleted) {
    // Deleted from the stream while pending: nothing to handle; clear it from the list.
  } else if (d.deliveries > options_.max_deliveries) {
    failure = "delivered " + std::to_string(d.deliveries) +
              " times without an acknowledgement (its consumers died or took longer than "
              "claim_min_idle)";
  } else {
    handler_ran = true;
    try {
      co_await handler_(d);
    } catch (const std::exception& e) {
      failure = e.what();
      if (failure.empty()) failure = "exception without a message";
    } catch (...) {
      failure = "unknown exception";
    }
  }
  if (!abandoned_) {
    if (failure.empty()) {
      if (co_await acknowledge(id)) {
        update_stats([](StreamWorkerStats& s) { ++s.acknowledged; });
      }
    } else {
      if (handler_ran) {
        update_stats([](StreamWorkerStats& s) { ++s.failed; });
        StreamWorkerEvent e;
        e.type = StreamWorkerEventType::handler_failed;
        e.id = id;
        e.reason = failure;
        e.deliveries = d.deliveries;
        report(e);
      }
      // Otherwise it stays pending: XAUTOCLAIM hands it out again after claim_min_idle.
      if (!handler_ran || d.deliveries >= options_.max_deliveries) co_await dead_letter(d, failure);
    }
  }
  in_flight_.erase(id);
  update_stats([&](StreamWorkerStats& s) { s.in_flight = in_flight_.size(); });
  notify();
}

asio::awaitable<bool> StreamWorkerCore::acknowledge(const std::string& id) {
  std::error_code ec;
  co_await client_.xack(options_.stream, options_.group, id,
                        asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) co_return true;
  // Still pending: handled again later (at-least-once).
  if (!abandoned_) report_failure(ec, "XACK " + options_.stream + " " + id);
  co_return false;
}

asio::awaitable<void> StreamWorkerCore::dead_letter(const StreamDelivery& d,
                                                    const std::string& reason) {
  const std::string deliveries = std::to_string(d.deliveries);
  FieldValues fields{{"source-stream", d.stream}, {"source-id", d.entry.id},
                     {"group", options_.group},   {"consumer", options_.consumer},
                     {"deliveries", deliveries},  {"reason", reason}};
  for (const auto& [k, v] : d.entry.fields) fields.emplace_back(k, v);
  std::error_code ec;
  co_await client_.xadd(options_.dead_letter_stream, fields,
                        asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    // Not acknowledged either: it is dead-lettered on a later delivery.
    if (!abandoned_) report_failure(ec, "XADD " + options_.dead_letter_stream);
    co_return;
  }
  if (abandoned_ || !(co_await acknowledge(d.entry.id))) co_return;
  update_stats([](StreamWorkerStats& s) { ++s.dead_lettered; });
  StreamWorkerEvent e;
  e.type = StreamWorkerEventType::dead_lettered;
  e.id = d.entry.id;
  e.reason = reason;
  e.deliveries = d.deliveries;
  report(e);
}

}  // namespace redwire::detail

#endif  // defined(ASIO_HAS_CO_AWAIT)
