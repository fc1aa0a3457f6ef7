// Pipelines and MULTI/EXEC against a real server: order, errors in their slots, atomic
// transactions, and the three API forms.
#include "fixture.hpp"

#include "redwire/test/fault_proxy.hpp"

namespace redwire::testing {
namespace {

using Pipelines = ServerTest;

TEST_F(Pipelines, GuideExampleReturnsOkThenTwo) {
  SyncClient r{options()};
  auto p = r.pipeline();
  auto set = p.set("a", "1");
  auto incr = p.incr("a");
  auto results = p.exec();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results.value(set));
  EXPECT_EQ(results.value(incr), 2);
}

TEST_F(Pipelines, TenThousandMixedCommandsComeBackInOrderWithErrorsInTheirSlots) {
  SyncClient r{options()};
  r.set("text", "not a number");
  auto p = r.pipeline();
  std::vector<Slot<long long>> incrs;
  std::vector<Slot<std::optional<std::string>>> gets;
  std::vector<Slot<long long>> failing;
  for (int i = 0; i < 2500; ++i) {
    const std::string key = "k" + std::to_string(i);
    p.set(key, std::to_string(i));
    incrs.push_back(p.incr(key));
    gets.push_back(p.get(key));
    failing.push_back(p.incr("text"));
  }
  ASSERT_EQ(p.size(), 10000u);
  auto results = p.exec();
  ASSERT_EQ(results.size(), 10000u);
  for (int i = 0; i < 2500; ++i) {
    const auto u = static_cast<std::size_t>(i);
    EXPECT_EQ(results.value(incrs[u]), i + 1);
    EXPECT_EQ(results.value(gets[u]), std::to_string(i + 1));
    long long ignored = 0;
    EXPECT_EQ(results.get(failing[u], ignored), server_errc::err);
    EXPECT_NE(results[failing[u].index].error_text().find("not an integer"), std::string::npos);
  }
  EXPECT_FALSE(results.all_ok());
  EXPECT_THROW(results.value(failing[0]), ReplyError);
}

TEST_F(Pipelines, CoroutineAndCallbackForms) {
  asio::io_context io;
  Client redis{io, options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    auto p = redis.pipeline();
    p.set("c", "10");
    auto n = p.incrby("c", 5);
    auto v = p.get("c");
    auto generic = p.command<std::string>("ECHO", "hi");
    auto results = co_await p.exec(asio::use_awaitable);
    EXPECT_EQ(results.value(n), 15);
    EXPECT_EQ(results.value(v), "15");
    EXPECT_EQ(results.value(generic), "hi");
  });
  auto p = redis.pipeline();
  p.ping();
  std::error_code got = make_error_code(errc::connection_lost);
  std::size_t size = 0;
  p.exec([&](std::error_code ec, PipelineResults r) {
    got = ec;
    size = r.size();
    io.stop();
  });
  io.restart();
  io.run_for(10s);
  EXPECT_FALSE(got);
  EXPECT_EQ(size, 1u);
}

TEST_F(Pipelines, BlockingCommandsAreRefused) {
  SyncClient r{options()};
  auto p = r.pipeline();
  p.set("a", "1");
  p.blpop("q", 1s);
  try {
    p.exec();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
  }
  EXPECT_EQ(server.cli("EXISTS", "a"), "0");  // nothing was sent
}

TEST(PipelineFaults, CutMidPipelineDeliversAnsweredSlotsAndMarksTheRest) {
  test::RedisServer server;
  test::FaultProxy proxy{server.port()};
  Options o = options_for(server);
  o.port = proxy.port();
  o.retry_strategy = [](std::uint32_t) { return std::optional(std::chrono::milliseconds(20)); };
  SyncClient r{o};
  r.ping();
  auto p = r.pipeline();
  std::vector<Slot<long long>> slots;
  for (int i = 0; i < 500; ++i) slots.push_back(p.incr("n"));
  proxy.cut_after(200, test::FaultProxy::Direction::server_to_client);
  auto results = p.exec();
  int answered = 0, indeterminate = 0;
  for (const auto& s : results) {
    if (s.ok()) {
      ++answered;
    } else if (s.ec == errc::indeterminate) {
      ++indeterminate;
    }
  }
  std::printf("answered=%d indeterminate=%d server=%s\n", answered, indeterminate,
              server.cli("GET", "n").c_str());
  EXPECT_GT(answered, 0);
  EXPECT_GT(indeterminate, 0);
  EXPECT_EQ(answered + indeterminate, 500);
  // Answered slots are the first ones, in order; the partial pipeline was not replayed.
  for (int i = 0; i < answered; ++i)
    EXPECT_EQ(results.value(slots[static_cast<std::size_t>(i)]), i + 1);
  EXPECT_LE(std::stoll(server.cli("GET", "n")), 500);
}

using Transactions = ServerTest;

TEST_F(Transactions, GuideExampleIsAtomicAndReturnsEachResult) {
  SyncClient r{options()};
  auto tx = r.multi();
  auto set = tx.set("balance:alice", 100);
  auto dec = tx.decrby("balance:alice", 10);
  auto res = tx.exec();
  EXPECT_TRUE(res.value(set));
  EXPECT_EQ(res.value(dec), 90);
}

TEST_F(Transactions, QueueTimeErrorAbortsWithEachCommandsError) {
  SyncClient r{options()};
  auto tx = r.multi();
  tx.set("x", "1");
  tx.command<std::string>("SET", "only-a-key");  // wrong arity: rejected at queue time
  try {
    tx.exec();
    FAIL() << "expected EXECABORT";
  } catch (const ReplyError& e) {
    EXPECT_EQ(e.code(), server_errc::execabort);
    EXPECT_NE(std::string(e.what()).find("wrong number of arguments"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(server.cli("EXISTS", "x"), "0");  // nothing ran

  // The async form hands the per-command errors over in the slots.
  asio::io_context io;
  Client redis{io, options()};
  auto atx = redis.multi();
  atx.set("x", "1");
  atx.command<std::string>("SET", "only-a-key");
  std::error_code ec;
  PipelineResults results;
  atx.exec([&](std::error_code e, PipelineResults r2) {
    ec = e;
    results = std::move(r2);
    io.stop();
  });
  io.run_for(10s);
  EXPECT_EQ(ec, server_errc::execabort);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].reply.value(), "QUEUED");
  EXPECT_EQ(results[1].error(), server_errc::err);
}

TEST_F(Transactions, RuntimeErrorStaysInItsSlotAndTheRestCommits) {
  SyncClient r{options()};
  r.set("text", "abc");
  auto tx = r.multi();
  auto a = tx.incr("counter");
  auto bad = tx.incr("text");
  auto b = tx.incr("counter");
  auto res = tx.exec();
  EXPECT_EQ(res.value(a), 1);
  EXPECT_EQ(res.value(b), 2);
  EXPECT_EQ(res[bad.index].error(), server_errc::err);
}

TEST_F(Transactions, OtherCallersNeverInterleave) {
  asio::io_context io;
  Client redis{io, options()};
  int done = 0;
  for (int t = 0; t < 50; ++t) {
    auto tx = redis.multi();
    tx.set("shared", std::to_string(t));
    auto g = tx.get("shared");
    tx.exec([&, g, t](std::error_code ec, PipelineResults r) {
      EXPECT_FALSE(ec);
      EXPECT_EQ(r.value(g), std::to_string(t));
      if (++done == 100) io.stop();
    });
    redis.set("shared", "intruder", [&](std::error_code, SetReply) {
      if (++done == 100) io.stop();
    });
  }
  io.run_for(10s);
  EXPECT_EQ(done, 100);
}

}  // namespace
}  // namespace redwire::testing

namespace redwire::testing {
namespace {

using Watch = ServerTest;

TEST_F(Watch, ConflictFromAnotherClientIsRetriedThenSucceeds) {
  SyncClient r{options()};
  r.set("balance:alice", 100);
  int attempts = 0;
  auto results = transaction(r, {"balance:alice"}, [&](SyncWatch& w, SyncTransaction& tx) {
    ++attempts;
    const long long balance = std::stoll(w.get("balance:alice").value_or("0"));
    if (attempts == 1) server.cli("INCRBY", "balance:alice", "5");  // a concurrent writer
    tx.set("balance:alice", balance - 10);
  });
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(results.size(), 1u);
  EXPECT_EQ(server.cli("GET", "balance:alice"), "95");  // 100 + 5 - 10: no lost update
}

TEST_F(Watch, GivesUpClearlyAfterTheBound) {
  SyncClient r{options()};
  r.set("hot", 0);
  try {
    transaction(
        r, {"hot"},
        [&](SyncWatch& w, SyncTransaction& tx) {
          w.get("hot");
          server.cli("INCR", "hot");  // always conflicts
          tx.incr("hot");
        },
        3);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), errc::transaction_aborted);
    EXPECT_NE(std::string(e.what()).find("3 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(server.cli("GET", "hot"), "3");
}

TEST_F(Watch, SharedLinkIsUnaffectedByAWatchOnALease) {
  asio::io_context io;
  Client redis{io, options()};
  run_coroutine(io, [&]() -> asio::awaitable<void> {
    auto lease = redis.lease();
    co_await lease.command<void>("WATCH", "k", asio::use_awaitable);
    co_await redis.set("k", "changed-by-the-shared-link", asio::use_awaitable);
    auto tx = lease.multi();
    tx.set("k", "from-tx");
    std::error_code ec;
    co_await tx.exec(asio::redirect_error(asio::use_awaitable, ec));
    EXPECT_EQ(ec, errc::transaction_aborted);
    EXPECT_EQ(co_await redis.get("k", asio::use_awaitable), "changed-by-the-shared-link");
  });
}

}  // namespace
}  // namespace redwire::testing
