#include "failover_watcher.hpp"

#include <algorithm>

#include "redwire/detail/connection.hpp"
#include "redwire/sentinel/discovery.hpp"
#include "sentinel_query.hpp"

namespace redwire::sentinel {
namespace {

// SUBSCRIBE + PSUBSCRIBE, sent from the ready hook of every link. Their confirmations arrive
// as pushes (RESP3) or as replies with nothing in flight (RESP2 subscriber mode): none is
// awaited here.
class SubscribeRequest final : public detail::Request {
 public:
  SubscribeRequest() {
    payload = subscribe_payload();
    expected_replies = 0;
  }
  void on_reply(const Reply&) override {}
  void on_finish(std::error_code) override {}
};

// ["message", channel, payload] or ["pmessage", pattern, channel, payload].
bool message_of(const Reply& push, std::string_view& channel, std::string_view& payload) {
  const ReplyView v = push.view();
  if (!v.is_aggregate() || v.child_count() < 3) return false;
  const std::string_view kind = v[0].value();
  if (kind == "message" && v.child_count() == 3) {
    channel = v[1].value();
    payload = v[2].value();
    return true;
  }
  if (kind == "pmessage" && v.child_count() == 4) {
    channel = v[2].value();
    payload = v[3].value();
    return true;
  }
  return false;
}

}  // namespace

FailoverWatcher::FailoverWatcher(asio::any_io_executor ex, SentinelOptions so, OnMessage on_message)
    : ex_(std::move(ex)),
      so_(std::move(so)),
      on_message_(std::make_shared<const OnMessage>(std::move(on_message))) {}

FailoverWatcher::~FailoverWatcher() = default;

void FailoverWatcher::watch(const std::vector<HostPort>& sentinels) {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  for (const auto& s : sentinels) {
    const bool known =
        std::any_of(links_.begin(), links_.end(), [&](const auto& l) { return l.first == s; });
    if (known) continue;
    auto conn = std::make_shared<detail::Connection>(ex_, sentinel_link_options(so_, s, true));
    conn->set_unsolicited_as_push(true);
    std::weak_ptr<detail::Connection> weak = conn;
    conn->add_push_handler([on_message = on_message_, s](const Reply& push) {
      std::string_view channel;
      std::string_view payload;
      if (message_of(push, channel, payload)) (*on_message)(s, channel, payload);
    });
    conn->add_ready_hook([weak] {
      if (auto c = weak.lock()) c->submit_now(std::make_shared<SubscribeRequest>());
    });
    conn->start();
    links_.emplace_back(s, std::move(conn));
  }
}

void FailoverWatcher::stop() {
  std::vector<std::pair<HostPort, std::shared_ptr<detail::Connection>>> links;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    links.swap(links_);
  }
  for (auto& l : links) l.second->disconnect();
}

}  // namespace redwire::sentinel
