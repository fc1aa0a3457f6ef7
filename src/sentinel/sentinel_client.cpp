#include "redwire/sentinel.hpp"

#include "sentinel_state.hpp"

namespace redwire {

SentinelSetup sentinel_setup(SentinelOptions options) {
  auto invalid = [](const char* what) {
    throw std::system_error(make_error_code(errc::invalid_argument), what);
  };
  if (options.sentinels.empty()) invalid("SentinelOptions: no sentinels");
  if (options.master_name.empty()) invalid("SentinelOptions: no master_name");
  if (!options.node.path.empty()) invalid("SentinelOptions: node.path (unix socket) is not used");
  if (options.sentinel_timeout.count() <= 0) invalid("SentinelOptions: sentinel_timeout <= 0");

  Options node = options.node;
  if (options.role == SentinelRole::master) {
    // A demoted master answers writes with READONLY: the write did not run, so it is safe to
    // send it again once the link has found the new master. (Not for replicas: there READONLY
    // is the user writing to a replica, and every replica would say the same.)
    node.reconnect_on_error = [user = node.reconnect_on_error](const ServerError& e) {
      if (user) {
        if (const ErrorAction a = user(e); a != ErrorAction::none) return a;
      }
      return e.code == server_errc::readonly ? ErrorAction::reconnect_and_resend
                                             : ErrorAction::none;
    };
  }
  auto state = std::make_shared<sentinel::SentinelState>(std::move(options));
  return {std::move(node), [state](detail::Connection& c) { state->setup_link(c); }};
}

Client sentinel_client(asio::any_io_executor executor, SentinelOptions options) {
  SentinelSetup s = sentinel_setup(std::move(options));
  return Client(std::move(executor), std::move(s.options), std::move(s.link_setup));
}

SyncClient sentinel_sync_client(SentinelOptions options) {
  SentinelSetup s = sentinel_setup(std::move(options));
  return SyncClient(std::move(s.options), std::move(s.link_setup));
}

}  // namespace redwire
