#include "redwire/cluster/sync_cluster_client.hpp"

#include <asio/post.hpp>

namespace redwire {

SyncClusterClient::SyncClusterClient(ClusterOptions options)
    : spin_(options.node.blocking_spin),
      work_(asio::make_work_guard(io_)),
      client_(std::make_unique<ClusterClient>(io_.get_executor(), std::move(options))),
      thread_([this] { io_.run(); }) {}

SyncClusterClient::~SyncClusterClient() {
  client_->disconnect();
  work_.reset();
  // Let the disconnect run, then stop; the client is destroyed after the thread ends.
  asio::post(io_, [this] { io_.stop(); });
  thread_.join();
  client_.reset();
}

}  // namespace redwire
