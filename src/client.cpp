#include "redwire/client.hpp"

#include "redwire/detail/key_prefix.hpp"

namespace redwire {

Client::Client(asio::any_io_executor executor, Options options)
    : Client(std::move(executor), std::move(options), nullptr) {}

Client::Client(asio::any_io_executor executor, Options options, LinkSetup setup)
    : executor_(std::move(executor)),
      main_(std::make_shared<detail::Connection>(executor_, std::move(options))),
      setup_(std::move(setup)) {
  if (main_->options().on_event) main_->set_event_handler(main_->options().on_event);
  if (setup_) setup_(*main_);
  if (!main_->options().lazy_connect) main_->start();
}

Client::~Client() {
  disconnect();
}

void Client::close() {
  main_->close();
  std::lock_guard lock(pool_mutex_);
  for (auto& p : pool_) p.link->close();
  for (auto& l : exclusive_all_) l->close();
}

void Client::disconnect() {
  main_->disconnect();
  std::lock_guard lock(pool_mutex_);
  for (auto& p : pool_) p.link->disconnect();
  for (auto& l : exclusive_all_) l->disconnect();
}

Client::Route Client::route(const Command& cmd) {
  if (!cmd.blocking()) return {main_, nullptr};
  std::lock_guard lock(pool_mutex_);
  PoolLink* best = nullptr;
  for (auto& p : pool_) {
    if (!best ||
        p.load->load(std::memory_order_relaxed) < best->load->load(std::memory_order_relaxed)) {
      best = &p;
    }
  }
  const bool idle = best && best->load->load(std::memory_order_relaxed) == 0;
  if (!idle && pool_.size() < std::max<std::size_t>(1, main_->options().blocking_pool_size)) {
    Options o = main_->options();
    o.lazy_connect = true;  // connects with its first command
    o.on_event = nullptr;   // events describe the main link
    pool_.push_back({std::make_shared<detail::Connection>(executor_, std::move(o)),
                     std::make_shared<std::atomic<int>>(0)});
    if (setup_) setup_(*pool_.back().link);
    best = &pool_.back();
  }
  // Counted under the lock so that two callers never both take the same idle link.
  best->load->fetch_add(1, std::memory_order_relaxed);
  return {best->link, best->load};
}

void Client::send(Route& r, Command&& cmd, detail::RequestPtr request) {
  request->load = std::move(r.load);
  request->retry_safe = request->retry_safe || cmd.readonly();
  const auto timeout = cmd.timeout();
  const auto block = cmd.block_timeout();  // WAIT sets it without being a blocking command
  if (!cmd.payload().empty()) request->payload = cmd.take_payload();
  const auto& prefix = main_->options().key_prefix;
  if (!prefix.empty()) request->payload = detail::apply_key_prefix(request->payload, prefix);
  r.link->submit(std::move(request), timeout, block);
}

void Client::submit_prepared(detail::RequestPtr request, std::shared_ptr<detail::Connection> link) {
  Route r{link ? std::move(link) : main_, nullptr};
  send(r, Command{}, std::move(request));
}

void Client::submit_on(std::shared_ptr<detail::Connection> link, Command cmd,
                       detail::RequestPtr request) {
  if (cmd.error()) {
    asio::post(executor_, [request, ec = cmd.error()] { detail::complete(*request, ec); });
    return;
  }
  Route r{std::move(link), nullptr};
  send(r, std::move(cmd), std::move(request));
}

std::shared_ptr<detail::Connection> Client::take_exclusive_link() {
  std::lock_guard lock(pool_mutex_);
  if (!exclusive_idle_.empty()) {
    auto link = std::move(exclusive_idle_.back());
    exclusive_idle_.pop_back();
    return link;
  }
  Options o = main_->options();
  o.lazy_connect = true;
  o.on_event = nullptr;
  auto link = std::make_shared<detail::Connection>(executor_, std::move(o));
  if (setup_) setup_(*link);  // e.g. Sentinel: a lease goes to the master too
  exclusive_all_.push_back(link);
  return link;
}

void Client::return_exclusive_link(std::shared_ptr<detail::Connection> link) {
  std::lock_guard lock(pool_mutex_);
  if (exclusive_idle_.size() < 4) {
    exclusive_idle_.push_back(std::move(link));
  } else {
    link->close();
    std::erase(exclusive_all_, link);
  }
}

void Client::submit(Command cmd, detail::RequestPtr request) {
  if (cmd.error()) {
    asio::post(executor_, [request, ec = cmd.error()] { detail::complete(*request, ec); });
    return;
  }
  Route r = route(cmd);
  send(r, std::move(cmd), std::move(request));
}

}  // namespace redwire
