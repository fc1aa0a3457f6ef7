// Queuing commands for cluster pipelines and transactions.
#include "redwire/cluster/cluster_pipeline.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/command_keys.hpp"
#include "redwire/detail/key_prefix.hpp"

namespace redwire {

ClusterPipeline ClusterClient::pipeline() {
  return ClusterPipeline(*this);
}
ClusterTransaction ClusterClient::multi() {
  return ClusterTransaction(*this);
}

namespace detail {

void ClusterBatch::add(Command&& cmd) {
  if (error_) return;
  if (cmd.error()) {
    error_ = cmd.error();
    error_detail_ = cmd.error_detail();
    return;
  }
  if (cmd.blocking()) {
    error_ = make_error_code(errc::invalid_argument);
    error_detail_ = "blocking commands cannot be batched on the shared links";
    return;
  }
  ClusterBatchEntry e;
  e.readonly = cmd.readonly();
  e.payload = cmd.take_payload();
  if (!prefix_.empty()) e.payload = apply_key_prefix(e.payload, prefix_);
  std::vector<EncodedCommand> encoded;
  if (!split_commands(e.payload, encoded) || encoded.size() != 1 || encoded[0].args.empty()) {
    error_ = make_error_code(errc::invalid_argument);
    error_detail_ = "not exactly one command";
    return;
  }
  const auto route = cluster::route_command(encoded[0].args);
  if (route.kind == cluster::CommandRoute::Kind::refused) {
    error_ = make_error_code(errc::invalid_argument);
    error_detail_ = route.detail;
    return;
  }
  entries_.push_back(std::move(e));
}

void ClusterBatch::add_script_call(const Script& s, Command&& evalsha, Command&& eval) {
  if (error_) return;
  const std::size_t before = entries_.size();
  add(std::move(evalsha));
  if (entries_.size() == before) return;
  auto& e = entries_.back();
  e.eval_payload = eval.take_payload();
  if (!prefix_.empty()) e.eval_payload = apply_key_prefix(e.eval_payload, prefix_);
  e.script_sha1 = s.sha1();
  e.script_source = s.source();
}

}  // namespace detail
}  // namespace redwire
