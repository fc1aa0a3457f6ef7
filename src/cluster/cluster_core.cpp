#include "cluster_core.hpp"

#include <algorithm>
#include <random>

#include "redwire/cluster/routing.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {

ClusterCore::ClusterCore(asio::any_io_executor executor, ClusterOptions options)
    : executor_(std::move(executor)),
      options_(std::move(options)),
      policy_(cluster::RedirectPolicyOptions{options_.max_redirections, options_.max_retries,
                                             options_.retry_delay}) {}

ClusterCore::~ClusterCore() = default;

void ClusterCore::start() {
  request_refresh("startup");
  arm_periodic();
}

std::uint64_t ClusterCore::random() noexcept {
  thread_local std::minstd_rand engine{std::random_device{}()};
  return engine();
}

std::shared_ptr<NodeLinks> ClusterCore::links_locked(const cluster::NodeAddress& address) {
  auto it = links_.find(address);
  if (it != links_.end()) return it->second;
  Options o = options_.node;
  const cluster::NodeAddress connect_to = options_.translate(address);
  o.host = connect_to.host;
  o.port = connect_to.port;
  o.path.clear();
  o.db = 0;
  o.key_prefix.clear();  // applied once, before routing (the prefix is part of the slot)
  o.on_event = nullptr;  // called per node by setup_link
  o.lazy_connect = false;
  // The cluster owns retries: a command that a node link could not send is handed back as soon
  // as the link fails (it dropped, or a connect attempt failed), and max_retries / retry_delay
  // (with a topology refresh) decide, instead of waiting through the node's own reconnects.
  o.max_retries_per_request = 0;
  std::weak_ptr<ClusterCore> weak = weak_from_this();
  auto node = NodeLinks::create(
      executor_, address, std::move(o),
      [weak, address](Connection& link, const std::weak_ptr<NodeLinks>& links, bool shared_link) {
        if (auto core = weak.lock()) core->setup_link(link, links, address, shared_link);
      });
  links_.emplace(address, node);
  node->start();
  return node;
}

void ClusterCore::setup_link(Connection& link, const std::weak_ptr<NodeLinks>& links,
                             const cluster::NodeAddress& announced, bool shared_link) {
  std::weak_ptr<ClusterCore> weak = weak_from_this();
  link.set_event_handler(
      [weak, links, announced, shared_link, user = options_.node.on_event](const Event& e) {
        if (auto core = weak.lock()) core->on_link_event(links, announced, e, shared_link);
        if (user) user(e);
      });
  if (options_.scale_reads != cluster::ScaleReads::master || options_.read_router) {
    // Replicas serve reads only to READONLY links; a master ignores it. Every link gets it,
    // since a master may become a replica (and back) with a failover.
    std::string readonly;
    resp::append_command(readonly, "READONLY");
    link.add_handshake_command(std::move(readonly), false);
  }
}

void ClusterCore::on_link_event(const std::weak_ptr<NodeLinks>& links,
                                const cluster::NodeAddress& announced, const Event& e,
                                bool shared_link) {
  if (!shared_link || closing()) return;
  auto node = links.lock();
  switch (e.type) {
    case EventType::ready:
      if (node) {
        node->set_up(true);
        node->set_down(false);
      }
      break;
    case EventType::reconnecting:
      if (node) node->set_down(true);
      break;
    case EventType::error:
      if (node) node->set_up(false);
      request_refresh("link to " + announced.to_string() + " failed: " + e.ec.message());
      break;
    case EventType::end: {
      if (node) node->set_up(false);
      std::lock_guard lock(mutex_);
      auto it = links_.find(announced);
      if (it != links_.end() && it->second == node) links_.erase(it);  // the next use reopens
      break;
    }
    default:
      break;
  }
}

ClusterCore::Route ClusterCore::route(int slot, bool readonly, std::string_view command) {
  std::lock_guard lock(mutex_);
  Route r;
  if (!has_map_) {
    r.status = failed_refreshes_ == 0 ? RouteStatus::loading : RouteStatus::no_route;
    r.why = "no slot map yet (" +
            (last_refresh_error_.empty() ? std::string("loading") : last_refresh_error_) + ")";
    return r;
  }
  const cluster::Shard* shard = nullptr;
  if (slot >= 0) {
    shard = map_.shard_of(slot);
    if (shard == nullptr) {
      r.why = "slot " + std::to_string(slot) + " is not served by any node";
      return r;
    }
  } else {
    // Keyless: a random shard among those whose master serves slots and is healthy.
    const auto shards = map_.shards();
    std::vector<const cluster::Shard*> eligible;
    for (const auto& s : shards) {
      const cluster::ClusterNode* m = s.master();
      if (m != nullptr && m->health != cluster::NodeHealth::failed && !s.slot_ranges.empty()) {
        eligible.push_back(&s);
      }
    }
    if (eligible.empty()) {
      r.why = "no healthy master";
      return r;
    }
    shard = eligible[random() % eligible.size()];
  }
  const cluster::ClusterNode* master = shard->master();
  if (master == nullptr || master->health == cluster::NodeHealth::failed) {
    r.why = "the master of slot " + std::to_string(slot) + " has failed";
    return r;
  }
  const cluster::ClusterNode* chosen = nullptr;
  if (readonly && options_.read_router) {
    const auto candidates = cluster::read_candidates(*shard);
    const std::size_t i = options_.read_router(candidates, command);
    chosen = i < candidates.size() ? candidates[i] : master;
  } else {
    chosen = cluster::pick_node(*shard, readonly, options_.scale_reads, random());
  }
  r.status = RouteStatus::ok;
  r.node = links_locked(chosen->address);
  return r;
}

ClusterCore::Route ClusterCore::any_master() {
  return route(-1, false, {});
}

std::shared_ptr<NodeLinks> ClusterCore::member(const cluster::NodeAddress& address) {
  std::lock_guard lock(mutex_);
  if (!has_map_ || !map_.is_member(address)) return nullptr;
  return links_locked(address);
}

void ClusterCore::note_moved(int slot, const cluster::NodeAddress& master) {
  {
    std::lock_guard lock(mutex_);
    map_.assign(slot, master);
  }
  notify_topology_listeners();
}

std::uint64_t ClusterCore::add_topology_listener(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_listener_id_++;
  listeners_.emplace_back(id, std::make_shared<std::function<void()>>(std::move(listener)));
  return id;
}

void ClusterCore::remove_topology_listener(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  std::erase_if(listeners_, [id](const auto& l) { return l.first == id; });
}

void ClusterCore::notify_topology_listeners() {
  std::vector<std::shared_ptr<std::function<void()>>> listeners;
  {
    std::lock_guard lock(mutex_);
    if (listeners_.empty()) return;
    for (const auto& l : listeners_) listeners.push_back(l.second);
  }
  for (const auto& l : listeners) (*l)();
}

void ClusterCore::run_after(std::chrono::milliseconds delay, std::function<void()> then) {
  auto timer = std::make_shared<asio::steady_timer>(executor_, delay);
  {
    std::lock_guard lock(mutex_);
    if (retry_timers_.size() > 64) {
      std::erase_if(retry_timers_, [](const auto& w) { return w.expired(); });
    }
    retry_timers_.push_back(timer);
  }
  // Runs on cancellation too (the client closing): `then` sees closing() and ends the call.
  timer->async_wait([timer, then = std::move(then)](std::error_code) { then(); });
}

bool ClusterCore::has_map() const {
  std::lock_guard lock(mutex_);
  return has_map_;
}

std::vector<cluster::NodeAddress> ClusterCore::masters() const {
  std::lock_guard lock(mutex_);
  return map_.masters();
}

std::vector<cluster::NodeAddress> ClusterCore::nodes() const {
  std::lock_guard lock(mutex_);
  return map_.nodes();
}

cluster::SlotMap ClusterCore::slot_map() const {
  std::lock_guard lock(mutex_);
  return map_;
}

ClusterStats ClusterCore::stats() const {
  ClusterStats s;
  s.moved = moved_count.load(std::memory_order_relaxed);
  s.ask = ask_count.load(std::memory_order_relaxed);
  s.retries = retry_count.load(std::memory_order_relaxed);
  s.refreshes = refresh_count.load(std::memory_order_relaxed);
  s.failed_refreshes = refresh_failures.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  s.nodes_linked = links_.size();
  return s;
}

void ClusterCore::close() {
  closing_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<NodeLinks>> nodes;
  {
    std::lock_guard lock(mutex_);
    for (auto& [address, node] : links_) nodes.push_back(node);
  }
  for (auto& n : nodes) n->close();
}

void ClusterCore::disconnect() {
  closing_.store(true, std::memory_order_release);
  std::vector<std::shared_ptr<NodeLinks>> nodes;
  std::vector<std::function<void()>> waiters;
  std::vector<std::shared_ptr<asio::steady_timer>> timers;
  {
    std::lock_guard lock(mutex_);
    for (auto& [address, node] : links_) nodes.push_back(node);
    links_.clear();
    waiters = std::move(waiters_);
    for (auto& w : pending_waiters_) waiters.push_back(std::move(w));
    pending_waiters_.clear();
    for (auto& w : retry_timers_) {
      if (auto t = w.lock()) timers.push_back(std::move(t));
    }
    retry_timers_.clear();
    if (refresh_timer_) timers.push_back(refresh_timer_);
    if (periodic_timer_) timers.push_back(periodic_timer_);
  }
  for (auto& t : timers) t->cancel();
  for (auto& n : nodes) n->disconnect();
  for (auto& w : waiters) w();  // each sees closing() and ends its call
}

}  // namespace redwire::detail
