// The request behind Pipeline::exec and Transaction::exec: several commands written as one
// payload, their replies collected in order, then handed to a completion handler that turns
// them into PipelineResults.
#pragma once

#include <asio/associated_executor.hpp>
#include <asio/dispatch.hpp>
#include <asio/execution.hpp>
#include <asio/prefer.hpp>
#include <functional>
#include <system_error>
#include <utility>
#include <vector>

#include "redwire/detail/request.hpp"
#include "redwire/pipeline_results.hpp"

namespace redwire::detail {

/// Turns the raw replies (and the reason the batch ended) into what the caller sees.
using BatchFinisher = std::function<std::error_code(std::vector<PipelineReply>& raw,
                                                    std::error_code ec, PipelineResults& out)>;

template <class Handler>
class BatchRequest final : public Request {
  using WorkExecutor = std::decay_t<decltype(asio::prefer(
      asio::get_associated_executor(std::declval<Handler&>(),
                                    std::declval<const asio::any_io_executor&>()),
      asio::execution::outstanding_work.tracked))>;

 public:
  BatchRequest(Handler handler, const asio::any_io_executor& io_executor, std::size_t replies,
               BatchFinisher finisher)
      : handler_(std::move(handler)),
        work_(asio::prefer(asio::get_associated_executor(handler_, io_executor),
                           asio::execution::outstanding_work.tracked)),
        finisher_(std::move(finisher)) {
    raw_.resize(replies);
    expected_replies = static_cast<std::uint32_t>(replies);
  }

  void on_reply(const Reply& reply) override { raw_[received - 1].reply = reply; }

  void on_finish(std::error_code ec) override {
    // Replies that never came carry the reason: indeterminate when written, else the error.
    for (std::size_t i = received; i < raw_.size(); ++i) raw_[i].ec = ec;
    PipelineResults results;
    const std::error_code whole = finisher_(raw_, ec, results);
    auto executor = std::move(work_);
    asio::dispatch(executor, [h = std::move(handler_), whole, r = std::move(results)]() mutable {
      std::move(h)(whole, std::move(r));
    });
  }

 private:
  Handler handler_;
  WorkExecutor work_;
  BatchFinisher finisher_;
  std::vector<PipelineReply> raw_;
};

}  // namespace redwire::detail
