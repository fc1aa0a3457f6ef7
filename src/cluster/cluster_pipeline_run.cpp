// A cluster pipeline on its way: entries grouped per node and sent as one batch per node, in
// parallel; redirected or unsent entries sent again alone; split and fan-out entries run as
// their own calls; results collected in the caller's order.
#include <algorithm>
#include <unordered_set>

#include "cluster_call.hpp"
#include "cluster_core.hpp"
#include "multi_part.hpp"
#include "redwire/cluster/cluster_pipeline.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/command_keys.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

class PipelineRun : public std::enable_shared_from_this<PipelineRun> {
 public:
  PipelineRun(std::shared_ptr<ClusterCore> core, std::vector<ClusterBatchEntry> entries,
              BatchCompletion done)
      : core_(std::move(core)),
        entries_(std::move(entries)),
        routes_(entries_.size()),
        results_(entries_.size()),
        done_(std::move(done)) {}

  void start();
  /// Sends entry `i` alone (after `cluster_reply` from `from`, when given).
  void send_alone(std::size_t i, const Reply* cluster_reply, const cluster::NodeAddress* from);
  void one_done();

  std::vector<PipelineReply>& results() noexcept { return results_; }
  bool closing() const noexcept { return core_->closing(); }

 private:
  class NodeBatch;
  class EntrySink;

  void dispatch();

  std::shared_ptr<ClusterCore> core_;
  std::vector<ClusterBatchEntry> entries_;
  std::vector<cluster::CommandRoute> routes_;
  std::vector<PipelineReply> results_;
  BatchCompletion done_;
  std::atomic<std::size_t> outstanding_{1};  // one held by dispatch() until it has sent all
};

// The replies of one node's share of the pipeline.
class PipelineRun::NodeBatch final : public Request {
 public:
  NodeBatch(std::shared_ptr<PipelineRun> run, cluster::NodeAddress at,
            std::vector<std::size_t> indices, std::size_t preloads)
      : run_(std::move(run)),
        at_(std::move(at)),
        indices_(std::move(indices)),
        preloads_(preloads),
        held_(indices_.size()),
        answered_(indices_.size(), false) {
    expected_replies = static_cast<std::uint32_t>(preloads_ + indices_.size());
  }

  void on_reply(const Reply& reply) override {
    const std::size_t k = received - 1;
    if (k < preloads_) return;  // SCRIPT LOAD
    const std::size_t j = k - preloads_;
    if (reply.is_error() && cluster::RedirectPolicy::is_cluster_reply(reply.value())) {
      held_[j] = reply;
    } else {
      run_->results()[indices_[j]].reply = reply;
    }
    answered_[j] = true;
  }

  void on_finish(std::error_code ec) override {
    auto run = std::move(run_);
    const bool unsent = ec && cluster::RedirectPolicy::is_unsent(ec);
    for (std::size_t j = 0; j < indices_.size(); ++j) {
      const std::size_t i = indices_[j];
      if (held_[j]) {
        run->send_alone(i, &*held_[j], &at_);
      } else if (!answered_[j]) {
        if (unsent && !run->closing()) {
          run->send_alone(i, nullptr, nullptr);  // never reached the node: route it afresh
        } else {
          run->results()[i].ec = ec ? ec : make_error_code(errc::indeterminate);
        }
      }
    }
    run->one_done();
  }

 private:
  std::shared_ptr<PipelineRun> run_;
  cluster::NodeAddress at_;
  std::vector<std::size_t> indices_;
  std::size_t preloads_;
  std::vector<std::optional<Reply>> held_;
  std::vector<bool> answered_;
};

// The reply of one entry sent on its own (or split, or fanned out).
class PipelineRun::EntrySink final : public Request {
 public:
  EntrySink(std::shared_ptr<PipelineRun> run, std::size_t index)
      : run_(std::move(run)), index_(index) {}
  void on_reply(const Reply& reply) override { run_->results()[index_].reply = reply; }
  void on_finish(std::error_code ec) override {
    auto run = std::move(run_);
    if (ec) run->results()[index_].ec = ec;
    run->one_done();
  }

 private:
  std::shared_ptr<PipelineRun> run_;
  std::size_t index_;
};

void PipelineRun::start() {
  if (core_->has_map() || core_->closing()) return dispatch();
  core_->after_refresh([self = shared_from_this()] { self->dispatch(); }, false);
}

void PipelineRun::dispatch() {
  struct Group {
    std::shared_ptr<NodeLinks> node;
    std::vector<std::size_t> indices;
  };
  std::vector<Group> groups;
  std::shared_ptr<NodeLinks> keyless_node;
  auto group_for = [&](const std::shared_ptr<NodeLinks>& node) -> Group& {
    for (auto& g : groups) {
      if (g.node == node) return g;
    }
    groups.push_back(Group{node, {}});
    return groups.back();
  };
  std::vector<std::size_t> alone;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    std::vector<EncodedCommand> encoded;
    split_commands(entries_[i].payload, encoded);  // checked when queued
    const auto& args = encoded.front().args;
    routes_[i] = cluster::route_command(args);
    auto& route = routes_[i];
    switch (route.kind) {
      case cluster::CommandRoute::Kind::cross_slot:
        results_[i].reply = Reply::simple(resp::Type::simple_error, route.detail);
        break;
      case cluster::CommandRoute::Kind::split: {
        outstanding_.fetch_add(1, std::memory_order_relaxed);
        ClusterCall::Spec base;
        base.readonly = entries_[i].readonly;
        start_split(core_, base, cluster::split_by_slot(args, route.merge), route.merge,
                    std::make_shared<EntrySink>(shared_from_this(), i), nullptr);
        break;
      }
      case cluster::CommandRoute::Kind::all_masters: {
        outstanding_.fetch_add(1, std::memory_order_relaxed);
        ClusterCall::Spec base;
        base.readonly = entries_[i].readonly;
        base.payload = entries_[i].payload;
        start_fan_out(core_, std::move(base), route.fan_out,
                      std::make_shared<EntrySink>(shared_from_this(), i), nullptr);
        break;
      }
      case cluster::CommandRoute::Kind::keyless: {
        if (!keyless_node) keyless_node = core_->any_master().node;
        if (keyless_node && !keyless_node->down()) {
          group_for(keyless_node).indices.push_back(i);
        } else {
          alone.push_back(i);
        }
        break;
      }
      case cluster::CommandRoute::Kind::slot: {
        auto r = core_->route(route.slot, entries_[i].readonly, {});
        if (r.status == ClusterCore::RouteStatus::ok && !r.node->down()) {
          group_for(r.node).indices.push_back(i);
        } else {
          alone.push_back(i);  // its call waits for a route, or retries while the link is down
        }
        break;
      }
      case cluster::CommandRoute::Kind::refused:
        results_[i].ec = make_error_code(errc::invalid_argument);
        break;
    }
  }
  for (auto& g : groups) {
    outstanding_.fetch_add(1, std::memory_order_relaxed);
    std::string payload;
    std::size_t preloads = 0;
    bool readonly = true;
    std::unordered_set<std::string_view> loaded;
    for (std::size_t i : g.indices) {
      const auto& e = entries_[i];
      readonly = readonly && e.readonly;
      if (!e.script_sha1.empty() && loaded.insert(e.script_sha1).second) {
        resp::append_command(payload, "SCRIPT", "LOAD", e.script_source);
        ++preloads;
      }
    }
    for (std::size_t i : g.indices) payload += entries_[i].payload;
    auto batch = std::make_shared<NodeBatch>(shared_from_this(), g.node->announced(),
                                             std::move(g.indices), preloads);
    batch->payload = std::move(payload);
    batch->retry_safe = readonly;
    g.node->submit(std::move(batch), std::chrono::milliseconds(-1), std::chrono::milliseconds(0),
                   false);
  }
  for (std::size_t i : alone) send_alone(i, nullptr, nullptr);
  one_done();  // dispatch's own hold
}

void PipelineRun::send_alone(std::size_t i, const Reply* cluster_reply,
                             const cluster::NodeAddress* from) {
  outstanding_.fetch_add(1, std::memory_order_relaxed);
  const auto& e = entries_[i];
  ClusterCall::Spec spec;
  // A script call sent alone goes as EVAL: the node it lands on may not have the script.
  spec.payload = e.eval_payload.empty() ? e.payload : e.eval_payload;
  spec.slot = routes_[i].kind == cluster::CommandRoute::Kind::slot ? routes_[i].slot : -1;
  spec.readonly = e.readonly;
  auto call = std::make_shared<ClusterCall>(core_, std::move(spec),
                                            std::make_shared<EntrySink>(shared_from_this(), i));
  if (cluster_reply != nullptr) {
    call->start_after(*cluster_reply, *from);
  } else {
    call->start();
  }
}

void PipelineRun::one_done() {
  if (outstanding_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::error_code whole;
  const bool none_answered =
      !results_.empty() &&
      std::all_of(results_.begin(), results_.end(), [](const PipelineReply& r) { return r.ec; });
  if (none_answered) whole = results_.front().ec;
  done_.complete(whole, PipelineResults(std::move(results_)));
}

}  // namespace

void run_cluster_pipeline(ClusterClient& client, std::vector<ClusterBatchEntry> entries,
                          BatchCompletion done) {
  std::make_shared<PipelineRun>(client.core(), std::move(entries), std::move(done))->start();
}

}  // namespace redwire::detail
