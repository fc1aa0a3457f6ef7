#include "node_links.hpp"

#include <algorithm>

namespace redwire::detail {

std::shared_ptr<NodeLinks> NodeLinks::create(asio::any_io_executor executor,
                                             cluster::NodeAddress announced, Options options,
                                             Setup setup) {
  auto node = std::make_shared<NodeLinks>(std::move(executor), std::move(announced),
                                          std::move(options), std::move(setup));
  if (node->setup_) node->setup_(*node->main_, node, true);
  return node;
}

NodeLinks::NodeLinks(asio::any_io_executor executor, cluster::NodeAddress announced,
                     Options options, Setup setup)
    : executor_(std::move(executor)),
      announced_(std::move(announced)),
      options_(std::move(options)),
      setup_(std::move(setup)),
      main_(std::make_shared<Connection>(executor_, options_)) {}

void NodeLinks::start() {
  main_->start();
}

std::shared_ptr<Connection> NodeLinks::submit(RequestPtr r, std::chrono::milliseconds timeout,
                                              std::chrono::milliseconds block, bool blocking) {
  if (!blocking) {
    main_->submit(std::move(r), timeout, block);
    return main_;
  }
  std::shared_ptr<Connection> link;
  {
    std::lock_guard lock(pool_mutex_);
    PoolLink* best = nullptr;
    for (auto& p : pool_) {
      if (!best ||
          p.load->load(std::memory_order_relaxed) < best->load->load(std::memory_order_relaxed)) {
        best = &p;
      }
    }
    const bool idle = best && best->load->load(std::memory_order_relaxed) == 0;
    if (!idle && pool_.size() < std::max<std::size_t>(1, options_.blocking_pool_size)) {
      Options o = options_;
      o.lazy_connect = true;  // connects with its first command
      pool_.push_back({std::make_shared<Connection>(executor_, std::move(o)),
                       std::make_shared<std::atomic<int>>(0)});
      if (setup_) setup_(*pool_.back().link, weak_from_this(), false);
      best = &pool_.back();
    }
    best->load->fetch_add(1, std::memory_order_relaxed);
    r->load = best->load;
    link = best->link;
  }
  link->submit(std::move(r), timeout, block);
  return link;
}

void NodeLinks::disconnect() {
  main_->disconnect();
  std::lock_guard lock(pool_mutex_);
  for (auto& p : pool_) p.link->disconnect();
}

void NodeLinks::close() {
  main_->close();
  std::lock_guard lock(pool_mutex_);
  for (auto& p : pool_) p.link->close();
}

}  // namespace redwire::detail
