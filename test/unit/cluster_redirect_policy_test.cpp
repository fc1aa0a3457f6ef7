// The redirect policy stepped by hand: what each cluster reply and link error leads to, how
// the counts bound it, and what the caller finally sees.
#include "redwire/cluster/redirect_policy.hpp"

#include <gtest/gtest.h>

#include "redwire/error.hpp"

namespace redwire::cluster {
namespace {

using Action = RedirectDecision::Action;
using namespace std::chrono_literals;

const NodeAddress kFrom{"127.0.0.1", 7000};

TEST(RedirectPolicy, MovedIsFollowedWithAMapUpdateAndARefresh) {
  RedirectPolicy policy;
  CallTrace trace;
  auto d = policy.on_error_reply("MOVED 3999 127.0.0.1:7002", kFrom, trace);
  EXPECT_EQ(d.action, Action::follow_moved);
  EXPECT_EQ(d.redirect.slot, 3999);
  EXPECT_EQ(d.redirect.target, (NodeAddress{"127.0.0.1", 7002}));
  EXPECT_TRUE(d.refresh);
  EXPECT_EQ(trace.redirections, 1u);
  EXPECT_EQ(trace.chain, "MOVED 3999 from 127.0.0.1:7000 to 127.0.0.1:7002");
}

TEST(RedirectPolicy, AskIsFollowedOnceWithoutTouchingTheMap) {
  RedirectPolicy policy;
  CallTrace trace;
  auto d = policy.on_error_reply("ASK 3999 [::1]:7002", kFrom, trace);
  EXPECT_EQ(d.action, Action::follow_ask);
  EXPECT_FALSE(d.refresh);
  EXPECT_EQ(d.redirect.target, (NodeAddress{"::1", 7002}));
}

TEST(RedirectPolicy, AnUnknownTargetHostIsTheAnsweringNodes) {
  RedirectPolicy policy;
  CallTrace trace;
  auto d = policy.on_error_reply("MOVED 1 ?:7005", kFrom, trace);
  EXPECT_EQ(d.redirect.target, (NodeAddress{"127.0.0.1", 7005}));
}

TEST(RedirectPolicy, ARedirectLoopEndsWithTooManyRedirectionsNamingTheChain) {
  RedirectPolicy policy({.max_redirections = 3});
  CallTrace trace;
  EXPECT_EQ(policy.on_error_reply("ASK 5 127.0.0.1:7001", kFrom, trace).action, Action::follow_ask);
  EXPECT_EQ(policy.on_error_reply("MOVED 5 127.0.0.1:7000", {"127.0.0.1", 7001}, trace).action,
            Action::follow_moved);
  EXPECT_EQ(policy.on_error_reply("ASK 5 127.0.0.1:7001", kFrom, trace).action, Action::follow_ask);
  auto d = policy.on_error_reply("MOVED 5 127.0.0.1:7000", {"127.0.0.1", 7001}, trace);
  EXPECT_EQ(d.action, Action::fail);
  EXPECT_EQ(d.ec, make_error_code(errc::too_many_redirections));
  EXPECT_NE(d.detail.find("more than 3 redirections"), std::string::npos) << d.detail;
  EXPECT_NE(
      d.detail.find("ASK 5 from 127.0.0.1:7000 to 127.0.0.1:7001, MOVED 5 from 127.0.0.1:7001"),
      std::string::npos)
      << d.detail;
}

TEST(RedirectPolicy, TryagainWaitsLongerEachTimeThenTheServersErrorStands) {
  RedirectPolicy policy({.max_retries = 3, .retry_delay = exponential_retry_delay(10ms, 25ms)});
  CallTrace trace;
  const char* text = "TRYAGAIN Multiple keys request during rehashing of slot";
  auto d1 = policy.on_error_reply(text, kFrom, trace);
  auto d2 = policy.on_error_reply(text, kFrom, trace);
  auto d3 = policy.on_error_reply(text, kFrom, trace);
  EXPECT_EQ(d1.action, Action::retry_later);
  EXPECT_FALSE(d1.refresh);
  EXPECT_EQ(d1.delay, 10ms);
  EXPECT_EQ(d2.delay, 20ms);
  EXPECT_EQ(d3.delay, 25ms);  // capped
  EXPECT_EQ(policy.on_error_reply(text, kFrom, trace).action, Action::deliver);
}

TEST(RedirectPolicy, ClusterdownRetriesWithARefresh) {
  RedirectPolicy policy;
  CallTrace trace;
  auto d = policy.on_error_reply("CLUSTERDOWN The cluster is down", kFrom, trace);
  EXPECT_EQ(d.action, Action::retry_later);
  EXPECT_TRUE(d.refresh);
  EXPECT_EQ(d.delay, 50ms);
}

TEST(RedirectPolicy, OtherErrorsAreTheAnswer) {
  RedirectPolicy policy;
  CallTrace trace;
  EXPECT_EQ(policy.on_error_reply("WRONGTYPE Operation against a key", kFrom, trace).action,
            Action::deliver);
  EXPECT_EQ(policy.on_error_reply("CROSSSLOT Keys in request", kFrom, trace).action,
            Action::deliver);
  EXPECT_EQ(policy.on_error_reply("MOVED nonsense", kFrom, trace).action, Action::deliver);
  EXPECT_TRUE(trace.chain.empty());
}

TEST(RedirectPolicy, UnsentCommandsAreRoutedAgainButWrittenOnesAreNot) {
  RedirectPolicy policy;
  CallTrace trace;
  auto unsent = policy.on_link_error(make_error_code(errc::connection_closed), true, kFrom, trace);
  EXPECT_EQ(unsent.action, Action::retry_later);
  EXPECT_TRUE(unsent.refresh);
  EXPECT_EQ(
      policy.on_link_error(make_error_code(errc::max_retries_exceeded), true, kFrom, trace).action,
      Action::retry_later);
  EXPECT_EQ(policy.on_link_error(make_error_code(errc::indeterminate), true, kFrom, trace).action,
            Action::deliver);
  EXPECT_EQ(policy.on_link_error(make_error_code(errc::command_timeout), true, kFrom, trace).action,
            Action::deliver);
  EXPECT_EQ(
      policy.on_link_error(make_error_code(errc::connection_lost), false, kFrom, trace).action,
      Action::deliver);
  EXPECT_EQ(policy.on_link_error(make_error_code(errc::auth_failed), true, kFrom, trace).action,
            Action::deliver);
}

TEST(RedirectPolicy, NoRouteRetriesThenFailsClearly) {
  RedirectPolicy policy({.max_retries = 1});
  CallTrace trace;
  EXPECT_EQ(policy.on_no_route("slot 7 is not served by any node", trace).action,
            Action::retry_later);
  auto d = policy.on_no_route("slot 7 is not served by any node", trace);
  EXPECT_EQ(d.action, Action::fail);
  EXPECT_EQ(d.ec, make_error_code(errc::connection_lost));
  EXPECT_NE(d.detail.find("slot 7 is not served"), std::string::npos) << d.detail;
}

TEST(RedirectPolicy, ADownLinkRetriesThenFailsNamingTheNode) {
  RedirectPolicy policy({.max_retries = 1});
  CallTrace trace;
  auto first = policy.on_link_down(kFrom, trace);
  EXPECT_EQ(first.action, Action::retry_later);
  EXPECT_TRUE(first.refresh);
  auto d = policy.on_link_down(kFrom, trace);
  EXPECT_EQ(d.action, Action::fail);
  EXPECT_EQ(d.ec, make_error_code(errc::connection_lost));
  EXPECT_EQ(d.detail, "the link to 127.0.0.1:7000 stayed down through 1 retries (max_retries)");
}

TEST(RedirectPolicy, RecognizesClusterReplies) {
  EXPECT_TRUE(RedirectPolicy::is_cluster_reply("MOVED 1 h:1"));
  EXPECT_TRUE(RedirectPolicy::is_cluster_reply("ASK 1 h:1"));
  EXPECT_TRUE(RedirectPolicy::is_cluster_reply("TRYAGAIN x"));
  EXPECT_TRUE(RedirectPolicy::is_cluster_reply("CLUSTERDOWN x"));
  EXPECT_FALSE(RedirectPolicy::is_cluster_reply("ERR MOVED"));
  EXPECT_FALSE(RedirectPolicy::is_cluster_reply("ASKING"));
}

}  // namespace
}  // namespace redwire::cluster
