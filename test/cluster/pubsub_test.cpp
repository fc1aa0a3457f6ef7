// Pub/Sub on the cluster (FAULTS row 28): channels through one node, shard channels at their
// slot's master, and a shard channel that follows its slot to a new master.
#include <asio/use_future.hpp>
#include <condition_variable>
#include <deque>

#include "cluster_fixture.hpp"

namespace redwire::cluster_testing {
namespace {

// Messages from handlers (the client's io thread), read by the test thread.
class Inbox {
 public:
  MessageHandler handler() {
    return [this](const Message& m) {
      std::lock_guard lock(m_);
      messages_.push_back(m);
      cv_.notify_all();
    };
  }
  std::optional<Message> next(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(m_);
    if (!cv_.wait_for(lock, timeout, [&] { return !messages_.empty(); })) return std::nullopt;
    Message m = std::move(messages_.front());
    messages_.pop_front();
    return m;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<Message> messages_;
};

TEST(ClusterPubSub, ChannelsAndPatternsGoThroughOneNode) {
  SyncClusterClient r{cluster_options()};
  ClusterSubscriber sub{r.async()};
  Inbox inbox;
  sub.subscribe({"news"}, inbox.handler(), asio::use_future).get();
  sub.psubscribe({"alerts.*"}, inbox.handler(), asio::use_future).get();
  r.command<long long>("PUBLISH", "news", "hello");  // any master: the cluster broadcasts it
  auto m = inbox.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->channel, "news");
  EXPECT_EQ(m->payload, "hello");
  // Published on another node than the subscriber's, straight through redis-cli.
  for (RedisServer* master : topology().masters()) master->cli("PUBLISH", "alerts.disk", "full");
  for (std::size_t i = 0; i < topology().masters().size(); ++i) {
    auto a = inbox.next();
    ASSERT_TRUE(a) << i;
    EXPECT_EQ(a->pattern, "alerts.*");
    EXPECT_EQ(a->payload, "full");
  }
  sub.unsubscribe({"news"}, asio::use_future).get();
}

TEST(ClusterPubSub, ShardChannelsAreSubscribedAtTheirSlotsMaster) {
  SyncClusterClient r{cluster_options()};
  ClusterSubscriber sub{r.async()};
  Inbox inbox;
  const StringList channels{"orders:{1}", "orders:{2}", "orders:{3}"};
  sub.ssubscribe(channels, inbox.handler(), asio::use_future).get();
  for (const auto& [name, at] : sub.shard_channels()) {
    EXPECT_EQ(at.port, topology().master_of_slot(cluster::key_slot(name)).port()) << name;
    EXPECT_EQ(r.command<long long>("SPUBLISH", name, "paid"), 1) << name;  // routed by slot
    auto m = inbox.next();
    ASSERT_TRUE(m) << name;
    EXPECT_EQ(m->channel, name);
    EXPECT_EQ(m->kind, SubscriptionKind::shard_channel);
  }
}

TEST(ClusterPubSub, AShardChannelFollowsItsSlotToTheNewMaster) {
  SyncClusterClient r{cluster_options()};
  ClusterSubscriber sub{r.async()};
  Inbox inbox;
  const std::string channel = "moving:{shard}";
  const int slot = cluster::key_slot(channel);
  sub.ssubscribe({channel}, inbox.handler(), asio::use_future).get();
  RedisServer& source = topology().master_of_slot(slot);
  RedisServer& target = other_master(source);
  EXPECT_EQ(source.cli("SPUBLISH", channel, "before"), "1");
  ASSERT_TRUE(inbox.next());

  SlotMigration migration(slot, source, target);
  migration.begin();
  migration.finish();  // the source pushes `sunsubscribe` to its subscribers
  const auto moved_at = std::chrono::steady_clock::now();
  test::wait_until([&] { return target.cli("PUBSUB", "SHARDNUMSUB", channel).ends_with("\n1"); },
                   10s, "the subscriber to subscribe at the slot's new master");
  const auto resubscribed_after = std::chrono::steady_clock::now() - moved_at;
  EXPECT_EQ(target.cli("SPUBLISH", channel, "after"), "1");
  auto m = inbox.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload, "after");
  EXPECT_EQ(sub.shard_channels().at(channel).port, target.port());
  std::cout << "[ pubsub   ] shard channel resubscribed at the new master "
            << std::chrono::duration_cast<std::chrono::milliseconds>(resubscribed_after).count()
            << " ms after its slot moved\n";
}

}  // namespace
}  // namespace redwire::cluster_testing
