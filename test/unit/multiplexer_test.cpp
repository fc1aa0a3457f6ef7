// The multiplexer stepped with canned bytes, no server: ordering, coalescing, push routing,
// late replies after a timeout, and what each request becomes when the link drops.
#include "redwire/detail/multiplexer.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "redwire/convert.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

struct Recorder final : Request {
  std::vector<std::string> replies;
  std::optional<std::error_code> finished_with;
  void on_reply(const Reply& r) override { replies.push_back(r.to_string()); }
  void on_finish(std::error_code ec) override { finished_with = ec; }
};

std::shared_ptr<Recorder> request(std::string_view name, std::string_view arg,
                                  bool readonly = false) {
  auto r = std::make_shared<Recorder>();
  resp::append_command(r->payload, name, arg);
  r->retry_safe = readonly;
  return r;
}

std::size_t feed(Multiplexer& m, std::string_view bytes) {
  std::error_code ec;
  const auto used = m.on_read(bytes, ec);
  EXPECT_FALSE(ec) << ec.message() << " " << m.error_detail();
  return used;
}

TEST(Multiplexer, CoalescesQueuedRequestsIntoOneWriteAndMatchesRepliesInOrder) {
  Multiplexer m;
  m.set_ready(true);
  auto a = request("GET", "a");
  auto b = request("GET", "b");
  m.push_back(a);
  m.push_back(b);
  const std::string written(m.prepare_write());
  EXPECT_EQ(written, "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n");
  m.commit_write();
  EXPECT_EQ(m.in_flight(), 2u);
  feed(m, "$2\r\nva\r\n$2\r\nv");  // b's reply split mid-way
  EXPECT_EQ(a->replies, std::vector<std::string>{"\"va\""});
  ASSERT_TRUE(a->finished_with);
  EXPECT_FALSE(*a->finished_with);
  EXPECT_FALSE(b->finished_with);
}

TEST(Multiplexer, IncompleteBytesAreLeftForTheNextRead) {
  Multiplexer m;
  m.set_ready(true);
  auto a = request("GET", "a");
  m.push_back(a);
  m.prepare_write();
  EXPECT_EQ(feed(m, "$5\r\nhel"), 0u);
  EXPECT_EQ(feed(m, "$5\r\nhello\r\n"), 11u);
  EXPECT_EQ(a->replies, std::vector<std::string>{"\"hello\""});
}

TEST(Multiplexer, PushFramesGoToThePushHandlerNotToTheWaitingRequest) {
  Multiplexer m;
  m.set_ready(true);
  std::vector<std::string> pushes;
  m.set_push_handler([&](const Reply& r) { pushes.push_back(r.to_string()); });
  auto a = request("GET", "a");
  m.push_back(a);
  m.prepare_write();
  feed(m, ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n$1\r\nx\r\n");
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_NE(pushes[0].find("message"), std::string::npos);
  EXPECT_EQ(a->replies, std::vector<std::string>{"\"x\""});
}

TEST(Multiplexer, OnlyInternalRequestsAreWrittenBeforeReady) {
  Multiplexer m;
  auto user = request("GET", "a");
  m.push_back(user);
  auto hello = request("HELLO", "3");
  m.push_internal(hello);
  EXPECT_EQ(std::string(m.prepare_write()), "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");
  m.commit_write();
  EXPECT_EQ(m.queued(), 1u);
  m.set_ready(true);
  EXPECT_EQ(std::string(m.prepare_write()), "*2\r\n$3\r\nGET\r\n$1\r\na\r\n");
}

TEST(Multiplexer, LateReplyAfterTimeoutIsDroppedAndNeverReachesTheNextRequest) {
  Multiplexer m;
  m.set_ready(true);
  auto slow = request("GET", "secret");
  slow->deadline = Request::Clock::now();
  m.push_back(slow);
  m.track_deadline(*slow);
  m.prepare_write();
  m.commit_write();
  m.expire(Request::Clock::now() + std::chrono::milliseconds(1));
  ASSERT_TRUE(slow->finished_with);
  EXPECT_EQ(*slow->finished_with, errc::command_timeout);
  auto next = request("GET", "mine");
  m.push_back(next);
  m.prepare_write();
  feed(m, "$6\r\nsecret\r\n$4\r\nmine\r\n");
  EXPECT_TRUE(slow->replies.empty());
  EXPECT_EQ(next->replies, std::vector<std::string>{"\"mine\""});
}

TEST(Multiplexer, TimedOutUnwrittenRequestIsNeverSent) {
  Multiplexer m;  // not ready: the request waits in the offline queue
  auto r = request("INCR", "n");
  r->deadline = Request::Clock::now();
  m.push_back(r);
  m.track_deadline(*r);
  m.expire(Request::Clock::now() + std::chrono::milliseconds(1));
  EXPECT_EQ(*r->finished_with, errc::command_timeout);
  m.set_ready(true);
  EXPECT_TRUE(m.prepare_write().empty());
}

TEST(Multiplexer, LinkLossResendsReadOnlyAndReportsWritesAsIndeterminate) {
  Multiplexer m;
  m.set_ready(true);
  auto read = request("GET", "a", /*readonly=*/true);
  auto write = request("INCR", "n");
  auto queued_later = request("SET", "x");
  m.push_back(read);
  m.push_back(write);
  m.prepare_write();
  m.commit_write();
  m.push_back(queued_later);  // not yet written
  m.on_link_lost(make_error_code(errc::connection_lost), /*at_least_once=*/false);
  EXPECT_FALSE(read->finished_with);
  ASSERT_TRUE(write->finished_with);
  EXPECT_EQ(*write->finished_with, errc::indeterminate);
  EXPECT_FALSE(queued_later->finished_with);
  EXPECT_EQ(m.queued(), 2u);
  m.set_ready(true);
  // The resent read goes first, then the command that was never written.
  EXPECT_EQ(std::string(m.prepare_write()),
            "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nSET\r\n$1\r\nx\r\n");
}

TEST(Multiplexer, AtLeastOnceResendsWritesButNeverTransactions) {
  Multiplexer m;
  m.set_ready(true);
  auto write = request("INCR", "n");
  auto exec = request("EXEC", "");
  exec->never_replay = true;
  m.push_back(write);
  m.push_back(exec);
  m.prepare_write();
  m.on_link_lost(make_error_code(errc::connection_lost), /*at_least_once=*/true);
  EXPECT_FALSE(write->finished_with);
  EXPECT_EQ(*exec->finished_with, errc::indeterminate);
}

TEST(Multiplexer, PartiallyAnsweredPipelineIsNeverReplayed) {
  Multiplexer m;
  m.set_ready(true);
  auto pipeline = std::make_shared<Recorder>();
  resp::append_command(pipeline->payload, "GET", "a");
  resp::append_command(pipeline->payload, "GET", "b");
  pipeline->expected_replies = 2;
  pipeline->retry_safe = true;
  m.push_back(pipeline);
  m.prepare_write();
  feed(m, "$1\r\n1\r\n");
  m.on_link_lost(make_error_code(errc::connection_lost), true);
  EXPECT_EQ(pipeline->replies.size(), 1u);
  EXPECT_EQ(*pipeline->finished_with, errc::indeterminate);
}

TEST(Multiplexer, ProtocolErrorFailsEverythingInFlightWithTheProtocolError) {
  Multiplexer m;
  m.set_ready(true);
  auto a = request("GET", "a", true);
  m.push_back(a);
  m.prepare_write();
  std::error_code ec;
  m.on_read("&oops\r\n", ec);
  EXPECT_EQ(ec, protocol_errc::invalid_type_byte);
  EXPECT_NE(m.error_detail().find("byte 0"), std::string::npos) << m.error_detail();
  m.on_link_lost(ec, true, m.error_detail());
  EXPECT_EQ(*a->finished_with, protocol_errc::invalid_type_byte);
}

TEST(Multiplexer, ReplyWithNothingWaitingIsAProtocolError) {
  Multiplexer m;
  m.set_ready(true);
  std::error_code ec;
  m.on_read("+OK\r\n", ec);
  EXPECT_EQ(ec, protocol_errc::unexpected_reply);
}

TEST(Multiplexer, QueuedRequestsFailAfterMaxRetries) {
  Multiplexer m;
  auto r = request("GET", "a");
  m.push_back(r);
  m.on_reconnect_failed(2);
  m.on_reconnect_failed(2);
  EXPECT_FALSE(r->finished_with);
  m.on_reconnect_failed(2);
  EXPECT_EQ(*r->finished_with, errc::max_retries_exceeded);
  EXPECT_EQ(m.pending(), 0u);
}

TEST(Multiplexer, CancelledInFlightRequestAbsorbsItsReply) {
  Multiplexer m;
  m.set_ready(true);
  auto a = request("GET", "a");
  auto b = request("GET", "b");
  m.push_back(a);
  m.push_back(b);
  m.prepare_write();
  m.cancel(a, std::make_error_code(std::errc::operation_canceled));
  feed(m, "$1\r\nA\r\n$1\r\nB\r\n");
  EXPECT_TRUE(a->replies.empty());
  EXPECT_EQ(b->replies, std::vector<std::string>{"\"B\""});
}

}  // namespace
}  // namespace redwire::detail
