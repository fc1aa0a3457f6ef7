// The public StreamWorker: forwards to the core (worker_core.hpp).
#include <asio/detail/config.hpp>
// Built where Asio has C++20 coroutines (see stream_worker.hpp).
#if defined(ASIO_HAS_CO_AWAIT)

#include "redwire/stream_worker.hpp"

#include "redwire/client.hpp"
#include "worker_core.hpp"

namespace redwire {

StreamWorker::StreamWorker(Client& client, StreamWorkerOptions options, StreamHandler handler)
    : core_(std::make_shared<detail::StreamWorkerCore>(client, std::move(options),
                                                       std::move(handler))) {}

StreamWorker::~StreamWorker() {
  core_->abandon();
}

void StreamWorker::stop() {
  core_->stop();
}

StreamWorkerStats StreamWorker::stats() const {
  return core_->stats();
}

const StreamWorkerOptions& StreamWorker::options() const noexcept {
  return core_->options();
}

const asio::any_io_executor& StreamWorker::executor() const noexcept {
  return core_->executor();
}

void StreamWorker::start(detail::Completion<std::error_code> done) {
  core_->start(std::move(done));
}

}  // namespace redwire

#endif  // defined(ASIO_HAS_CO_AWAIT)
