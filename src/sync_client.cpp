#include "redwire/sync_client.hpp"

namespace redwire {

SyncClient::SyncClient(Options options) : SyncClient(std::move(options), nullptr) {}

SyncClient::SyncClient(Options options, Client::LinkSetup setup)
    : spin_(options.blocking_spin),
      work_(asio::make_work_guard(io_)),
      client_(std::make_unique<Client>(io_.get_executor(), std::move(options), std::move(setup))),
      thread_([this] { io_.run(); }) {}

SyncClient::~SyncClient() {
  client_->disconnect();
  work_.reset();
  // Let the disconnect run, then stop; the client is destroyed after the thread ends.
  asio::post(io_, [this] { io_.stop(); });
  thread_.join();
  client_.reset();
}

}  // namespace redwire
