// Commands that run in parts: a multi-key command split per slot (MGET, MSET, DEL, UNLINK,
// EXISTS, TOUCH) and a keyless command sent to every master (FLUSHALL, DBSIZE, KEYS, SCRIPT
// LOAD, ...). Each part is a ClusterCall of its own (redirects handled per part); the parts'
// replies are merged (reply_merge.hpp) into the one reply the caller's sink receives.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "cluster_call.hpp"
#include "redwire/cluster/reply_merge.hpp"
#include "redwire/cluster/routing.hpp"

namespace redwire::detail {

/// Collects the parts' outcomes; the last one to finish merges and completes the sink.
class MergeState : public std::enable_shared_from_this<MergeState> {
 public:
  MergeState(RequestPtr sink, cluster::MergeKind kind,
             std::vector<std::vector<std::size_t>> positions, std::size_t total, std::size_t parts);

  /// The request that receives part `i`'s reply.
  RequestPtr part_sink(std::size_t i);

 private:
  class PartSink;
  void part_done(std::size_t i, Reply reply, std::error_code ec, std::string detail);

  RequestPtr sink_;
  cluster::MergeKind kind_;
  std::vector<std::vector<std::size_t>> positions_;
  std::size_t total_;
  std::vector<Reply> replies_;
  std::vector<std::error_code> errors_;
  std::vector<std::string> details_;
  std::atomic<std::size_t> remaining_;
};

/// Runs `parts` (from split_by_slot) as calls based on `base`, merged per `merge`.
void start_split(const std::shared_ptr<ClusterCore>& core, const ClusterCall::Spec& base,
                 std::vector<cluster::SplitPart> parts, cluster::SplitMerge merge, RequestPtr sink,
                 const std::shared_ptr<CallGroup>& group);

/// Runs `base` on every master serving slots (waiting for the first slot map if need be),
/// merged per `fan_out`.
void start_fan_out(const std::shared_ptr<ClusterCore>& core, ClusterCall::Spec base,
                   cluster::FanOut fan_out, RequestPtr sink,
                   const std::shared_ptr<CallGroup>& group, bool waited = false);

}  // namespace redwire::detail
