// The shared state of a cluster client: the slot map, one NodeLinks per node, topology refresh
// (rate-limited, coalesced, optionally periodic), and timers for delayed retries. Thread-safe:
// commands are routed from any thread; link events and refresh answers arrive on link strands.
// Decisions come from the sans-io pieces (SlotMap, routing, RedirectPolicy); this class keeps
// their state and moves requests to links.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "node_links.hpp"
#include "redwire/cluster/cluster_client.hpp"
#include "redwire/cluster/cluster_options.hpp"
#include "redwire/cluster/redirect_policy.hpp"
#include "redwire/cluster/slot_map.hpp"

namespace redwire::detail {

class TopologyQuery;

class ClusterCore : public std::enable_shared_from_this<ClusterCore> {
 public:
  ClusterCore(asio::any_io_executor executor, ClusterOptions options);
  ~ClusterCore();
  ClusterCore(const ClusterCore&) = delete;
  ClusterCore& operator=(const ClusterCore&) = delete;

  /// Loads the first slot map (and arms the periodic refresh).
  void start();

  const asio::any_io_executor& executor() const noexcept { return executor_; }
  const ClusterOptions& options() const noexcept { return options_; }
  const cluster::RedirectPolicy& policy() const noexcept { return policy_; }

  enum class RouteStatus {
    ok,
    loading,   ///< no slot map yet and none has failed: wait for the first refresh
    no_route,  ///< nobody serves the slot now (a hole, a failed master): retry later
  };
  struct Route {
    RouteStatus status = RouteStatus::no_route;
    std::shared_ptr<NodeLinks> node;
    std::string why;
  };
  /// The node for `slot` (-1: any master), per scale_reads / read_router when `readonly`.
  Route route(int slot, bool readonly, std::string_view command);
  /// A random master serving slots (keyless batches).
  Route any_master();
  /// The links of the member at `address` (created on first use); nullptr when the slot map
  /// does not list it (the caller refreshes first: redirects go to members only).
  std::shared_ptr<NodeLinks> member(const cluster::NodeAddress& address);
  /// MOVED: `slot` is served by `master` (a member) from now on.
  void note_moved(int slot, const cluster::NodeAddress& master);

  /// Refreshes the topology soon: now, or when min_refresh_interval has passed since the last
  /// refresh; a refresh in progress absorbs the request (another follows it).
  void request_refresh(std::string_view reason);
  /// Runs `then` once a refresh has ended (well or not): one that starts after this call
  /// when `fresh` (the caller knows something the current one may have missed), else the one
  /// in progress if there is one.
  void after_refresh(std::function<void()> then, bool fresh = true);
  /// Runs `then` after `delay` on the client's executor (also when the client closes: `then`
  /// checks closing()).
  void run_after(std::chrono::milliseconds delay, std::function<void()> then);

  /// True once a slot map has loaded.
  bool has_map() const;
  std::vector<cluster::NodeAddress> masters() const;
  std::vector<cluster::NodeAddress> nodes() const;
  cluster::SlotMap slot_map() const;

  /// Called after every successful refresh and every MOVED update of the map, on whatever
  /// thread made the change, without locks held (the cluster subscriber re-homes shard
  /// channels). Returns an id for remove_topology_listener().
  std::uint64_t add_topology_listener(std::function<void()> listener);
  void remove_topology_listener(std::uint64_t id);
  ClusterStats stats() const;
  bool closing() const noexcept { return closing_.load(std::memory_order_acquire); }
  void close();
  void disconnect();

  std::uint64_t random() noexcept;

  // Counters (ClusterStats).
  std::atomic<std::uint64_t> moved_count{0}, ask_count{0}, retry_count{0}, refresh_count{0},
      refresh_failures{0};

 private:
  friend class TopologyQuery;

  std::shared_ptr<NodeLinks> links_locked(const cluster::NodeAddress& address);
  void setup_link(Connection& link, const std::weak_ptr<NodeLinks>& links,
                  const cluster::NodeAddress& announced, bool shared_link);
  void on_link_event(const std::weak_ptr<NodeLinks>& links, const cluster::NodeAddress& announced,
                     const Event& e, bool shared_link);
  /// Links for a topology query: members and seeds alike.
  std::shared_ptr<NodeLinks> query_links(const cluster::NodeAddress& address);
  void begin_refresh();
  void refresh_done(std::shared_ptr<cluster::SlotMap> map, std::string error);
  void arm_periodic();
  void notify_topology_listeners();
  std::vector<cluster::NodeAddress> refresh_candidates();

  asio::any_io_executor executor_;
  ClusterOptions options_;
  cluster::RedirectPolicy policy_;
  std::atomic<bool> closing_{false};

  mutable std::mutex mutex_;
  cluster::SlotMap map_;
  bool has_map_ = false;
  std::unordered_map<cluster::NodeAddress, std::shared_ptr<NodeLinks>, cluster::NodeAddressHash>
      links_;
  // Refresh state.
  bool refreshing_ = false;
  bool refresh_again_ = false;
  bool refresh_timer_armed_ = false;
  std::uint64_t failed_refreshes_ = 0;  // since the last good one
  std::string last_refresh_error_;
  std::chrono::steady_clock::time_point last_refresh_{};
  std::vector<std::function<void()>> waiters_;          // for the refresh in progress
  std::vector<std::function<void()>> pending_waiters_;  // for the next one
  std::shared_ptr<asio::steady_timer> refresh_timer_;
  std::shared_ptr<asio::steady_timer> periodic_timer_;
  std::vector<std::weak_ptr<asio::steady_timer>> retry_timers_;
  std::vector<std::pair<std::uint64_t, std::shared_ptr<std::function<void()>>>> listeners_;
  std::uint64_t next_listener_id_ = 1;
};

}  // namespace redwire::detail
