// One connection carrying subscriptions: sends (P|S)(UN)SUBSCRIBE, matches the server's
// confirmations and refusals to them, turns messages into deliveries, resubscribes in the
// connection's ready hook after every reconnect and reports the gap.
//
// Two ways to ride a connection:
//  - shared: the client's own RESP3 connection, which keeps serving other callers. On success
//    (P)SUBSCRIBE answers only with push frames and on failure with one error reply, so a
//    multiplexer counting replies cannot tell how many to expect. Each command is therefore sent
//    as MULTI / command / EXEC / DISCARD: always exactly four in-band replies, the confirmation
//    inside EXEC's array, a refusal in place of QUEUED or EXEC (DISCARD ends a transaction EXEC
//    could not end, else answers an error that is ignored). SSUBSCRIBE is refused inside MULTI,
//    so shard channels never use a shared link.
//  - dedicated: a connection of its own with nothing else in flight, in unsolicited-as-push
//    mode: every reply reaches the push handler, and errors belong to the oldest command still
//    unanswered (the server answers in order). Its health check is off (a PING in flight would
//    swallow a reply); TCP keepalive stays on.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "redwire/client.hpp"
#include "redwire/detail/connection.hpp"
#include "redwire/pubsub.hpp"

namespace redwire::detail {

class SubscriberCore;

class SubscriptionLink : public std::enable_shared_from_this<SubscriptionLink> {
 public:
  enum class Mode { shared, dedicated };

  /// Rides `connection` (a client's RESP3 link) for `kinds`.
  static std::shared_ptr<SubscriptionLink> attach_shared(std::weak_ptr<SubscriberCore> core,
                                                         std::shared_ptr<Connection> connection,
                                                         std::vector<SubscriptionKind> kinds);
  /// Opens a connection of its own with `options` for `kinds`, prepared by `setup` (the
  /// client's: a Sentinel-backed client's dedicated links find and follow the master too).
  static std::shared_ptr<SubscriptionLink> open_dedicated(std::weak_ptr<SubscriberCore> core,
                                                          asio::any_io_executor executor,
                                                          Options options,
                                                          std::vector<SubscriptionKind> kinds,
                                                          const Client::LinkSetup& setup);
  ~SubscriptionLink();
  SubscriptionLink(const SubscriptionLink&) = delete;
  SubscriptionLink& operator=(const SubscriptionLink&) = delete;

  /// Thread-safe: sends the command for `names` (queued while the link is down).
  void send(SubscriptionKind kind, bool subscribe, std::vector<std::string> names);
  /// Thread-safe: stops reacting. A shared link first unsubscribes from `names` of each kind
  /// (without waiting); a dedicated link closes its connection.
  void detach(const std::vector<std::pair<SubscriptionKind, std::vector<std::string>>>& wanted);

  Mode mode() const noexcept { return mode_; }

  // ---- called by this link's requests, on the strand ----
  void on_written(SubscriptionKind kind, bool subscribe, const std::vector<std::string>& names);
  void on_confirmed(SubscriptionKind kind, bool subscribe, std::string_view name);
  void on_refused(SubscriptionKind kind, bool subscribe, const std::vector<std::string>& names,
                  std::string_view server_text);
  void on_send_failed(SubscriptionKind kind, bool subscribe, const std::vector<std::string>& names,
                      std::error_code ec);

 private:
  struct Unanswered {
    SubscriptionKind kind;
    bool subscribe;
    std::string name;
  };
  using Clock = std::chrono::steady_clock;

  SubscriptionLink(std::weak_ptr<SubscriberCore> core, std::shared_ptr<Connection> connection,
                   Mode mode, std::vector<SubscriptionKind> kinds);
  void hook_up();
  RequestPtr make_request(SubscriptionKind kind, bool subscribe,
                          const std::vector<std::string>& names);
  void on_push(const Reply& frame);
  void on_ready();
  void on_link_event(const Event& event);
  void note_traffic(std::size_t bytes);
  void end_read_turn();
  void settle_resubscription(SubscriptionKind kind, std::string_view name);

  std::weak_ptr<SubscriberCore> core_;
  std::shared_ptr<Connection> connection_;
  const Mode mode_;
  const std::vector<SubscriptionKind> kinds_;
  std::atomic<bool> detached_{false};

  // Strand-only state.
  std::deque<Unanswered> unanswered_;  // dedicated: written commands, oldest first
  bool confirmed_on_this_link_ = false;
  Clock::time_point last_traffic_{};
  std::size_t turn_bytes_ = 0;  // message bytes handed over in the current read
  bool turn_marker_posted_ = false;
  Clock::time_point backlog_seen_{};  // the last read that drained a backlog
  // A gap: the link dropped after subscriptions were confirmed; closed when the
  // resubscription is confirmed.
  bool gap_open_ = false;
  bool gap_backlog_ = false;
  Clock::time_point gap_last_message_{};
  std::set<std::pair<SubscriptionKind, std::string>> resubscribing_;
};

}  // namespace redwire::detail
