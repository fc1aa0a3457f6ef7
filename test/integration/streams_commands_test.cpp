// The typed stream commands against a real server, under RESP3 and RESP2 (the reply shapes
// differ: maps vs flat arrays).
#include "fixture.hpp"
#include "redwire/streams.hpp"
#include "redwire/test/wait.hpp"

namespace redwire::testing {
namespace {

class StreamCommandsTest : public ServerTest, public ::testing::WithParamInterface<int> {
 protected:
  Options resp() const {
    Options o = options();
    o.protocol = GetParam();
    return o;
  }
};

INSTANTIATE_TEST_SUITE_P(Protocols, StreamCommandsTest, ::testing::Values(3, 2),
                         [](const auto& p) { return "Resp" + std::to_string(p.param); });

TEST_P(StreamCommandsTest, AddRangeLengthTrimDelete) {
  SyncClient r{resp()};
  const std::string id1 = r.xadd("s", {{"orderId", "o-123"}, {"amount", "49.99"}});
  const std::string id2 = r.xadd("s", {{"bin", std::string_view("\0\r\n", 3)}});
  EXPECT_LT(id1, id2);
  EXPECT_EQ(r.xlen("s"), 2);
  auto all = r.xrange("s", "-", "+");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, id1);
  EXPECT_EQ(all[0].field("orderId"), std::optional<std::string_view>("o-123"));
  EXPECT_EQ(all[0].field("missing"), std::nullopt);
  EXPECT_EQ(all[1].fields[0].second, std::string("\0\r\n", 3));
  EXPECT_EQ(r.xrevrange("s", "+", "-", 1).at(0).id, id2);
  EXPECT_EQ(r.xrange("s", "-", "+", 1).size(), 1u);

  auto explicit_id = r.xadd("s", {{"k", "v"}}, XAddOptions{.id = "9999999999999-1"});
  EXPECT_EQ(explicit_id, std::optional<std::string>("9999999999999-1"));
  EXPECT_EQ(r.xadd("absent", {{"k", "v"}}, XAddOptions{.nomkstream = true}), std::nullopt);
  EXPECT_EQ(r.xlen("absent"), 0);

  for (int i = 0; i < 20; ++i)
    r.xadd("capped", {{"i", std::to_string(i)}}, {.trim = {.maxlen = 5}});
  EXPECT_EQ(r.xlen("capped"), 5);
  EXPECT_EQ(r.xrange("capped", "-", "+").front().field("i"), std::optional<std::string_view>("15"));
  EXPECT_EQ(r.xtrim("capped", {.maxlen = 2}), 3);
  const std::string newest = r.xrevrange("capped", "+", "-", 1).at(0).id;
  EXPECT_EQ(r.xtrim("capped", {.minid = newest}), 1);
  EXPECT_GE(r.xtrim("capped", {.maxlen = 0, .approximate = true, .limit = 10}), 0);
  EXPECT_EQ(r.xdel("s", {id1, "1-1"}), 1);
  // XSETID moves the last ID forward: later auto IDs are above it; below it is refused.
  r.xadd("ids", {{"f", "v"}});
  r.xsetid("ids", "99999999999999-0");
  EXPECT_EQ(r.xadd("ids", {{"f", "v"}}), "99999999999999-1");
  EXPECT_THROW(r.xsetid("ids", "1-0"), ReplyError);
  EXPECT_EQ(r.xlen("s"), 2);
}

TEST_P(StreamCommandsTest, ConflictingOptionsAreRejectedBeforeSending) {
  SyncClient r{resp()};
  EXPECT_THROW((r.xadd("s", {{"k", "v"}}, {.trim = {.maxlen = 1, .minid = "1-0"}})), Error);
  EXPECT_THROW(r.xtrim("s", StreamTrim{}), Error);
  EXPECT_THROW(r.xadd("s", FieldValues{}), Error);
  EXPECT_THROW(r.xread(StreamOffsets{}, XReadOptions{}), Error);
  EXPECT_EQ(r.xlen("s"), 0);
}

TEST_P(StreamCommandsTest, ReadWithCountAndBlock) {
  SyncClient r{resp()};
  EXPECT_TRUE(r.xread("nothing", "$", {.block = 50ms}).empty());  // BLOCK timed out: nil
  r.xadd("a", {{"n", "1"}});
  r.xadd("a", {{"n", "2"}});
  r.xadd("b", {{"n", "3"}});
  const StreamOffsets both{{"a", "0"}, {"b", "0"}};
  auto got = r.xread(both, {.count = 1});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].stream, "a");
  EXPECT_EQ(got[0].entries.size(), 1u);
  EXPECT_EQ(got[1].stream, "b");
  EXPECT_EQ(got[1].entries.at(0).field("n"), std::optional<std::string_view>("3"));

  // BLOCK that is answered by a later XADD from another client.
  std::thread producer([&] {
    test::wait_until(
        [&] { return server.cli("CLIENT", "LIST").find("flags=b ") != std::string::npos; }, 10s,
        "the reader to block");
    SyncClient p{options()};
    p.xadd("later", {{"x", "y"}});
  });
  auto woke = r.xread("later", "$", {.block = 5s});
  producer.join();
  ASSERT_EQ(woke.size(), 1u);
  EXPECT_EQ(woke[0].entries.at(0).field("x"), std::optional<std::string_view>("y"));
}

TEST_P(StreamCommandsTest, ConsumerGroupLifecycle) {
  SyncClient r{resp()};
  EXPECT_TRUE(r.xgroup_create_if_missing("orders", "workers", "$", {.mkstream = true}));
  EXPECT_FALSE(r.xgroup_create_if_missing("orders", "workers", "$", {.mkstream = true}));
  try {
    r.xgroup_create("orders", "workers", "$");
    FAIL() << "expected BUSYGROUP";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::busygroup);
  }
  EXPECT_TRUE(r.xgroup_createconsumer("orders", "workers", "c1"));
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(r.xadd("orders", {{"i", std::to_string(i)}}));

  auto got = r.xreadgroup("workers", "c1", "orders", ">", {.count = 2});
  ASSERT_EQ(got.size(), 1u);
  ASSERT_EQ(got[0].entries.size(), 2u);
  EXPECT_EQ(got[0].entries[0].id, ids[0]);

  PendingSummary summary = r.xpending("orders", "workers");
  EXPECT_EQ(summary.count, 2);
  EXPECT_EQ(summary.smallest_id, std::optional<std::string>(ids[0]));
  EXPECT_EQ(summary.greatest_id, std::optional<std::string>(ids[1]));
  ASSERT_EQ(summary.consumers.size(), 1u);
  EXPECT_EQ(summary.consumers[0], (std::pair<std::string, long long>("c1", 2)));

  // Re-reading the consumer's own history counts as another delivery.
  auto again = r.xreadgroup("workers", "c1", "orders", "0", {.count = 10});
  EXPECT_EQ(again.at(0).entries.size(), 2u);
  auto rows = r.xpending("orders", "workers", XPendingRange{.count = 10, .consumer = "c1"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, ids[0]);
  EXPECT_EQ(rows[0].consumer, "c1");
  EXPECT_EQ(rows[0].deliveries, 2);

  EXPECT_EQ(r.xack("orders", "workers", ids[0]), 1);
  // A deleted pending entry reads back with its ID only.
  r.xdel("orders", ids[1]);
  auto history = r.xreadgroup("workers", "c1", "orders", "0", {});
  ASSERT_EQ(history.at(0).entries.size(), 1u);
  EXPECT_TRUE(history[0].entries[0].deleted);
  EXPECT_EQ(history[0].entries[0].id, ids[1]);

  auto noack = r.xreadgroup("workers", "c2", "orders", ">", {.noack = true});
  EXPECT_EQ(noack.at(0).entries.at(0).id, ids[2]);
  EXPECT_EQ(r.xpending("orders", "workers").count, 1);  // only the deleted one, still c1's

  r.xgroup_setid("orders", "workers", "0");
  EXPECT_EQ(r.xgroup_delconsumer("orders", "workers", "c2"), 0);
  EXPECT_TRUE(r.xgroup_destroy("orders", "workers"));
  EXPECT_FALSE(r.xgroup_destroy("orders", "workers"));
  try {
    r.xreadgroup("workers", "c1", "orders", ">", {});
    FAIL() << "expected NOGROUP";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::nogroup);
  }
}

TEST_P(StreamCommandsTest, ClaimAndAutoclaim) {
  SyncClient r{resp()};
  r.xgroup_create("jobs", "g", "0", {.mkstream = true});
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(r.xadd("jobs", {{"i", std::to_string(i)}}));
  r.xreadgroup("g", "dead", "jobs", ">", {});
  std::this_thread::sleep_for(100ms);  // idle time is what is being tested

  auto claimed = r.xclaim("jobs", "g", "alive", 10ms, ids[0]);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].field("i"), std::optional<std::string_view>("0"));
  auto forced = r.xclaim("jobs", "g", "alive", 0ms, ids[1], {.idle = 100'000ms, .retrycount = 7});
  EXPECT_EQ(forced.size(), 1u);
  auto row = r.xpending("jobs", "g", XPendingRange{.start = ids[1], .end = ids[1], .count = 1});
  EXPECT_EQ(row.at(0).deliveries, 7);
  EXPECT_GE(row.at(0).idle, 100'000ms);

  r.xdel("jobs", ids[3]);
  AutoClaimResult ac = r.xautoclaim("jobs", "g", "alive", 50ms, "0-0", 10);
  EXPECT_EQ(ac.next_start, "0-0");
  // ids[1] (idle 100 s) and ids[2] are claimed; ids[3] no longer exists; ids[0] was just claimed.
  std::vector<std::string> got;
  for (const auto& e : ac.entries) got.push_back(e.id);
  EXPECT_EQ(got, (std::vector<std::string>{ids[1], ids[2]}));
  EXPECT_EQ(ac.deleted_ids, std::vector<std::string>{ids[3]});
  EXPECT_EQ(r.xpending("jobs", "g").consumers,
            (std::vector<std::pair<std::string, long long>>{{"alive", 3}}));
}

TEST_P(StreamCommandsTest, InfoStreamGroupsConsumers) {
  SyncClient r{resp()};
  const std::string first = r.xadd("s", {{"a", "1"}});
  const std::string last = r.xadd("s", {{"b", "2"}});
  r.xgroup_create("s", "g", "0");
  r.xreadgroup("g", "c", "s", ">", {.count = 1});

  StreamInfo info = r.xinfo_stream("s");
  EXPECT_EQ(info.length, 2);
  EXPECT_EQ(info.groups, 1);
  EXPECT_EQ(info.last_generated_id, last);
  ASSERT_TRUE(info.first_entry.has_value());
  EXPECT_EQ(info.first_entry->id, first);
  EXPECT_EQ(info.last_entry->field("b"), std::optional<std::string_view>("2"));
  EXPECT_EQ(info.entries_added, std::optional<long long>(2));

  auto groups = r.xinfo_groups("s");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].name, "g");
  EXPECT_EQ(groups[0].consumers, 1);
  EXPECT_EQ(groups[0].pending, 1);
  EXPECT_EQ(groups[0].last_delivered_id, first);
  EXPECT_EQ(groups[0].lag, std::optional<long long>(1));

  auto consumers = r.xinfo_consumers("s", "g");
  ASSERT_EQ(consumers.size(), 1u);
  EXPECT_EQ(consumers[0].name, "c");
  EXPECT_EQ(consumers[0].pending, 1);
  EXPECT_GE(consumers[0].idle.count(), 0);
}

TEST_F(ServerTest, StreamCommandsWithCompletionTokens) {
  asio::io_context io;
  Client redis{io, options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    const FieldValues fields{{"orderId", "o-123"}, {"amount", "49.99"}};
    const std::string id = co_await redis.xadd("stream:orders", fields, asio::use_awaitable);
    const XGroupCreateOptions mk{.mkstream = true};
    co_await redis.xgroup_create_if_missing("stream:orders", "order-workers", "0", mk,
                                            asio::use_awaitable);
    const XReadGroupOptions opts{.count = 10, .block = 5s};
    auto batches = co_await redis.xreadgroup("order-workers", "worker-1", "stream:orders", ">",
                                             opts, asio::use_awaitable);
    CO_ASSERT_TRUE(batches.size() == 1 && batches[0].entries.size() == 1);
    EXPECT_EQ(batches[0].entries[0].id, id);
    EXPECT_EQ(co_await redis.xack("stream:orders", "order-workers", id, asio::use_awaitable), 1);
  });
}

}  // namespace
}  // namespace redwire::testing
