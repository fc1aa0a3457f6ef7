// PUBLISH, SPUBLISH and PUBSUB introspection against subscribers on raw connections (the
// Subscriber class has its own tests in pubsub_*_test.cpp).
#include <algorithm>

#include "fixture.hpp"
#include "redwire/test/raw_connection.hpp"

namespace redwire::testing {
namespace {

using PubSubCommandsTest = ServerTest;

TEST_F(PubSubCommandsTest, PublishCountsReceiversAndIntrospectionSeesSubscriptions) {
  auto channels = test::RawConnection::connect("127.0.0.1", server.port());
  auto patterns = test::RawConnection::connect("127.0.0.1", server.port());
  auto shards = test::RawConnection::connect("127.0.0.1", server.port());
  channels.command({"SUBSCRIBE", "news.tech"});
  ASSERT_NE(channels.command({"SUBSCRIBE", "news.art"}).find("news.art"), std::string::npos);
  ASSERT_NE(patterns.command({"PSUBSCRIBE", "news.*"}).find("news.*"), std::string::npos);
  ASSERT_NE(shards.command({"SSUBSCRIBE", "orders:{7}"}).find("orders:{7}"), std::string::npos);

  SyncClient r{options()};
  EXPECT_EQ(r.publish("news.tech", "hello"), 2);  // the channel and the pattern
  EXPECT_NE(channels.read_reply().find("hello"), std::string::npos);
  EXPECT_NE(patterns.read_reply().find("hello"), std::string::npos);
  EXPECT_EQ(r.publish("nobody", "x"), 0);
  EXPECT_EQ(r.spublish("orders:{7}", "shipped"), 1);
  EXPECT_NE(shards.read_reply().find("shipped"), std::string::npos);

  auto names = r.pubsub_channels("news.*");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"news.art", "news.tech"}));
  EXPECT_TRUE(r.pubsub_channels("sports.*").empty());
  const std::vector<std::pair<std::string, long long>> counts{{"news.tech", 1}, {"none", 0}};
  EXPECT_EQ(r.pubsub_numsub({"news.tech", "none"}), counts);
  EXPECT_EQ(r.pubsub_numpat(), 1);
  EXPECT_EQ(r.pubsub_shardchannels("orders:*"), std::vector<std::string>{"orders:{7}"});
  const std::vector<std::pair<std::string, long long>> shard_counts{{"orders:{7}", 1}};
  EXPECT_EQ(r.pubsub_shardnumsub({"orders:{7}"}), shard_counts);
}

}  // namespace
}  // namespace redwire::testing
