// One command on its way through a cluster: routed by slot, sent as an attempt on a node link,
// and — per the RedirectPolicy — sent again after MOVED (map updated), ASK (ASKING + command),
// TRYAGAIN/CLUSTERDOWN (after a delay) or a link that died before writing it. The final reply
// (or error) goes to the `sink` request: the caller's AsyncRequest / SyncRequest, or a part of a
// split command or pipeline. The sink is completed exactly once.
#pragma once

#include <asio/cancellation_type.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cluster_core.hpp"
#include "redwire/cluster/node_address.hpp"
#include "redwire/cluster/redirect_policy.hpp"
#include "redwire/detail/request.hpp"

namespace redwire::detail {

class ClusterCall : public std::enable_shared_from_this<ClusterCall> {
 public:
  struct Spec {
    std::string payload;  ///< one encoded command (key prefix applied)
    int slot = -1;        ///< -1: no keys (any master, or per scale_reads for reads)
    bool readonly = false;
    bool blocking = false;
    std::string name;                       ///< the command's name (for ReadRouter)
    std::chrono::milliseconds timeout{-1};  ///< per call; negative: Options::command_timeout
    std::chrono::milliseconds block{0};
    /// Send to this node only: no routing, no redirects followed (execute_on, fan-out).
    std::optional<cluster::NodeAddress> pinned;
  };

  ClusterCall(std::shared_ptr<ClusterCore> core, Spec spec, RequestPtr sink);

  /// Routes and sends the first attempt.
  void start();
  /// Starts from a reply already received elsewhere (a pipeline's MOVED/ASK/TRYAGAIN for this
  /// command, from the node at `from`): the policy decides as if this call had received it.
  void start_after(const Reply& cluster_reply, const cluster::NodeAddress& from);
  /// Per-operation cancellation: an unwritten command is withdrawn, a written one abandoned
  /// (terminal cancellation only); the sink ends with asio::error::operation_aborted.
  void cancel(asio::cancellation_type type);

 private:
  class Attempt;
  friend class Attempt;

  void route_and_send();
  void send(const std::shared_ptr<NodeLinks>& node, bool asking);
  void attempt_finished(Attempt& a, std::error_code ec);
  void on_cluster_reply(const Reply& reply, const cluster::NodeAddress& from);
  void apply(const cluster::RedirectDecision& d);
  void wait_then_route(std::chrono::milliseconds delay);
  void forward(const Reply& reply);
  void finish(std::error_code ec, std::string_view detail = {});
  bool cancelled_or_closing(std::error_code& why);

  std::weak_ptr<ClusterCore> core_;
  Spec spec_;
  RequestPtr sink_;
  cluster::CallTrace trace_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();

  std::atomic<bool> starting_{false};  // completions during start() are posted, never inline
  std::mutex mutex_;
  enum class Phase { idle, in_flight, waiting, done } phase_ = Phase::idle;
  bool cancelled_ = false;
  std::shared_ptr<Request> attempt_;
  std::shared_ptr<Connection> link_;
};

/// The calls behind one user command (several for a split or a fan-out), for cancellation.
class CallGroup {
 public:
  void add(const std::shared_ptr<ClusterCall>& call);
  void cancel(asio::cancellation_type type);

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<ClusterCall>> calls_;
  bool cancelled_ = false;
  asio::cancellation_type type_ = asio::cancellation_type::none;
};

}  // namespace redwire::detail
