#include "redwire/pipeline.hpp"

#include "redwire/sync_client.hpp"
#include "redwire/sync_pipeline.hpp"

namespace redwire {

Pipeline Client::pipeline() {
  return Pipeline(*this);
}
Transaction Client::multi() {
  return Transaction(*this);
}
SyncPipeline SyncClient::pipeline() {
  return SyncPipeline(*client_);
}
SyncTransaction SyncClient::multi() {
  return SyncTransaction(*client_);
}

namespace detail {

void Batch::add(Command&& cmd) {
  if (error_) return;
  if (cmd.error()) {
    error_ = cmd.error();
    error_detail_ = cmd.error_detail();
    return;
  }
  if (cmd.blocking()) {
    error_ = make_error_code(errc::invalid_argument);
    error_detail_ = "blocking commands cannot be batched on the shared link";
    return;
  }
  readonly_ = readonly_ && cmd.readonly();
  payload_ += cmd.payload();
  ++count_;
}

void Batch::add_script_call(const Script& s, Command&& evalsha) {
  if (!error_ && loaded_.insert(s.sha1()).second) {
    resp::append_command(scripts_, "SCRIPT", "LOAD", s.source());
    ++preloads_;
  }
  add(std::move(evalsha));
}

std::string Batch::take_payload(bool transaction) {
  std::string out = std::move(scripts_);
  if (transaction) resp::append_command(out, "MULTI");
  out += payload_;
  if (transaction) resp::append_command(out, "EXEC");
  payload_.clear();
  scripts_.clear();
  return out;
}

BatchFinisher pipeline_finisher(std::size_t preloads) {
  return [preloads](std::vector<PipelineReply>& raw, std::error_code ec, PipelineResults& out) {
    std::vector<PipelineReply> slots(
        std::make_move_iterator(raw.begin() + static_cast<std::ptrdiff_t>(preloads)),
        std::make_move_iterator(raw.end()));
    const bool none_answered = !slots.empty() && slots.front().ec;
    out = PipelineResults(std::move(slots));
    return none_answered ? ec : std::error_code{};
  };
}

BatchFinisher transaction_finisher(std::size_t preloads, std::size_t commands) {
  return [preloads, commands](std::vector<PipelineReply>& raw, std::error_code ec,
                              PipelineResults& out) -> std::error_code {
    std::vector<PipelineReply> slots(commands);
    const PipelineReply& exec = raw.back();
    if (ec || exec.ec) {
      // The link dropped somewhere between MULTI and EXEC's reply: it may or may not have run.
      for (auto& s : slots) s.ec = ec ? ec : exec.ec;
      out = PipelineResults(std::move(slots));
      return ec ? ec : exec.ec;
    }
    const PipelineReply& multi = raw[preloads];
    if (multi.reply.is_error()) {
      for (auto& s : slots) s.reply = multi.reply;
      out = PipelineResults(std::move(slots));
      return make_error_code(classify_server_error(multi.reply.value()));
    }
    if (exec.reply.is_null()) {  // a WATCHed key changed
      for (auto& s : slots) s.ec = make_error_code(errc::transaction_aborted);
      out = PipelineResults(std::move(slots));
      return make_error_code(errc::transaction_aborted);
    }
    if (exec.reply.is_error()) {  // EXECABORT: each slot gets its queue-time reply
      for (std::size_t i = 0; i < commands; ++i) slots[i].reply = raw[preloads + 1 + i].reply;
      out = PipelineResults(std::move(slots));
      return make_error_code(classify_server_error(exec.reply.value()));
    }
    std::size_t i = 0;
    for (ReplyView element : exec.reply.view()) {
      if (i < commands) slots[i++].reply = Reply::copy_of(element);
    }
    out = PipelineResults(std::move(slots));
    return {};
  };
}

}  // namespace detail
}  // namespace redwire
