#include "blocking_reader.hpp"

#include "redwire/resp/encoder.hpp"

namespace redwire::detail {
namespace {

class ClientIdRequest final : public Request {
 public:
  explicit ClientIdRequest(std::weak_ptr<BlockingReader> reader, std::atomic<long long>& id)
      : reader_(std::move(reader)), id_(id) {
    resp::append_command(payload, "CLIENT", "ID");
  }
  void on_reply(const Reply& reply) override {
    auto keep = reader_.lock();  // id_ lives in the reader
    long long id = -1;
    if (keep && !from_reply(reply.view(), id)) id_.store(id);
  }
  void on_finish(std::error_code) override {}

 private:
  std::weak_ptr<BlockingReader> reader_;
  std::atomic<long long>& id_;
};

}  // namespace

std::shared_ptr<BlockingReader> BlockingReader::open(
    asio::any_io_executor executor, Options options, std::chrono::milliseconds read_timeout,
    const std::function<void(Connection&)>& setup) {
  options.on_event = nullptr;  // the client's events describe the client's link
  options.lazy_connect = false;
  // A PING queued behind a blocked read would look unanswered; read_timeout covers the link.
  options.health_check_interval = std::chrono::milliseconds(0);
  std::shared_ptr<BlockingReader> reader(new BlockingReader(executor, read_timeout));
  reader->link_ = std::make_shared<Connection>(std::move(executor), std::move(options));
  if (setup) setup(*reader->link_);
  std::weak_ptr<BlockingReader> weak = reader;
  Connection* link = reader->link_.get();  // the hook runs on the link, which outlives it
  reader->link_->add_ready_hook([weak, link] {
    auto r = weak.lock();
    if (!r) return;
    r->client_id_.store(-1);
    link->submit_now(std::make_shared<ClientIdRequest>(weak, r->client_id_));
  });
  reader->link_->start();
  return reader;
}

BlockingReader::~BlockingReader() {
  link_->disconnect();
}

void BlockingReader::close() {
  link_->disconnect();
}

}  // namespace redwire::detail
