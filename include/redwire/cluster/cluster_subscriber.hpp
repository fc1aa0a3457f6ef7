// Pub/Sub on a cluster, made of redwire::Subscriber (pubsub.hpp) on per-node clients:
//   - channels and patterns go through one node (PUBLISH reaches every node of a cluster);
//     when that node leaves the cluster or fails, they move to another master,
//   - shard channels (SSUBSCRIBE, Redis 7) go to the master of their slot, and follow the slot
//     when it moves (the server then drops the subscription with a `sunsubscribe` push): the
//     subscriber watches the slot map and subscribes again at the new owner.
//
//   redwire::ClusterSubscriber sub{cluster};
//   co_await sub.subscribe({"news"}, [](const redwire::Message& m) { ... }, asio::use_awaitable);
//   co_await sub.ssubscribe({"orders:{42}"}, on_order, asio::use_awaitable);
//
// Messages go to the handler given with each subscription, on the cluster client's executor
// (one subscriber per node: handlers of different nodes may run at the same time on a
// multi-threaded executor). Delivery is at-most-once, as on one server: SubscriberEvent::gap
// (SubscriberOptions::on_event) reports a link that dropped; a shard channel that moved may
// miss what was published between the move and the new subscription. See docs/cluster.md.
#pragma once

#include <asio/async_result.hpp>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "redwire/arguments.hpp"
#include "redwire/cluster/cluster_client.hpp"
#include "redwire/cluster/node_address.hpp"
#include "redwire/detail/completion.hpp"
#include "redwire/pubsub.hpp"

namespace redwire {

namespace detail {
class ClusterSubscriberCore;
}

class ClusterSubscriber {
 public:
  /// `options` apply to each per-node Subscriber (queue capacity, on_event).
  explicit ClusterSubscriber(ClusterClient& cluster, SubscriberOptions options = {});
  /// Unsubscribes from everything (without waiting) and closes the per-node links.
  ~ClusterSubscriber();
  ClusterSubscriber(const ClusterSubscriber&) = delete;
  ClusterSubscriber& operator=(const ClusterSubscriber&) = delete;

  /// SUBSCRIBE; completion void(std::error_code) once the node confirmed every channel.
  template <class Token>
  auto subscribe(const StringList& channels, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::channel, true, channels, std::move(handler),
                  std::forward<Token>(token));
  }
  template <class Token>
  auto unsubscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::channel, false, channels, {}, std::forward<Token>(token));
  }
  /// PSUBSCRIBE (glob-style patterns).
  template <class Token>
  auto psubscribe(const StringList& patterns, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::pattern, true, patterns, std::move(handler),
                  std::forward<Token>(token));
  }
  template <class Token>
  auto punsubscribe(const StringList& patterns, Token&& token) {
    return change(SubscriptionKind::pattern, false, patterns, {}, std::forward<Token>(token));
  }
  /// SSUBSCRIBE, each channel at the master of its slot; completes when every node confirmed.
  template <class Token>
  auto ssubscribe(const StringList& channels, MessageHandler handler, Token&& token) {
    return change(SubscriptionKind::shard_channel, true, channels, std::move(handler),
                  std::forward<Token>(token));
  }
  template <class Token>
  auto sunsubscribe(const StringList& channels, Token&& token) {
    return change(SubscriptionKind::shard_channel, false, channels, {}, std::forward<Token>(token));
  }

  /// Where each shard channel is subscribed now (announced node addresses).
  std::map<std::string, cluster::NodeAddress> shard_channels() const;
  /// Unsubscribes from everything and detaches. Idempotent.
  void close();

 private:
  template <class Token>
  auto change(SubscriptionKind kind, bool on, const StringList& names, MessageHandler handler,
              Token&& token) {
    std::vector<std::string> copied(names.begin(), names.end());  // the list is borrowed
    return asio::async_initiate<Token, void(std::error_code)>(
        [this](auto h, SubscriptionKind k, bool s, std::vector<std::string> n, MessageHandler mh) {
          start_change(k, s, std::move(n), std::move(mh),
                       detail::Completion<std::error_code>(std::move(h), executor_));
        },
        token, kind, on, std::move(copied), std::move(handler));
  }
  void start_change(SubscriptionKind kind, bool on, std::vector<std::string> names,
                    MessageHandler handler, detail::Completion<std::error_code> done);

  asio::any_io_executor executor_;
  std::shared_ptr<detail::ClusterSubscriberCore> core_;
};

}  // namespace redwire
