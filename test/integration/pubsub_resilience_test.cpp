// Pub/Sub across link failures (FAULTS.md rows 26 and 27): CLIENT KILL TYPE pubsub and the
// server dropping a slow subscriber. Channels, patterns and shard channels come back, the gap
// is reported, and later messages arrive. Also sharded pub/sub on a cluster-mode server.
#include <mutex>
#include <thread>

#include "fixture.hpp"
#include "redwire/pubsub.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using asio::use_awaitable;
using test::wait_until;

RetryStrategy fast_retries() {
  return [](std::uint32_t) { return std::optional(std::chrono::milliseconds(20)); };
}

// One node with cluster mode on that serves every slot: sharded pub/sub works on it.
test::RedisServerOptions cluster_node() {
  return {.cluster = true, .config = {"cluster-node-timeout 5000"}};
}
void serve_every_slot(test::RedisServer& server) {
  server.cli("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
  wait_until(
      [&] { return server.cli("CLUSTER", "INFO").find("cluster_state:ok") != std::string::npos; },
      10s, "the one-node cluster to serve every slot");
}

class GapLog {
 public:
  std::function<void(const SubscriberEvent&)> handler() {
    return [this](const SubscriberEvent& e) {
      std::lock_guard lock(m_);
      events_.push_back(e);
    };
  }
  std::size_t count(SubscriberEventType t) const {
    std::lock_guard lock(m_);
    std::size_t n = 0;
    for (const auto& e : events_) n += e.type == t ? 1 : 0;
    return n;
  }
  std::vector<SubscriberEvent> snapshot() const {
    std::lock_guard lock(m_);
    return events_;
  }

 private:
  mutable std::mutex m_;
  std::vector<SubscriberEvent> events_;
};

// Waits on the io_context (the subscriber's links run there) until `done`.
asio::awaitable<bool> poll(asio::io_context& io, const std::function<bool()>& done,
                           std::chrono::milliseconds limit = 10s) {
  asio::steady_timer t(io);
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) co_return false;
    t.expires_after(5ms);
    co_await t.async_wait(use_awaitable);
  }
  co_return true;
}

TEST(PubSubResilience, ClientKillTypePubsubResubscribesEverythingAndReportsTheGap) {
  test::RedisServer server;  // sharded pub/sub works on a standalone server too
  Options o = options_for(server);
  o.retry_strategy = fast_retries();
  asio::io_context io;
  Client redis{io, o};
  GapLog gaps;
  Subscriber sub{redis, {.on_event = gaps.handler()}};
  std::vector<std::string> shard_messages;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe("orders", use_awaitable);
    co_await sub.psubscribe("users:*", use_awaitable);
    co_await sub.ssubscribe(
        "{shard}:events", [&](const Message& m) { shard_messages.push_back(m.payload); },
        use_awaitable);
    co_await redis.publish("orders", "before", use_awaitable);
    EXPECT_EQ((co_await sub.receive(use_awaitable)).payload, "before");

    // Both links (the client's, carrying channels and patterns, and the shard link) are killed.
    EXPECT_EQ(server.cli("CLIENT", "KILL", "TYPE", "pubsub"), "2");
    CO_ASSERT_TRUE(co_await poll(io, [&] { return gaps.count(SubscriberEventType::gap) >= 2; }));

    // Later messages arrive on every kind of subscription.
    co_await redis.publish("orders", "after", use_awaitable);
    co_await redis.publish("users:7", "renamed", use_awaitable);
    co_await redis.spublish("{shard}:events", "sharded-after", use_awaitable);
    Message m1 = co_await sub.receive(use_awaitable);
    Message m2 = co_await sub.receive(use_awaitable);
    EXPECT_EQ(m1.channel, "orders");
    EXPECT_EQ(m1.payload, "after");
    EXPECT_EQ(m2.kind, SubscriptionKind::pattern);
    EXPECT_EQ(m2.pattern, "users:*");
    EXPECT_EQ(m2.payload, "renamed");
    CO_ASSERT_TRUE(co_await poll(io, [&] { return !shard_messages.empty(); }));
    EXPECT_EQ(shard_messages.back(), "sharded-after");
  });
  for (const SubscriberEvent& e : gaps.snapshot()) {
    if (e.type != SubscriberEventType::gap) continue;
    EXPECT_FALSE(e.likely_slow_consumer) << "an idle link was killed, not a slow one";
    EXPECT_LE(e.last_message, e.resubscribed);
  }
}

TEST(PubSubResilience, Resp2SubscriberIsResubscribedAfterClientKill) {
  test::RedisServer server;
  Options o = options_for(server);
  o.protocol = 2;
  o.retry_strategy = fast_retries();
  asio::io_context io;
  Client redis{io, o};
  GapLog gaps;
  Subscriber sub{redis, {.on_event = gaps.handler()}};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const StringList channels{"a", "b"};
    co_await sub.subscribe(channels, use_awaitable);
    co_await sub.psubscribe("p:*", use_awaitable);
    EXPECT_EQ(server.cli("CLIENT", "KILL", "TYPE", "pubsub"), "1");
    CO_ASSERT_TRUE(co_await poll(io, [&] { return gaps.count(SubscriberEventType::gap) == 1; }));
    EXPECT_EQ(co_await redis.publish("b", "after", use_awaitable), 1);
    EXPECT_EQ(co_await redis.publish("p:1", "pat", use_awaitable), 1);
    EXPECT_EQ((co_await sub.receive(use_awaitable)).payload, "after");
    EXPECT_EQ((co_await sub.receive(use_awaitable)).payload, "pat");
  });
}

// FAULTS.md row 27: the subscriber's thread stalls (a handler blocks it) while a publisher keeps
// going; the server's output buffer for it passes the pubsub limit and the server drops it.
TEST(PubSubResilience, SlowSubscriberDroppedByTheServerIsReportedAndResubscribed) {
  test::RedisServer server{{.config = {"client-output-buffer-limit pubsub 1kb 1kb 0"}}};
  Options o = options_for(server);
  o.retry_strategy = fast_retries();
  asio::io_context io;  // one thread: a blocked handler blocks the link's reads too
  Client redis{io, o};
  GapLog gaps;
  Subscriber sub{redis, {.queue_capacity = 100'000, .on_event = gaps.handler()}};
  std::atomic<bool> stalled_once{false};
  std::atomic<bool> flood_done{false};
  std::atomic<long long> after_gap{0};
  std::thread publisher;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe(
        "firehose",
        [&](const Message& m) {
          if (m.payload.starts_with("after")) ++after_gap;
          if (stalled_once.exchange(true)) return;
          // Stall until the publisher has flooded well past every buffer on the way.
          const auto until = std::chrono::steady_clock::now() + 10s;
          while (!flood_done && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(5ms);
        },
        use_awaitable);
    publisher = std::thread([&] {
      SyncClient pub{options_for(server)};
      const std::string kilobyte(1024, 'x');
      pub.publish("firehose", "first");
      while (!stalled_once) std::this_thread::sleep_for(1ms);
      for (int i = 0; i < 4000; ++i) pub.publish("firehose", kilobyte);  // 4 MB
      flood_done = true;
    });
    CO_ASSERT_TRUE(co_await poll(
        io, [&] { return gaps.count(SubscriberEventType::gap) >= 1; }, 20s));
    // Resubscribed: new messages arrive.
    for (int i = 0; i < 400 && after_gap == 0; ++i) {
      co_await redis.publish("firehose", "after", use_awaitable);
      asio::steady_timer t(io);
      t.expires_after(10ms);
      co_await t.async_wait(use_awaitable);
    }
    EXPECT_GT(after_gap.load(), 0);
  });
  publisher.join();
  const auto events = gaps.snapshot();
  bool slow = false;
  for (const auto& e : events)
    slow = slow || (e.type == SubscriberEventType::gap && e.likely_slow_consumer);
  EXPECT_TRUE(slow) << "the gap should name a slow consumer as the likely cause";
  EXPECT_NE(server.log().find("output buffer"), std::string::npos)
      << "the server should have dropped the subscriber for its output buffer";
}

TEST(PubSubSharded, ShardChannelsDeliverOnAClusterModeServerAlongsideOtherKinds) {
  test::RedisServer server{cluster_node()};
  serve_every_slot(server);
  asio::io_context io;
  Client redis{io, options_for(server)};
  Subscriber sub{redis};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const StringList shards{"{user:1}:events", "{user:2}:events"};
    co_await sub.ssubscribe(shards, use_awaitable);
    co_await sub.subscribe("plain", use_awaitable);
    for (int i = 0; i < 100; ++i) {
      co_await redis.spublish("{user:1}:events", std::to_string(i), use_awaitable);
    }
    co_await redis.spublish("{user:2}:events", "two", use_awaitable);
    for (int i = 0; i < 100; ++i) {
      Message m = co_await sub.receive(use_awaitable);
      EXPECT_EQ(m.kind, SubscriptionKind::shard_channel);
      EXPECT_EQ(m.channel, "{user:1}:events");
      EXPECT_EQ(m.payload, std::to_string(i));
    }
    EXPECT_EQ((co_await sub.receive(use_awaitable)).payload, "two");
    co_await sub.sunsubscribe("{user:1}:events", use_awaitable);
    EXPECT_EQ(co_await redis.spublish("{user:1}:events", "x", use_awaitable), 0);
  });
}

}  // namespace
}  // namespace redwire::testing
