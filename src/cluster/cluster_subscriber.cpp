// ClusterSubscriber: one redwire::Subscriber per node that holds subscriptions, on a Client of
// its own; channels and patterns on a "home" master, shard channels at their slot's master,
// moved when the slot map says their node changed (watched through the cluster core's
// topology listener, and refreshed every second while shard channels exist).
#include "redwire/cluster/cluster_subscriber.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <mutex>
#include <optional>
#include <tuple>

#include "cluster_core.hpp"
#include "redwire/client.hpp"
#include "redwire/cluster/crc16.hpp"

namespace redwire {
namespace detail {

class ClusterSubscriberCore : public std::enable_shared_from_this<ClusterSubscriberCore> {
 public:
  ClusterSubscriberCore(std::shared_ptr<ClusterCore> cluster, asio::any_io_executor executor,
                        SubscriberOptions options)
      : cluster_(std::move(cluster)),
        executor_(std::move(executor)),
        options_(std::move(options)) {}

  void start();
  void change(SubscriptionKind kind, bool on, std::vector<std::string> names,
              MessageHandler handler, Completion<std::error_code> done, bool waited = false);
  std::map<std::string, cluster::NodeAddress> shard_channels() const;
  void close();

 private:
  struct Node {
    std::unique_ptr<Client> client;
    std::unique_ptr<Subscriber> subscriber;  // destroyed before its client
  };
  struct ShardChannel {
    std::optional<cluster::NodeAddress> at;  // empty: to be subscribed again
    MessageHandler handler;
  };
  // Several per-node operations behind one user completion.
  struct Join {
    std::mutex m;
    std::size_t left = 0;
    std::error_code first;
    Completion<std::error_code> done;
    void part(std::error_code ec) {
      std::lock_guard lock(m);
      if (ec && !first) first = ec;
      if (--left == 0) done.complete(first);
    }
  };

  std::shared_ptr<Node> node_locked(const cluster::NodeAddress& address);
  std::optional<cluster::NodeAddress> pick_home_locked(const cluster::SlotMap& map);
  void schedule_rehome();
  void rehome();
  void arm_check();

  std::shared_ptr<ClusterCore> cluster_;
  asio::any_io_executor executor_;
  SubscriberOptions options_;
  std::uint64_t listener_ = 0;
  std::atomic<bool> rehome_posted_{false};

  mutable std::mutex m_;
  bool closed_ = false;
  std::map<cluster::NodeAddress, std::shared_ptr<Node>> nodes_;
  std::optional<cluster::NodeAddress> home_;
  std::map<std::string, MessageHandler> channels_, patterns_;
  std::map<std::string, ShardChannel> shards_;
  std::shared_ptr<asio::steady_timer> check_timer_;
};

void ClusterSubscriberCore::start() {
  listener_ = cluster_->add_topology_listener([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->schedule_rehome();
  });
}

std::shared_ptr<ClusterSubscriberCore::Node> ClusterSubscriberCore::node_locked(
    const cluster::NodeAddress& address) {
  auto it = nodes_.find(address);
  if (it != nodes_.end()) return it->second;
  Options o = cluster_->options().node;
  const cluster::NodeAddress to = cluster_->options().translate(address);
  o.host = to.host;
  o.port = to.port;
  o.path.clear();
  o.db = 0;
  o.key_prefix.clear();
  SubscriberOptions so = options_;
  so.on_event = [weak = weak_from_this(), user = options_.on_event](const SubscriberEvent& e) {
    if (auto self = weak.lock()) {
      // A node that dropped or refused us may have lost its slots: look again.
      if (e.type != SubscriberEventType::overflow) {
        self->cluster_->request_refresh("a subscriber link had trouble");
        self->schedule_rehome();
      }
    }
    if (user) user(e);
  };
  auto node = std::make_shared<Node>();
  node->client = std::make_unique<Client>(executor_, std::move(o));
  node->subscriber = std::make_unique<Subscriber>(*node->client, std::move(so));
  nodes_.emplace(address, node);
  return node;
}

std::optional<cluster::NodeAddress> ClusterSubscriberCore::pick_home_locked(
    const cluster::SlotMap& map) {
  const auto masters = map.masters();
  if (masters.empty()) return std::nullopt;
  return masters[cluster_->random() % masters.size()];
}

void ClusterSubscriberCore::change(SubscriptionKind kind, bool on, std::vector<std::string> names,
                                   MessageHandler handler, Completion<std::error_code> done,
                                   bool waited) {
  if (!cluster_->has_map()) {
    if (waited) return done.complete(make_error_code(errc::connection_lost));
    auto self = shared_from_this();
    auto pending = std::make_shared<
        std::tuple<std::vector<std::string>, MessageHandler, Completion<std::error_code>>>(
        std::move(names), std::move(handler), std::move(done));
    cluster_->after_refresh(
        [self, kind, on, pending] {
          auto& [n, h, d] = *pending;
          self->change(kind, on, std::move(n), std::move(h), std::move(d), true);
        },
        false);
    return;
  }
  const cluster::SlotMap map = cluster_->slot_map();
  std::vector<std::pair<std::shared_ptr<Node>, std::vector<std::string>>> groups;
  auto group_for = [&](const cluster::NodeAddress& at) -> std::vector<std::string>& {
    auto node = node_locked(at);
    for (auto& g : groups) {
      if (g.first == node) return g.second;
    }
    groups.emplace_back(node, std::vector<std::string>{});
    return groups.back().second;
  };
  {
    std::lock_guard lock(m_);
    if (closed_) return done.complete(make_error_code(errc::connection_closed));
    if (kind == SubscriptionKind::shard_channel) {
      for (auto& name : names) {
        if (on) {
          const cluster::ClusterNode* owner = map.master_of(cluster::key_slot(name));
          if (owner == nullptr) return done.complete(make_error_code(errc::connection_lost));
          shards_[name] = ShardChannel{owner->address, handler};
          group_for(owner->address).push_back(name);
        } else if (auto it = shards_.find(name); it != shards_.end()) {
          if (it->second.at) group_for(*it->second.at).push_back(name);
          shards_.erase(it);
        }
      }
    } else {
      auto& table = kind == SubscriptionKind::channel ? channels_ : patterns_;
      if (!home_) home_ = pick_home_locked(map);
      if (!home_) return done.complete(make_error_code(errc::connection_lost));
      for (auto& name : names) {
        if (on) {
          table[name] = handler;
        } else {
          table.erase(name);
        }
      }
      group_for(*home_) = names;
    }
  }
  if (kind == SubscriptionKind::shard_channel && on) arm_check();
  if (groups.empty()) return done.complete({});
  auto join = std::make_shared<Join>();
  join->left = groups.size();
  join->done = std::move(done);
  for (auto& [node, group] : groups) {
    auto part = [join](std::error_code ec) { join->part(ec); };
    Subscriber& sub = *node->subscriber;
    switch (kind) {
      case SubscriptionKind::channel:
        on ? sub.subscribe(group, handler, part) : sub.unsubscribe(group, part);
        break;
      case SubscriptionKind::pattern:
        on ? sub.psubscribe(group, handler, part) : sub.punsubscribe(group, part);
        break;
      case SubscriptionKind::shard_channel:
        on ? sub.ssubscribe(group, handler, part) : sub.sunsubscribe(group, part);
        break;
    }
  }
}

void ClusterSubscriberCore::schedule_rehome() {
  if (rehome_posted_.exchange(true)) return;  // one pending re-home covers many map changes
  asio::post(executor_, [self = shared_from_this()] {
    self->rehome_posted_ = false;
    self->rehome();
  });
}

void ClusterSubscriberCore::rehome() {
  if (!cluster_->has_map()) return;
  const cluster::SlotMap map = cluster_->slot_map();
  struct Move {
    std::shared_ptr<Node> from, to;
    SubscriptionKind kind;
    std::string name;
    MessageHandler handler;
  };
  std::vector<Move> moves;
  {
    std::lock_guard lock(m_);
    if (closed_) return;
    for (auto& [name, shard] : shards_) {
      const cluster::ClusterNode* owner = map.master_of(cluster::key_slot(name));
      if (owner == nullptr || (shard.at && *shard.at == owner->address)) continue;
      std::shared_ptr<Node> from = shard.at ? node_locked(*shard.at) : nullptr;
      shard.at = owner->address;
      moves.push_back({from, node_locked(owner->address), SubscriptionKind::shard_channel, name,
                       shard.handler});
    }
    const cluster::ClusterNode* home = home_ ? map.find(*home_) : nullptr;
    const bool home_lost =
        home_ && (home == nullptr || home->health == cluster::NodeHealth::failed);
    if (home_lost) {
      auto from = node_locked(*home_);
      home_ = pick_home_locked(map);
      if (home_) {
        auto to = node_locked(*home_);
        for (auto& [name, h] : channels_)
          moves.push_back({from, to, SubscriptionKind::channel, name, h});
        for (auto& [name, h] : patterns_)
          moves.push_back({from, to, SubscriptionKind::pattern, name, h});
      }
    }
  }
  for (auto& m : moves) {
    const StringList one{m.name};
    auto again = [weak = weak_from_this(), name = m.name, kind = m.kind](std::error_code ec) {
      auto self = weak.lock();
      if (!ec || !self) return;
      // Refused (the map was stale: MOVED) or the link failed: subscribe again later.
      if (kind == SubscriptionKind::shard_channel) {
        std::lock_guard lock(self->m_);
        if (auto it = self->shards_.find(name); it != self->shards_.end()) it->second.at.reset();
      }
      self->cluster_->request_refresh("a subscription did not move");
    };
    switch (m.kind) {
      case SubscriptionKind::shard_channel:
        if (m.from) m.from->subscriber->sunsubscribe(one, [](std::error_code) {});
        m.to->subscriber->ssubscribe(one, m.handler, again);
        break;
      case SubscriptionKind::channel:
        m.from->subscriber->unsubscribe(one, [](std::error_code) {});
        m.to->subscriber->subscribe(one, m.handler, again);
        break;
      case SubscriptionKind::pattern:
        m.from->subscriber->punsubscribe(one, [](std::error_code) {});
        m.to->subscriber->psubscribe(one, m.handler, again);
        break;
    }
  }
}

void ClusterSubscriberCore::arm_check() {
  std::shared_ptr<asio::steady_timer> timer;
  {
    std::lock_guard lock(m_);
    if (closed_ || check_timer_ || shards_.empty()) return;
    check_timer_ = timer = std::make_shared<asio::steady_timer>(executor_, std::chrono::seconds(1));
  }
  // A slot can move without this client sending anything there: look at the map every second
  // while shard channels exist (the refresh is rate-limited and shared with the client).
  timer->async_wait([weak = weak_from_this()](std::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    {
      std::lock_guard lock(self->m_);
      self->check_timer_.reset();
      if (self->closed_ || self->shards_.empty()) return;
    }
    self->cluster_->request_refresh("shard channels");
    self->schedule_rehome();
    self->arm_check();
  });
}

std::map<std::string, cluster::NodeAddress> ClusterSubscriberCore::shard_channels() const {
  std::lock_guard lock(m_);
  std::map<std::string, cluster::NodeAddress> out;
  for (const auto& [name, shard] : shards_) {
    if (shard.at) out.emplace(name, *shard.at);
  }
  return out;
}

void ClusterSubscriberCore::close() {
  std::map<cluster::NodeAddress, std::shared_ptr<Node>> nodes;
  std::shared_ptr<asio::steady_timer> timer;
  {
    std::lock_guard lock(m_);
    if (closed_) return;
    closed_ = true;
    nodes.swap(nodes_);
    timer = std::move(check_timer_);
    shards_.clear();
    channels_.clear();
    patterns_.clear();
  }
  cluster_->remove_topology_listener(listener_);
  if (timer) timer->cancel();
  for (auto& [address, node] : nodes) {
    node->subscriber->close();
    node->client->close();
  }
}

}  // namespace detail

ClusterSubscriber::ClusterSubscriber(ClusterClient& cluster, SubscriberOptions options)
    : executor_(cluster.get_executor()),
      core_(std::make_shared<detail::ClusterSubscriberCore>(cluster.core(), executor_,
                                                            std::move(options))) {
  core_->start();
}

ClusterSubscriber::~ClusterSubscriber() {
  core_->close();
}

void ClusterSubscriber::close() {
  core_->close();
}

std::map<std::string, cluster::NodeAddress> ClusterSubscriber::shard_channels() const {
  return core_->shard_channels();
}

void ClusterSubscriber::start_change(SubscriptionKind kind, bool on, std::vector<std::string> names,
                                     MessageHandler handler,
                                     detail::Completion<std::error_code> done) {
  core_->change(kind, on, std::move(names), std::move(handler), std::move(done));
}

}  // namespace redwire
