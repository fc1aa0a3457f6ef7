// Every typed list command against a real server, blocking forms included.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using ListCommandsTest = ServerTest;
using Strings = std::vector<std::string>;

TEST_F(ListCommandsTest, PushPopAndRanges) {
  SyncClient r{options()};
  EXPECT_EQ(r.lpushx("l", "x"), 0);  // no list yet
  EXPECT_EQ(r.rpush("l", {"a", "b", "c"}), 3);
  EXPECT_EQ(r.lpush("l", "z"), 4);
  EXPECT_EQ(r.rpushx("l", "d"), 5);
  EXPECT_EQ(r.lpushx("l", "y"), 6);
  EXPECT_EQ(r.lrange("l", 0, -1), (Strings{"y", "z", "a", "b", "c", "d"}));
  EXPECT_EQ(r.llen("l"), 6);
  EXPECT_EQ(r.lpop("l"), "y");
  EXPECT_EQ(r.rpop("l"), "d");
  EXPECT_EQ(r.lpop("l", 2), (Strings{"z", "a"}));
  EXPECT_EQ(r.rpop("l", 5), (Strings{"c", "b"}));
  EXPECT_EQ(r.lpop("l", 2), std::nullopt);  // the list is gone
  EXPECT_EQ(r.rpop("l"), std::nullopt);
}

TEST_F(ListCommandsTest, IndexInsertSetRemoveTrim) {
  SyncClient r{options()};
  r.rpush("l", {"a", "b", "c", "b"});
  EXPECT_EQ(r.lindex("l", 1), "b");
  EXPECT_EQ(r.lindex("l", 99), std::nullopt);
  EXPECT_EQ(r.linsert("l", InsertPosition::before, "c", "x"), 5);
  EXPECT_EQ(r.linsert("l", InsertPosition::after, "none", "x"), -1);
  r.lset("l", 0, "A");
  EXPECT_EQ(r.lrem("l", 0, "b"), 2);
  EXPECT_EQ(r.lrange("l", 0, -1), (Strings{"A", "x", "c"}));
  r.ltrim("l", 1, -1);
  EXPECT_EQ(r.lrange("l", 0, -1), (Strings{"x", "c"}));
}

TEST_F(ListCommandsTest, Lpos) {
  SyncClient r{options()};
  r.rpush("l", {"a", "b", "c", "b", "b"});
  EXPECT_EQ(r.lpos("l", "b"), 1);
  EXPECT_EQ(r.lpos("l", "none"), std::nullopt);
  EXPECT_EQ(r.lpos("l", "b", {.rank = -1}), 4);
  EXPECT_EQ(r.lpos("l", "b", {.rank = 2}), 3);
  EXPECT_EQ(r.lpos("l", "b", {.maxlen = 1}), std::nullopt);
  EXPECT_EQ(r.lpos_count("l", "b", 0, {}), (std::vector<long long>{1, 3, 4}));
  EXPECT_EQ(r.lpos_count("l", "b", 2, {.rank = -1}), (std::vector<long long>{4, 3}));
}

TEST_F(ListCommandsTest, MoveAndMultiPop) {
  SyncClient r{options()};
  r.rpush("src", {"1", "2", "3"});
  EXPECT_EQ(r.lmove("src", "dst", ListEnd::right, ListEnd::left), "3");
  EXPECT_EQ(r.lmove("none", "dst", ListEnd::left, ListEnd::left), std::nullopt);
  const auto popped = r.lmpop({"empty", "src"}, ListEnd::left, 5);
  ASSERT_TRUE(popped.has_value());
  EXPECT_EQ(popped->key, "src");
  EXPECT_EQ(popped->elements, (Strings{"1", "2"}));
  EXPECT_EQ(r.lmpop({"empty", "src"}, ListEnd::left, 1), std::nullopt);
}

TEST_F(ListCommandsTest, BlockingFormsWaitAndTimeOut) {
  SyncClient r{options()};
  r.rpush("q", {"a", "b", "c", "d"});
  EXPECT_EQ(r.blpop({"none", "q"}, 1s), (std::pair<std::string, std::string>{"q", "a"}));
  EXPECT_EQ(r.brpop("q", 1s), (std::pair<std::string, std::string>{"q", "d"}));
  EXPECT_EQ(r.blmove("q", "q2", ListEnd::left, ListEnd::right, 1s), "b");
  const auto popped = r.blmpop(1s, {"q"}, ListEnd::right, 10);
  ASSERT_TRUE(popped.has_value());
  EXPECT_EQ(popped->elements, Strings{"c"});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(r.blmove("q", "q2", ListEnd::left, ListEnd::right, 0.2s), std::nullopt);
  EXPECT_EQ(r.blmpop(0.2s, {"q"}, ListEnd::left, 1), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 350ms);
  EXPECT_THROW(r.blmpop(-1s, {"q"}, ListEnd::left, 1), Error);  // rejected before sending
}

TEST_F(ListCommandsTest, BlockingPopIsWokenByAnotherCaller) {
  asio::io_context io;
  auto o = options();
  o.command_timeout = 200ms;  // counts after the block window
  Client redis{io, o};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    asio::steady_timer later(io, 300ms);
    later.async_wait([&](std::error_code) { redis.rpush("jobs", "job-1", [](auto, auto) {}); });
    const StringList keys{"jobs"};
    auto got = co_await redis.blmpop(5s, keys, ListEnd::left, 1, asio::use_awaitable);
    CO_ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->elements, Strings{"job-1"});
  });
}

}  // namespace
}  // namespace redwire::testing
