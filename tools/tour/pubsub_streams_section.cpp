// The guide's Pub/Sub (publisher and subscriber) and Streams (producer and consumer group)
// sections, plus its queue answer: a reliable list queue.
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <iostream>
#include <stdexcept>

#include "redwire/pubsub.hpp"
#include "redwire/reliable_queue.hpp"
#include "redwire/stream_worker.hpp"
#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;
using asio::use_awaitable;

namespace {

std::string describe_entry(const redwire::StreamEntry& e) {
  std::string out = e.id + " {";
  for (std::size_t i = 0; i < e.fields.size(); ++i) {
    out += (i ? ", " : "") + e.fields[i].first + ": " + e.fields[i].second;
  }
  return out + "}";
}

asio::awaitable<void> pubsub(redwire::Client& redis) {
  heading("Pub/Sub");
  note("Subscriber: rides the client's RESP3 link; resubscribes after reconnects (at-most-once)");
  redwire::Subscriber sub{redis, {.on_event = [](const redwire::SubscriberEvent& e) {
                            if (e.type == redwire::SubscriberEventType::gap) {
                              std::cout << "  [event] gap: messages may have been lost\n";
                            }
                          }}};
  co_await sub.subscribe("events:user", use_awaitable);
  show("co_await sub.subscribe(\"events:user\", use_awaitable)");
  std::string by_handler;
  co_await sub.psubscribe(
      "events:*", [&](const redwire::Message& m) { by_handler = m.channel; }, use_awaitable);
  show("co_await sub.psubscribe(\"events:*\", handler, use_awaitable)");

  note("Publisher: any client, here the same one");
  const std::string event = R"({"type":"USER_CREATED","id":1001})";
  show("co_await redis.publish(\"events:user\", event, use_awaitable)  # receivers",
       co_await redis.publish("events:user", event, use_awaitable));
  redwire::Message m = co_await sub.receive(use_awaitable);
  show("co_await sub.receive(use_awaitable)  # Event: channel, payload",
       std::pair<std::string, std::string>(m.channel, m.payload));
  asio::steady_timer t(redis.get_executor());
  for (int i = 0; i < 100 && by_handler.empty(); ++i) {
    t.expires_after(5ms);
    co_await t.async_wait(use_awaitable);
  }
  show("the pattern handler saw channel", by_handler);
  show("sub.dropped()  # messages dropped by the bounded queue",
       static_cast<long long>(sub.dropped()));
}

asio::awaitable<void> streams(redwire::Client& redis) {
  heading("Streams (Consumer Groups)");
  note("Producer");
  const redwire::FieldValues order{{"orderId", "o-123"}, {"amount", "49.99"}};
  const std::string id = co_await redis.xadd("stream:orders", order, use_awaitable);
  show("co_await redis.xadd(\"stream:orders\", {{\"orderId\",\"o-123\"}, {\"amount\",\"49.99\"}})",
       id);

  note("Setup group once (BUSYGROUP means it exists: not an error)");
  const redwire::XGroupCreateOptions mkstream{.mkstream = true};
  show(
      "co_await redis.xgroup_create_if_missing(\"stream:orders\", \"order-workers\", \"0\", "
      "{.mkstream = true})  # created",
      static_cast<bool>(co_await redis.xgroup_create_if_missing("stream:orders", "order-workers",
                                                                "0", mkstream, use_awaitable)));
  show("... again  # created",
       static_cast<bool>(co_await redis.xgroup_create_if_missing("stream:orders", "order-workers",
                                                                 "0", mkstream, use_awaitable)));

  note(
      "Consumer: a StreamWorker is the guide's consume() loop with acks, retries, claims, dead "
      "letters");
  std::vector<std::string> handled;
  redwire::StreamWorker worker{
      redis,
      {.stream = "stream:orders",
       .group = "order-workers",
       .consumer = "worker-1",
       .concurrency = 4,
       .block = 200ms},
      [&](const redwire::StreamDelivery& d) -> asio::awaitable<void> {
        handled.push_back(describe_entry(d.entry));  // process fields; throwing = retry later
        if (handled.size() == 3) worker.stop();
        co_return;
      }};
  const std::vector<std::string> more_orders{"o-124", "o-125"};
  for (const std::string& orderId : more_orders) {
    const redwire::FieldValues more{{"orderId", orderId}, {"amount", "10.00"}};
    co_await redis.xadd("stream:orders", more, use_awaitable);
  }
  co_await worker.run(use_awaitable);
  show("co_await worker.run(use_awaitable)  # handled, then acknowledged", handled);
  show("co_await redis.xpending(\"stream:orders\", \"order-workers\").count  # unacknowledged",
       (co_await redis.xpending("stream:orders", "order-workers", use_awaitable)).count);

  heading("Lists (Queues), reliably");
  note("LPUSH + BLMOVE into a per-worker processing list; LREM when done; recover dead workers");
  redwire::ReliableQueue jobs{redis, {.queue = "queue:emails", .worker = "mailer-1"}};
  co_await jobs.push(R"({"to":"x@y.com"})", use_awaitable);
  auto job = co_await jobs.pop(5s, use_awaitable);
  show("co_await jobs.pop(5s, use_awaitable)", job);
  show("co_await jobs.ack(*job, use_awaitable)", co_await jobs.ack(*job, use_awaitable));
  show("co_await jobs.recover_dead_workers(use_awaitable)  # jobs moved back",
       co_await jobs.recover_dead_workers(use_awaitable));
}

}  // namespace

void run_pubsub_streams_section(const std::string& url) {
  asio::io_context io;
  redwire::Client redis{io, redwire::Options::from_url(url)};
  std::exception_ptr error;
  bool finished = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await pubsub(redis);
        co_await streams(redis);
      },
      [&](std::exception_ptr e) {
        error = e;
        finished = true;
        redis.close();
      });
  io.run_for(60s);
  if (error) std::rethrow_exception(error);
  if (!finished) throw std::runtime_error("pub/sub and streams sections did not finish");
}

}  // namespace tour
