// Topology refresh: ask one node after another for CLUSTER SHARDS (CLUSTER SLOTS on servers
// that do not know it) until one answers with a usable map; rate-limited and coalesced.
#include <algorithm>

#include "cluster_core.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {

// Asks the candidates in turn; the first usable answer becomes the slot map.
class TopologyQuery : public std::enable_shared_from_this<TopologyQuery> {
 public:
  TopologyQuery(std::weak_ptr<ClusterCore> core, std::vector<cluster::NodeAddress> candidates)
      : core_(std::move(core)), candidates_(std::move(candidates)) {}

  void next();
  void on_answer(std::error_code ec, const Reply& reply, const std::string& detail);

 private:
  class Ask;

  void give_up_on_current(const std::string& why) {
    if (!errors_.empty()) errors_ += "; ";
    errors_ += candidates_[index_].to_string() + ": " + why;
    ++index_;
    slots_fallback_ = false;
    next();
  }

  std::weak_ptr<ClusterCore> core_;
  std::vector<cluster::NodeAddress> candidates_;
  std::size_t index_ = 0;
  bool slots_fallback_ = false;
  std::string errors_;
};

class TopologyQuery::Ask final : public Request {
 public:
  explicit Ask(std::shared_ptr<TopologyQuery> query) : query_(std::move(query)) {}
  void on_reply(const Reply& reply) override { reply_ = reply; }
  void on_finish(std::error_code ec) override {
    auto q = std::move(query_);
    q->on_answer(ec, reply_, error_detail);
  }

 private:
  std::shared_ptr<TopologyQuery> query_;
  Reply reply_;
};

void TopologyQuery::next() {
  auto core = core_.lock();
  if (!core) return;
  if (core->closing()) return core->refresh_done(nullptr, "the client is closing");
  if (index_ >= candidates_.size()) {
    return core->refresh_done(nullptr, errors_.empty() ? "no node to ask" : errors_);
  }
  auto node = core->query_links(candidates_[index_]);
  auto ask = std::make_shared<Ask>(shared_from_this());
  resp::append_command(ask->payload, "CLUSTER", slots_fallback_ ? "SLOTS" : "SHARDS");
  ask->retry_safe = true;
  node->submit(std::move(ask), core->options().refresh_timeout, std::chrono::milliseconds(0),
               false);
}

void TopologyQuery::on_answer(std::error_code ec, const Reply& reply, const std::string& detail) {
  auto core = core_.lock();
  if (!core) return;
  if (ec) return give_up_on_current(ec.message() + (detail.empty() ? "" : " (" + detail + ")"));
  if (reply.is_error()) {
    const std::string_view text = reply.value();
    const bool unknown = text.find("nknown subcommand") != std::string_view::npos ||
                         text.find("nknown command") != std::string_view::npos;
    if (!slots_fallback_ && unknown) {  // a server before 7.0: CLUSTER SLOTS
      slots_fallback_ = true;
      return next();
    }
    return give_up_on_current(std::string(text));
  }
  std::vector<cluster::Shard> shards;
  std::string why;
  const std::string_view host = candidates_[index_].host;
  const auto parse_ec = slots_fallback_
                            ? cluster::parse_cluster_slots(reply.view(), host, shards, why)
                            : cluster::parse_cluster_shards(reply.view(), host, shards, why,
                                                            core->options().node.tls.enabled);
  if (parse_ec) return give_up_on_current(why);
  auto map = std::make_shared<cluster::SlotMap>(std::move(shards));
  if (map->masters().empty())
    return give_up_on_current("it serves no slots (not joined to a cluster yet?)");
  core->refresh_done(std::move(map), {});
}

std::shared_ptr<NodeLinks> ClusterCore::query_links(const cluster::NodeAddress& address) {
  std::lock_guard lock(mutex_);
  return links_locked(address);
}

std::vector<cluster::NodeAddress> ClusterCore::refresh_candidates() {
  // Masters whose link is up first, then the other nodes, then the seeds; each once.
  std::vector<cluster::NodeAddress> up, others;
  for (const auto& shard : map_.shards()) {
    for (const auto& n : shard.nodes) {
      if (n.health == cluster::NodeHealth::failed) continue;
      auto it = links_.find(n.address);
      const bool link_up = it != links_.end() && it->second->up();
      (link_up && n.role == cluster::NodeRole::master ? up : others).push_back(n.address);
    }
  }
  auto shuffle = [this](std::vector<cluster::NodeAddress>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[random() % i]);
  };
  shuffle(up);
  shuffle(others);
  std::vector<cluster::NodeAddress> out = std::move(up);
  out.insert(out.end(), others.begin(), others.end());
  for (const auto& seed : options_.seeds) {
    if (std::find(out.begin(), out.end(), seed) == out.end()) out.push_back(seed);
  }
  return out;
}

void ClusterCore::request_refresh(std::string_view) {
  if (closing()) return;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (refreshing_) {
      refresh_again_ = true;
      return;
    }
    const auto ready_at = last_refresh_ + options_.min_refresh_interval;
    if (now < ready_at) {
      if (refresh_timer_armed_) return;
      refresh_timer_armed_ = true;
      refresh_timer_ = std::make_shared<asio::steady_timer>(executor_, ready_at);
      refresh_timer_->async_wait([weak = weak_from_this()](std::error_code ec) {
        auto core = weak.lock();
        if (!core) return;
        {
          std::lock_guard lock2(core->mutex_);
          core->refresh_timer_armed_ = false;
          if (ec || core->closing() || core->refreshing_) return;
          core->refreshing_ = true;
        }
        core->begin_refresh();
      });
      return;
    }
    refreshing_ = true;
  }
  begin_refresh();
}

void ClusterCore::after_refresh(std::function<void()> then, bool fresh) {
  {
    std::lock_guard lock(mutex_);
    if (!closing()) {
      if (!fresh && refreshing_) {
        waiters_.push_back(std::move(then));
        return;
      }
      pending_waiters_.push_back(std::move(then));
      then = nullptr;
    }
  }
  if (then) return then();  // closing: it ends its call at once
  request_refresh("a command waits for the topology");
}

void ClusterCore::begin_refresh() {
  std::vector<cluster::NodeAddress> candidates;
  {
    std::lock_guard lock(mutex_);
    for (auto& w : pending_waiters_) waiters_.push_back(std::move(w));
    pending_waiters_.clear();
    candidates = refresh_candidates();
  }
  refresh_count.fetch_add(1, std::memory_order_relaxed);
  std::make_shared<TopologyQuery>(weak_from_this(), std::move(candidates))->next();
}

void ClusterCore::refresh_done(std::shared_ptr<cluster::SlotMap> map, std::string error) {
  std::vector<std::shared_ptr<NodeLinks>> stale;
  std::vector<std::function<void()>> waiters;
  bool again = false;
  {
    std::lock_guard lock(mutex_);
    refreshing_ = false;
    last_refresh_ = std::chrono::steady_clock::now();
    if (map) {
      map_ = std::move(*map);
      has_map_ = true;
      failed_refreshes_ = 0;
      last_refresh_error_.clear();
      // Links to nodes that left the cluster or failed: their queued commands end unsent
      // (errc::connection_closed) and are routed again by their calls.
      for (auto it = links_.begin(); it != links_.end();) {
        const cluster::ClusterNode* n = map_.find(it->first);
        if (n == nullptr || n->health == cluster::NodeHealth::failed) {
          stale.push_back(it->second);
          it = links_.erase(it);
        } else {
          ++it;
        }
      }
    } else {
      ++failed_refreshes_;
      last_refresh_error_ = "topology refresh failed: " + error;
      refresh_failures.fetch_add(1, std::memory_order_relaxed);
    }
    waiters = std::move(waiters_);
    waiters_.clear();
    again = refresh_again_ || !pending_waiters_.empty();
    refresh_again_ = false;
  }
  for (auto& n : stale) n->disconnect();
  if (map) notify_topology_listeners();
  for (auto& w : waiters) w();
  if (again) request_refresh("follow-up");
}

void ClusterCore::arm_periodic() {
  if (options_.refresh_interval.count() <= 0 || closing()) return;
  auto timer = std::make_shared<asio::steady_timer>(executor_, options_.refresh_interval);
  {
    std::lock_guard lock(mutex_);
    periodic_timer_ = timer;
  }
  timer->async_wait([weak = weak_from_this()](std::error_code ec) {
    auto core = weak.lock();
    if (ec || !core || core->closing()) return;
    core->request_refresh("periodic");
    core->arm_periodic();
  });
}

}  // namespace redwire::detail
