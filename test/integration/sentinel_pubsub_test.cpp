// Pub/Sub behind Sentinel (FAULTS.md row 16): a subscription on a Sentinel-backed client is
// resubscribed on the new master after a failover, and the gap is reported, whether it rides on
// the client's RESP3 link or on a dedicated (RESP2) link of the Subscriber's own.
#include <asio/use_future.hpp>
#include <functional>

#include "redwire/pubsub.hpp"
#include "redwire/test/ports.hpp"
#include "sentinel_fixture.hpp"

namespace redwire::testing {
namespace {

using test::SentinelTopology;

// protocol 3: the subscription rides on the client's own link; protocol 2: on a dedicated
// link the Subscriber opens, which must find and follow the master as the client's link does.
void expect_resubscribed_on_the_new_master_after_a_failover(int protocol) {
  SentinelTopology topo;
  auto so = sentinel_options_for(topo);
  so.node.protocol = protocol;
  so.node.port = test::free_port();  // a link that skipped discovery would find nothing here
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  Client redis = sentinel_client(io, so);
  std::thread io_thread([&] { io.run(); });
  // Stops the io thread however the test ends (a failed ASSERT, a wait_until that throws).
  struct Stop {
    std::function<void()> run;
    ~Stop() { run(); }
  } stop{[&] {
    redis.disconnect();
    work.reset();
    io.stop();
    io_thread.join();
  }};

  std::mutex m;
  std::vector<std::string> got;
  std::atomic<int> gaps{0};
  SubscriberOptions sopts;
  sopts.on_event = [&](const SubscriberEvent& e) {
    if (e.type == SubscriberEventType::gap) ++gaps;
  };
  auto received = [&](const std::string& payload) {
    std::lock_guard lock(m);
    return std::find(got.begin(), got.end(), payload) != got.end();
  };
  {
    Subscriber sub{redis, sopts};
    auto handler = [&](const Message& msg) {
      std::lock_guard lock(m);
      got.push_back(msg.payload);
    };
    auto subscribed = sub.subscribe("news", handler, asio::use_future);
    // (max_retries_per_request is unlimited here: a link that never finds the master waits.)
    ASSERT_EQ(subscribed.wait_for(std::chrono::seconds(20)), std::future_status::ready)
        << "not subscribed: the subscriber's link did not find the master";
    subscribed.get();
    EXPECT_EQ(topo.master().cli("PUBLISH", "news", "before"), "1");
    test::wait_until([&] { return received("before"); }, std::chrono::seconds(5), "\"before\"");

    const std::uint16_t new_port = topo.failover(std::chrono::seconds(30), false);
    test::RedisServer& new_master = *topo.server_by_port(new_port);
    // Pub/Sub is at-most-once: publish until the resubscribed link is there to hear it.
    test::wait_until([&] { return new_master.cli("PUBLISH", "news", "after") != "0"; },
                     std::chrono::seconds(10), "the subscription on the new master");
    test::wait_until([&] { return received("after"); }, std::chrono::seconds(5), "\"after\"");
    EXPECT_GE(gaps.load(), 1);  // the user was told that messages may have been missed
    sub.close();
  }
}

TEST(SentinelPubSub, SubscriptionIsResubscribedOnTheNewMasterAfterAFailover) {
  expect_resubscribed_on_the_new_master_after_a_failover(3);
}

TEST(SentinelPubSub, SubscriptionOnADedicatedResp2LinkFollowsTheFailoverToo) {
  expect_resubscribed_on_the_new_master_after_a_failover(2);
}

}  // namespace
}  // namespace redwire::testing
