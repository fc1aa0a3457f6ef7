// A cluster transaction on its way: MULTI ... EXEC on the master of its one slot. Refused at
// queue time because the slot moved (MOVED, then EXECABORT), it is sent again to the new
// master — nothing ran. ASK, TRYAGAIN and CLUSTERDOWN make it wait and retry.
#include <unordered_set>

#include "cluster_core.hpp"
#include "redwire/cluster/cluster_pipeline.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/command_keys.hpp"
#include "redwire/pipeline.hpp"
#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

class TransactionRun : public std::enable_shared_from_this<TransactionRun> {
 public:
  TransactionRun(std::shared_ptr<ClusterCore> core, std::vector<ClusterBatchEntry> entries,
                 BatchCompletion done)
      : core_(std::move(core)), entries_(std::move(entries)), done_(std::move(done)) {}

  void start();
  void on_finish(std::vector<PipelineReply> raw, std::error_code ec, bool written,
                 const cluster::NodeAddress& from);

 private:
  class Exec;

  void send();
  void send_to(const std::shared_ptr<NodeLinks>& node);
  void decide(const cluster::RedirectDecision& d, std::vector<PipelineReply>& raw,
              std::error_code ec);
  void finish(std::vector<PipelineReply>& raw, std::error_code ec);
  void fail(std::error_code ec);

  std::shared_ptr<ClusterCore> core_;
  std::vector<ClusterBatchEntry> entries_;
  BatchCompletion done_;
  int slot_ = -1;
  std::string payload_;
  std::size_t preloads_ = 0;
  cluster::CallTrace trace_;
};

class TransactionRun::Exec final : public Request {
 public:
  Exec(std::shared_ptr<TransactionRun> run, cluster::NodeAddress at, std::size_t replies)
      : run_(std::move(run)), at_(std::move(at)), raw_(replies) {
    expected_replies = static_cast<std::uint32_t>(replies);
    never_replay = true;
  }
  void on_reply(const Reply& reply) override { raw_[received - 1].reply = reply; }
  void on_finish(std::error_code ec) override {
    for (std::size_t i = received; i < raw_.size(); ++i) raw_[i].ec = ec;
    auto run = std::move(run_);
    run->on_finish(std::move(raw_), ec, written, at_);
  }

 private:
  std::shared_ptr<TransactionRun> run_;
  cluster::NodeAddress at_;
  std::vector<PipelineReply> raw_;
};

void TransactionRun::start() {
  // One slot for every key of every command.
  std::string detail;
  for (const auto& e : entries_) {
    std::vector<EncodedCommand> encoded;
    split_commands(e.payload, encoded);  // checked when queued
    std::string why;
    const int s = cluster::common_slot(encoded.front().args, &why);
    if (s == -1) continue;
    if (s == -2 || (slot_ >= 0 && s != slot_)) {
      if (s != -2) {
        why = "CROSSSLOT Keys in request don't hash to the same slot (the transaction uses slots " +
              std::to_string(slot_) + " and " + std::to_string(s) +
              "; use a {hash tag} to keep them together)";
      }
      std::vector<PipelineReply> slots(entries_.size());
      for (auto& r : slots) r.reply = Reply::simple(resp::Type::simple_error, why);
      done_.complete(make_error_code(server_errc::crossslot), PipelineResults(std::move(slots)));
      return;
    }
    slot_ = s;
  }
  std::unordered_set<std::string_view> loaded;
  for (const auto& e : entries_) {
    if (!e.script_sha1.empty() && loaded.insert(e.script_sha1).second) {
      resp::append_command(payload_, "SCRIPT", "LOAD", e.script_source);
      ++preloads_;
    }
  }
  resp::append_command(payload_, "MULTI");
  for (const auto& e : entries_) payload_ += e.payload;
  resp::append_command(payload_, "EXEC");
  send();
}

void TransactionRun::send() {
  if (core_->closing()) return fail(make_error_code(errc::connection_closed));
  auto route = core_->route(slot_, false, {});
  switch (route.status) {
    case ClusterCore::RouteStatus::ok:
      return send_to(route.node);
    case ClusterCore::RouteStatus::loading:
      core_->after_refresh([self = shared_from_this()] { self->send(); }, false);
      return;
    case ClusterCore::RouteStatus::no_route: {
      std::vector<PipelineReply> none;
      return decide(core_->policy().on_no_route(route.why, trace_), none, {});
    }
  }
}

void TransactionRun::send_to(const std::shared_ptr<NodeLinks>& node) {
  if (node->down()) {
    // As ClusterCall::send: not queued on a link that waits to reconnect; nothing was sent.
    std::vector<PipelineReply> none;
    return decide(core_->policy().on_link_down(node->announced(), trace_), none,
                  make_error_code(errc::connection_lost));
  }
  auto exec = std::make_shared<Exec>(shared_from_this(), node->announced(),
                                     preloads_ + entries_.size() + 2);
  exec->payload = payload_;
  node->submit(std::move(exec), std::chrono::milliseconds(-1), std::chrono::milliseconds(0), false);
}

void TransactionRun::on_finish(std::vector<PipelineReply> raw, std::error_code ec, bool written,
                               const cluster::NodeAddress& from) {
  if (ec) {
    if (!written && !core_->closing()) {
      auto d = core_->policy().on_link_error(ec, true, from, trace_);
      if (d.action != cluster::RedirectDecision::Action::deliver) return decide(d, raw, ec);
    }
    return finish(raw, ec);
  }
  // Discarded at queue time because of a cluster reply? Then nothing ran: follow it.
  const PipelineReply& exec = raw.back();
  if (exec.reply.is_error()) {
    for (std::size_t i = preloads_; i + 1 < raw.size(); ++i) {
      const Reply& r = raw[i].reply;
      if (r.is_error() && cluster::RedirectPolicy::is_cluster_reply(r.value())) {
        return decide(core_->policy().on_error_reply(r.value(), from, trace_), raw, {});
      }
    }
  }
  finish(raw, {});
}

void TransactionRun::decide(const cluster::RedirectDecision& d, std::vector<PipelineReply>& raw,
                            std::error_code ec) {
  using Action = cluster::RedirectDecision::Action;
  if (d.refresh) core_->request_refresh("transaction");
  switch (d.action) {
    case Action::deliver:
      if (raw.empty()) return fail(ec ? ec : make_error_code(errc::connection_lost));
      return finish(raw, ec);
    case Action::fail:
      return fail(d.ec);
    case Action::follow_moved:
      core_->moved_count.fetch_add(1, std::memory_order_relaxed);
      if (auto node = core_->member(d.redirect.target)) {
        core_->note_moved(d.redirect.slot, d.redirect.target);
        return send_to(node);
      }
      core_->after_refresh([self = shared_from_this()] { self->send(); });
      return;
    case Action::follow_ask:  // mid-migration: wait until the slot has moved
    case Action::retry_later: {
      core_->retry_count.fetch_add(1, std::memory_order_relaxed);
      auto delay = d.delay;
      if (d.action == Action::follow_ask) {
        if (trace_.retries >= core_->policy().options().max_retries) return finish(raw, ec);
        delay = core_->policy().options().retry_delay(++trace_.retries);
      }
      core_->run_after(delay, [self = shared_from_this()] { self->send(); });
      return;
    }
  }
}

void TransactionRun::finish(std::vector<PipelineReply>& raw, std::error_code ec) {
  PipelineResults out;
  const std::error_code whole = transaction_finisher(preloads_, entries_.size())(raw, ec, out);
  done_.complete(whole, std::move(out));
}

void TransactionRun::fail(std::error_code ec) {
  std::vector<PipelineReply> slots(entries_.size());
  for (auto& s : slots) s.ec = ec;
  done_.complete(ec, PipelineResults(std::move(slots)));
}

}  // namespace

void run_cluster_transaction(ClusterClient& client, std::vector<ClusterBatchEntry> entries,
                             BatchCompletion done) {
  std::make_shared<TransactionRun>(client.core(), std::move(entries), std::move(done))->start();
}

}  // namespace redwire::detail
