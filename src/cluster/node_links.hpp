// The links of a cluster client to one node: one shared, multiplexed link for everything, plus
// a few lazily opened links for blocking commands (BLPOP, XREAD BLOCK, ...) so that they never
// stall the shared one — the same arrangement as redwire::Client, per node.
#pragma once

#include <asio/any_io_executor.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "redwire/cluster/node_address.hpp"
#include "redwire/detail/connection.hpp"

namespace redwire::detail {

class NodeLinks : public std::enable_shared_from_this<NodeLinks> {
 public:
  /// `setup` prepares each link before it starts (event handler, READONLY in the handshake);
  /// `shared_link` tells the shared link from a blocking one.
  using Setup =
      std::function<void(Connection&, const std::weak_ptr<NodeLinks>& node, bool shared_link)>;
  static std::shared_ptr<NodeLinks> create(asio::any_io_executor executor,
                                           cluster::NodeAddress announced, Options options,
                                           Setup setup);
  NodeLinks(asio::any_io_executor executor, cluster::NodeAddress announced, Options options,
            Setup setup);
  NodeLinks(const NodeLinks&) = delete;
  NodeLinks& operator=(const NodeLinks&) = delete;

  /// Starts connecting the shared link.
  void start();
  /// Queues `r` on the shared link, or for a blocking command on the least loaded pool link.
  /// Returns the link it went to (for cancellation).
  std::shared_ptr<Connection> submit(RequestPtr r, std::chrono::milliseconds timeout,
                                     std::chrono::milliseconds block, bool blocking);
  /// Ends every link now (pending commands end: unwritten ones errc::connection_closed).
  void disconnect();
  /// Ends every link once its pending commands are answered.
  void close();

  const cluster::NodeAddress& announced() const noexcept { return announced_; }
  /// True while the shared link is ready (as its events last said).
  bool up() const noexcept { return up_.load(std::memory_order_relaxed); }
  void set_up(bool up) noexcept { up_.store(up, std::memory_order_relaxed); }
  /// True from a failed connect or a dropped shared link until it is ready again: a command
  /// queued on it would only wait for the link's next attempt, so the cluster retries instead.
  bool down() const noexcept { return down_.load(std::memory_order_relaxed); }
  void set_down(bool down) noexcept { down_.store(down, std::memory_order_relaxed); }

 private:
  struct PoolLink {
    std::shared_ptr<Connection> link;
    std::shared_ptr<std::atomic<int>> load;
  };

  asio::any_io_executor executor_;
  cluster::NodeAddress announced_;
  Options options_;
  Setup setup_;
  std::shared_ptr<Connection> main_;
  std::mutex pool_mutex_;
  std::vector<PoolLink> pool_;
  std::atomic<bool> up_{false};
  std::atomic<bool> down_{false};
};

}  // namespace redwire::detail
