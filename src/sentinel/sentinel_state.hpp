// The shared state of one Sentinel-backed client: the sentinel list, the links it steers, the
// failover watcher and the pause while a failover runs. Each link asks it where to connect
// (address provider) and whether the node it reached is the right one (ROLE check).
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "failover_watcher.hpp"
#include "redwire/detail/connection.hpp"
#include "redwire/sentinel/discovery.hpp"

namespace redwire::sentinel {

class SentinelState : public std::enable_shared_from_this<SentinelState> {
 public:
  explicit SentinelState(SentinelOptions so);

  /// The body of Client::LinkSetup: installs the address provider and the ROLE check; the
  /// first link set up is the main one (its end stops the watcher).
  void setup_link(detail::Connection& conn);

 private:
  struct Link {
    std::weak_ptr<detail::Connection> conn;
    // Guarded by SentinelState::mutex_.
    std::optional<HostPort> address;  // last address given to this link
    SentinelRole expected = SentinelRole::master;
    std::uint64_t switch_seen = 0;  // +switch-master announcements this link has used
  };
  using AddressDone = detail::Connection::AddressDone;
  struct Waiter {
    std::shared_ptr<Link> link;
    AddressDone done;
  };

  void provide(const std::shared_ptr<Link>& link, AddressDone done);
  void run_discovery(const std::shared_ptr<Link>& link, AddressDone done);
  std::error_code check(const Link& link, const Reply& role, std::string& detail);
  void on_message(const HostPort& from, std::string_view channel, std::string_view payload);
  void on_failover_started();
  void on_switch(const FailoverEvent& e);
  void resume(std::uint64_t pause_gen);
  void on_main_end();
  // Callers hold mutex_.
  void start_watcher_locked();
  std::vector<std::shared_ptr<detail::Connection>> links_where_locked(
      const std::function<bool(const Link&)>& pred);

  const SentinelOptions so_;
  std::mutex mutex_;
  SentinelList sentinels_;
  std::minstd_rand rng_;
  std::vector<std::shared_ptr<Link>> links_;
  bool have_main_ = false;
  bool ended_ = false;
  std::optional<asio::any_io_executor> executor_;
  std::unique_ptr<asio::steady_timer> pause_timer_;
  std::shared_ptr<FailoverWatcher> watcher_;
  // Failover following.
  std::optional<HostPort> switched_to_;  // the last master announced by +switch-master
  std::uint64_t switch_gen_ = 0;
  bool paused_ = false;
  std::uint64_t pause_gen_ = 0;
  std::vector<Waiter> waiters_;  // provider calls held while paused
};

}  // namespace redwire::sentinel
