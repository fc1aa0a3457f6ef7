// One small subscribed link per known sentinel, listening for the events that announce a
// failover (+try-failover, +switch-master, -failover-abort-*). Every sentinel is watched: only
// the one leading a failover announces its start, and the others announce the switch.
#pragma once

#include <asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/sentinel/options.hpp"

namespace redwire::detail {
class Connection;
}

namespace redwire::sentinel {

class FailoverWatcher {
 public:
  /// Called on the link's strand for every message: (sentinel, channel, payload).
  using OnMessage =
      std::function<void(const HostPort&, std::string_view channel, std::string_view payload)>;

  FailoverWatcher(asio::any_io_executor ex, SentinelOptions so, OnMessage on_message);
  ~FailoverWatcher();
  FailoverWatcher(const FailoverWatcher&) = delete;
  FailoverWatcher& operator=(const FailoverWatcher&) = delete;

  /// Thread-safe: watches the sentinels not watched yet (reconnecting with backoff and
  /// resubscribing after every reconnect).
  void watch(const std::vector<HostPort>& sentinels);
  /// Thread-safe: closes every link; watch() does nothing afterwards.
  void stop();

 private:
  asio::any_io_executor ex_;
  const SentinelOptions so_;
  std::shared_ptr<const OnMessage> on_message_;
  std::mutex mutex_;
  std::vector<std::pair<HostPort, std::shared_ptr<detail::Connection>>> links_;
  bool stopped_ = false;
};

}  // namespace redwire::sentinel
