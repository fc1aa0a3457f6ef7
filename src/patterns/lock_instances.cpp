#include "lock_instances.hpp"

#include <condition_variable>
#include <mutex>

#include "sync_calls.hpp"

namespace redwire::patterns::detail {

LockInstances::LockInstances(const std::vector<Options>& endpoints)
    : io_(std::make_unique<asio::io_context>()),
      work_(std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
          io_->get_executor())) {
  for (const Options& endpoint : endpoints) {
    auto& health = *health_.emplace_back(std::make_unique<std::atomic<int>>(unknown));
    Options o = endpoint;
    o.on_event = [&health, user = endpoint.on_event](const Event& e) {
      switch (e.type) {
        case EventType::ready:
          health = up;
          break;
        case EventType::error:
        case EventType::close:
        case EventType::reconnecting:
        case EventType::end:
          health = down;
          break;
        default:
          break;
      }
      if (user) user(e);
    };
    owned_.push_back(std::make_unique<Client>(*io_, o));
    clients_.push_back(owned_.back().get());
    names_.push_back(o.endpoint());
  }
  thread_ = std::thread([io = io_.get()] { io->run(); });
}

LockInstances::LockInstances(std::vector<Client*> clients) : clients_(std::move(clients)) {
  for (Client* c : clients_) names_.push_back(c->options().endpoint());
}

LockInstances::~LockInstances() {
  if (!io_) return;
  for (auto& c : owned_) c->disconnect();
  work_.reset();
  io_->stop();
  thread_.join();
  owned_.clear();  // after the io thread: nothing runs on them any more
}

std::vector<LockInstances::Answer> LockInstances::run_everywhere(
    const Script& script, const std::vector<std::string>& keys, const ScriptArgs& args,
    std::chrono::milliseconds timeout) {
  struct Tally {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<Answer> answers;
    std::size_t pending;
  };
  auto tally = std::make_shared<Tally>();
  tally->answers.resize(clients_.size());
  tally->pending = clients_.size();
  const StringList key_list(keys);
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    auto record = [tally, i](std::error_code ec, Reply reply) {
      std::lock_guard lock(tally->mutex);
      Answer& a = tally->answers[i];
      if (!ec && reply.is_error()) {
        ec = make_error_code(classify_server_error(reply.value()));
        a.detail = std::string(reply.value());
      }
      a.ec = ec;
      a.reply = std::move(reply);
      if (--tally->pending == 0) tally->done.notify_one();
    };
    if (i < health_.size() && health_[i]->load() == down) {
      std::lock_guard lock(tally->mutex);
      Answer& a = tally->answers[i];
      a.ec = make_error_code(errc::connection_lost);
      a.detail = "instance down (reconnecting)";
      --tally->pending;
      continue;
    }
    Client* client = clients_[i];
    client->execute<Reply>(timed(script.evalsha(key_list, args), timeout),
                           [client, eval = timed(script.eval(key_list, args), timeout),
                            record = std::move(record)](std::error_code ec, Reply reply) mutable {
                             if (!ec && reply.is_error() &&
                                 classify_server_error(reply.value()) == server_errc::noscript) {
                               client->execute<Reply>(std::move(eval), std::move(record));
                               return;
                             }
                             record(ec, std::move(reply));
                           });
  }
  std::unique_lock lock(tally->mutex);
  tally->done.wait(lock, [&] { return tally->pending == 0; });
  return std::move(tally->answers);
}

}  // namespace redwire::patterns::detail
