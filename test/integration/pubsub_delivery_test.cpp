// Pub/Sub delivery: order per channel under load, handlers and receive(), binary payloads, the
// bounded queue's drop-oldest policy, unsubscribing, cancellation, refusals that must not
// disturb the shared link, and the RESP2 dedicated link.
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "fixture.hpp"
#include "redwire/pubsub.hpp"
#include "redwire/test/child_process.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

using asio::use_awaitable;
using test::wait_until;

// "<seq>|" followed by bytes that a text protocol would mangle.
std::string payload_for(long long seq) {
  return std::to_string(seq) + std::string("|\0\r\n\xff", 5);
}

long long seq_of(const std::string& payload) {
  return std::stoll(payload.substr(0, payload.find('|')));
}

TEST_F(ServerTest, HundredThousandMessagesOnTenChannelsAndTwoPatternsArriveInOrderPerChannel) {
  constexpr long long kMessages = 100'000;
  constexpr int kChannels = 10;
  asio::io_context io;
  Client redis{io, options()};  // the subscriber rides this client's link, the publisher too
  Subscriber sub{redis, {.queue_capacity = 2 * kMessages}};
  std::map<std::string, long long> next_by_pattern_channel;  // "<pattern> <channel>" -> next seq
  long long pattern_messages = 0;
  long long pattern_out_of_order = 0;
  auto on_pattern = [&](const Message& m) {
    long long& next = next_by_pattern_channel[m.pattern + " " + m.channel];
    if (seq_of(m.payload) != next ||
        m.payload.substr(m.payload.find('|')) != payload_for(0).substr(1)) {
      ++pattern_out_of_order;
    }
    next = seq_of(m.payload) + 1;
    ++pattern_messages;
  };
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    std::vector<std::string> channels;
    for (int c = 0; c < kChannels; ++c) channels.push_back("ch:" + std::to_string(c));
    co_await sub.subscribe(channels, use_awaitable);
    const StringList patterns{"ch:[02468]", "ch:[13579]"};
    co_await sub.psubscribe(patterns, on_pattern, use_awaitable);
    // Per channel the sequence numbers run 0, 1, 2, ... in publish order.
    long long published_ok = 0;
    for (long long i = 0; i < kMessages; ++i) {
      const long long per_channel_seq = i / kChannels;
      redis.publish("ch:" + std::to_string(i % kChannels), payload_for(per_channel_seq),
                    [&](std::error_code ec, long long receivers) {
                      if (!ec && receivers == 2) ++published_ok;  // the channel and one pattern
                    });
    }
    std::map<std::string, long long> next_by_channel;
    long long out_of_order = 0;
    for (long long i = 0; i < kMessages; ++i) {
      Message m = co_await sub.receive(use_awaitable);
      long long& next = next_by_channel[m.channel];
      if (m.kind != SubscriptionKind::channel || seq_of(m.payload) != next ||
          m.payload != payload_for(next)) {
        ++out_of_order;
      }
      next = seq_of(m.payload) + 1;
    }
    EXPECT_EQ(out_of_order, 0);
    EXPECT_EQ(next_by_channel.size(), static_cast<std::size_t>(kChannels));
    for (const auto& [channel, next] : next_by_channel)
      EXPECT_EQ(next, kMessages / kChannels) << channel;
    // The same link kept serving commands throughout.
    EXPECT_EQ(co_await redis.ping(use_awaitable), "PONG");
    EXPECT_EQ(published_ok, kMessages);
    asio::steady_timer t(io);
    for (int i = 0; i < 500 && pattern_messages < kMessages; ++i) {
      t.expires_after(10ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_EQ(pattern_messages, kMessages);
  EXPECT_EQ(pattern_out_of_order, 0);
  EXPECT_EQ(next_by_pattern_channel.size(), static_cast<std::size_t>(kChannels));
  EXPECT_EQ(sub.dropped(), 0u);
}

TEST_F(ServerTest, FullQueueDropsTheOldestMessagesCountsAndReportsThem) {
  asio::io_context io;
  Client redis{io, options()};
  std::atomic<int> overflow_events{0};
  std::atomic<std::uint64_t> reported{0};
  Subscriber sub{redis, {.queue_capacity = 100, .on_event = [&](const SubscriberEvent& e) {
                           if (e.type != SubscriberEventType::overflow) return;
                           ++overflow_events;
                           reported = e.dropped;
                         }}};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe("burst", use_awaitable);
    for (int i = 0; i < 1000; ++i)
      redis.publish("burst", std::to_string(i), [](std::error_code, long long) {});
    asio::steady_timer t(io);
    for (int i = 0; i < 500 && sub.dropped() < 900; ++i) {  // nobody receives meanwhile
      t.expires_after(10ms);
      co_await t.async_wait(use_awaitable);
    }
    EXPECT_EQ(sub.dropped(), 900u);
    EXPECT_EQ(sub.queued(), 100u);
    for (int i = 900; i < 1000; ++i) {  // the newest 100, in order
      Message m = co_await sub.receive(use_awaitable);
      EXPECT_EQ(m.payload, std::to_string(i));
    }
  });
  EXPECT_EQ(overflow_events.load(), 1);  // once per overflow episode, not per message
  EXPECT_GE(reported.load(), 1u);
}

TEST_F(ServerTest, UnsubscribeStopsDeliveryAndHandlersGetOnlyTheirChannels) {
  asio::io_context io;
  Client redis{io, options()};
  Subscriber sub{redis};
  std::vector<std::string> news;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe(
        "news", [&](const Message& m) { news.push_back(m.payload); }, use_awaitable);
    const StringList both{"a", "b"};
    co_await sub.subscribe(both, use_awaitable);
    co_await sub.unsubscribe("a", use_awaitable);
    EXPECT_EQ(co_await redis.publish("a", "nobody", use_awaitable), 0);
    EXPECT_EQ(co_await redis.publish("b", "to-b", use_awaitable), 1);
    EXPECT_EQ(co_await redis.publish("news", "n1", use_awaitable), 1);
    Message m = co_await sub.receive(use_awaitable);
    EXPECT_EQ(m.channel, "b");
    EXPECT_EQ(m.payload, "to-b");
    asio::steady_timer t(io);
    for (int i = 0; i < 200 && news.empty(); ++i) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_EQ(news, std::vector<std::string>{"n1"});
  EXPECT_EQ(sub.queued(), 0u);
}

TEST_F(ServerTest, ReceiveCanBeCancelledWithoutLosingTheNextMessage) {
  asio::io_context io;
  Client redis{io, options()};
  Subscriber sub{redis};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe("c", use_awaitable);
    asio::cancellation_signal cancel;
    std::error_code cancelled;
    sub.receive(asio::bind_cancellation_slot(cancel.slot(),
                                             [&](std::error_code ec, Message) { cancelled = ec; }));
    cancel.emit(asio::cancellation_type::terminal);
    asio::steady_timer t(io);
    for (int i = 0; i < 200 && !cancelled; ++i) {
      t.expires_after(1ms);
      co_await t.async_wait(use_awaitable);
    }
    EXPECT_EQ(cancelled, asio::error::operation_aborted);
    co_await redis.publish("c", "kept", use_awaitable);
    Message m = co_await sub.receive(use_awaitable);
    EXPECT_EQ(m.payload, "kept");
  });
}

TEST_F(ServerTest, CloseEndsPendingReceiveAndLaterCalls) {
  asio::io_context io;
  Client redis{io, options()};
  Subscriber sub{redis};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe("c", use_awaitable);
    std::error_code pending;
    sub.receive([&](std::error_code ec, Message) { pending = ec; });
    sub.close();
    std::error_code later;
    co_await sub.subscribe("d", asio::redirect_error(use_awaitable, later));
    EXPECT_EQ(later, errc::connection_closed);
    EXPECT_EQ(pending, errc::connection_closed);
    // The client's link left subscribed mode's channels behind and still works.
    EXPECT_EQ(co_await redis.publish("c", "gone", use_awaitable), 0);
  });
}

// A refused subscription must not shift replies on the shared link (the error reply arrives
// where a push-only success would have given no in-band reply at all).
void refused_subscription_leaves_the_link_in_step(bool dedicated) {
  test::RedisServer server{
      {.users = {test::AclUser{
           .name = "limited", .password = "pw", .rules = "on ~* resetchannels &allowed:* +@all"}}}};
  Options o = options_for(server);
  o.username = "limited";
  o.password = "pw";
  asio::io_context io;
  Client redis{io, o};
  std::vector<SubscriberEvent> events;
  Subscriber sub{redis, {.dedicated_link = dedicated, .on_event = [&](const SubscriberEvent& e) {
                           events.push_back(e);
                         }}};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await redis.set("k", "v", use_awaitable);
    std::error_code ec;
    co_await sub.subscribe("forbidden", asio::redirect_error(use_awaitable, ec));
    EXPECT_EQ(ec, server_errc::noperm) << ec.message();
    EXPECT_EQ(co_await redis.get("k", use_awaitable), std::optional<std::string>("v"));
    co_await sub.subscribe("allowed:1", use_awaitable);
    co_await redis.publish("allowed:1", "ok", use_awaitable);
    Message m = co_await sub.receive(use_awaitable);
    EXPECT_EQ(m.payload, "ok");
    EXPECT_EQ(co_await redis.incr("n", use_awaitable), 1);
  });
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().type, SubscriberEventType::refused);
  EXPECT_EQ(events.front().names, std::vector<std::string>{"forbidden"});
  EXPECT_NE(events.front().detail.find("NOPERM"), std::string::npos) << events.front().detail;
}

TEST(PubSubRefusal, NopermOnTheSharedLinkFailsOnlyThatSubscription) {
  refused_subscription_leaves_the_link_in_step(false);
}

TEST(PubSubRefusal, NopermOnADedicatedLinkFailsOnlyThatSubscription) {
  refused_subscription_leaves_the_link_in_step(true);
}

// A Lua script keeps the server busy: the subscription gets BUSY (in place of QUEUED) and the
// shared link stays in step — no transaction left open, no reply shifted.
TEST(PubSubRefusal, SubscribeWhileAScriptKeepsTheServerBusyFailsWithBusyAndNothingElse) {
  test::RedisServer server{{.config = {"busy-reply-threshold 50"}}};
  asio::io_context io;
  Client redis{io, options_for(server)};
  Subscriber sub{redis};
  run_coroutine(io, [&]() -> asio::awaitable<void> { co_await redis.ping(use_awaitable); });
  const std::string port = std::to_string(server.port());
  std::thread script([&] {
    test::run_command({"redis-cli", "-p", port, "EVAL", "while true do end", "0"}, 20s);
  });
  wait_until(
      [&] {
        return test::run_command({"redis-cli", "-p", port, "PING"}).out.find("BUSY") !=
               std::string::npos;
      },
      10s, "the script to keep the server busy");
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    std::error_code ec;
    co_await sub.subscribe("during", asio::redirect_error(use_awaitable, ec));
    EXPECT_EQ(ec, server_errc::busy) << ec.message();
    test::run_command({"redis-cli", "-p", port, "SCRIPT", "KILL"});
    wait_until(
        [&] {
          return test::run_command({"redis-cli", "-p", port, "PING"}).out == "PONG\n";
        },
        10s, "the script to end");
    EXPECT_EQ(co_await redis.incr("n", use_awaitable), 1);
    co_await sub.subscribe("after", use_awaitable);
    EXPECT_EQ(co_await redis.publish("after", "x", use_awaitable), 1);
    EXPECT_EQ((co_await sub.receive(use_awaitable)).payload, "x");
  });
  script.join();
}

TEST_F(ServerTest, Resp2SubscriberUsesADedicatedLinkAndDeliversInOrder) {
  Options o = options();
  o.protocol = 2;
  asio::io_context io;
  Client redis{io, o};
  Subscriber sub{redis};
  std::vector<std::string> by_pattern;
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.subscribe("r2", use_awaitable);
    co_await sub.psubscribe(
        "p2:*", [&](const Message& m) { by_pattern.push_back(m.channel + "=" + m.payload); },
        use_awaitable);
    for (int i = 0; i < 1000; ++i)
      redis.publish("r2", payload_for(i), [](std::error_code, long long) {});
    co_await redis.publish("p2:x", "px", use_awaitable);
    for (int i = 0; i < 1000; ++i) {
      Message m = co_await sub.receive(use_awaitable);
      EXPECT_EQ(m.payload, payload_for(i));
    }
    // The client's own link is not in subscribed mode: ordinary commands work.
    EXPECT_EQ(co_await redis.incr("counter", use_awaitable), 1);
    asio::steady_timer t(io);
    for (int i = 0; i < 200 && by_pattern.empty(); ++i) {
      t.expires_after(5ms);
      co_await t.async_wait(use_awaitable);
    }
  });
  EXPECT_EQ(by_pattern, std::vector<std::string>{"p2:x=px"});
  const auto clients = server.cli("CLIENT", "LIST", "TYPE", "pubsub");
  EXPECT_NE(clients.find("psub=1"), std::string::npos) << clients;
}

TEST_F(ServerTest, ShardChannelsWorkOnAStandaloneServerToo) {
  asio::io_context io;
  Client redis{io, options()};
  Subscriber sub{redis};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    co_await sub.ssubscribe("shard", use_awaitable);  // on a link of its own (not in MULTI)
    co_await sub.subscribe("plain", use_awaitable);
    EXPECT_EQ(co_await redis.spublish("shard", "sharded", use_awaitable), 1);
    EXPECT_EQ(co_await redis.publish("plain", "plain", use_awaitable), 1);
    Message a = co_await sub.receive(use_awaitable);
    Message b = co_await sub.receive(use_awaitable);
    if (a.kind != SubscriptionKind::shard_channel) std::swap(a, b);  // two links: any order
    EXPECT_EQ(a.kind, SubscriptionKind::shard_channel);
    EXPECT_EQ(a.payload, "sharded");
    EXPECT_EQ(b.kind, SubscriptionKind::channel);
    EXPECT_EQ(b.payload, "plain");
  });
  const auto clients = server.cli("CLIENT", "LIST", "TYPE", "pubsub");
  EXPECT_NE(clients.find("ssub=1"), std::string::npos) << clients;
}

}  // namespace
}  // namespace redwire::testing
