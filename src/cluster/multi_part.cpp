#include "multi_part.hpp"

#include <asio/post.hpp>

namespace redwire::detail {

class MergeState::PartSink final : public Request {
 public:
  PartSink(std::shared_ptr<MergeState> state, std::size_t index)
      : state_(std::move(state)), index_(index) {}
  void on_reply(const Reply& reply) override { reply_ = reply; }
  void on_finish(std::error_code ec) override {
    auto state = std::move(state_);
    state->part_done(index_, std::move(reply_), ec, std::move(error_detail));
  }

 private:
  std::shared_ptr<MergeState> state_;
  std::size_t index_;
  Reply reply_;
};

MergeState::MergeState(RequestPtr sink, cluster::MergeKind kind,
                       std::vector<std::vector<std::size_t>> positions, std::size_t total,
                       std::size_t parts)
    : sink_(std::move(sink)),
      kind_(kind),
      positions_(std::move(positions)),
      total_(total),
      replies_(parts),
      errors_(parts),
      details_(parts),
      remaining_(parts) {}

RequestPtr MergeState::part_sink(std::size_t i) {
  return std::make_shared<PartSink>(shared_from_this(), i);
}

void MergeState::part_done(std::size_t i, Reply reply, std::error_code ec, std::string detail) {
  replies_[i] = std::move(reply);
  errors_[i] = ec;
  details_[i] = std::move(detail);
  if (remaining_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // Every part is in. A part that may have run without an answer makes the whole command
  // indeterminate; otherwise the first part's error is the command's.
  std::size_t failed = errors_.size();
  for (std::size_t k = 0; k < errors_.size(); ++k) {
    if (!errors_[k]) continue;
    if (failed == errors_.size() || errors_[k] == errc::indeterminate) failed = k;
    if (errors_[k] == errc::indeterminate) break;
  }
  if (failed < errors_.size()) {
    complete(*sink_, errors_[failed],
             "part " + std::to_string(failed + 1) + " of " + std::to_string(errors_.size()) +
                 (details_[failed].empty() ? std::string() : ": " + details_[failed]));
    return;
  }
  const Reply merged = cluster::merge_replies(kind_, replies_, positions_, total_);
  ++sink_->received;
  sink_->on_reply(merged);
  complete(*sink_, {});
}

void start_split(const std::shared_ptr<ClusterCore>& core, const ClusterCall::Spec& base,
                 std::vector<cluster::SplitPart> parts, cluster::SplitMerge merge, RequestPtr sink,
                 const std::shared_ptr<CallGroup>& group) {
  std::vector<std::vector<std::size_t>> positions;
  std::size_t total = 0;
  for (auto& p : parts) {
    total += p.positions.size();
    positions.push_back(std::move(p.positions));
  }
  const auto kind = merge == cluster::SplitMerge::mget  ? cluster::MergeKind::mget
                    : merge == cluster::SplitMerge::sum ? cluster::MergeKind::sum
                                                        : cluster::MergeKind::all_ok;
  auto state = std::make_shared<MergeState>(std::move(sink), kind, std::move(positions), total,
                                            parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    ClusterCall::Spec spec = base;
    spec.slot = parts[i].slot;
    spec.payload = std::move(parts[i].payload);
    auto call = std::make_shared<ClusterCall>(core, std::move(spec), state->part_sink(i));
    if (group) group->add(call);
    call->start();
  }
}

void start_fan_out(const std::shared_ptr<ClusterCore>& core, ClusterCall::Spec base,
                   cluster::FanOut fan_out, RequestPtr sink,
                   const std::shared_ptr<CallGroup>& group, bool waited) {
  auto masters = core->masters();
  if (masters.empty()) {
    // No slot map yet: wait for one refresh, then fan out (or fail).
    if (!waited) {
      core->after_refresh(
          [weak = std::weak_ptr<ClusterCore>(core), base = std::move(base), fan_out,
           sink = std::move(sink), group]() mutable {
            auto c = weak.lock();
            if (!c || c->closing())
              return complete(*sink, make_error_code(errc::connection_closed));
            start_fan_out(c, std::move(base), fan_out, std::move(sink), group, true);
          },
          false);
      return;
    }
    asio::post(core->executor(), [sink = std::move(sink)] {
      complete(*sink, make_error_code(errc::connection_lost),
               "no slot map: the cluster's masters are unknown");
    });
    return;
  }
  const auto kind = fan_out == cluster::FanOut::sum      ? cluster::MergeKind::sum
                    : fan_out == cluster::FanOut::concat ? cluster::MergeKind::concat
                                                         : cluster::MergeKind::all_ok;
  auto state = std::make_shared<MergeState>(
      std::move(sink), kind, std::vector<std::vector<std::size_t>>{}, 0, masters.size());
  for (std::size_t i = 0; i < masters.size(); ++i) {
    ClusterCall::Spec spec = base;
    spec.pinned = masters[i];
    auto call = std::make_shared<ClusterCall>(core, std::move(spec), state->part_sink(i));
    if (group) group->add(call);
    call->start();
  }
}

}  // namespace redwire::detail
