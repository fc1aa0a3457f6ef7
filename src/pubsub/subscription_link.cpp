#include "subscription_link.hpp"

#include <asio/post.hpp>

#include "redwire/detail/pubsub_frames.hpp"
#include "redwire/resp/encoder.hpp"
#include "subscriber_core.hpp"

namespace redwire::detail {
namespace {

// A read that hands over this many message bytes at once found the socket backed up: the
// process was not keeping up (a blocked executor, a starved thread). When the link drops
// right after such reads, the server's pubsub output-buffer limit is the likely cause (Redis
// does not tell a client why it closes its connection).
constexpr std::size_t kBacklogBytes = 16 * 1024;
constexpr auto kBacklogWindow = std::chrono::milliseconds(200);

bool transient(std::error_code ec) {
  // The link dropped around the command: the ready hook subscribes everything again.
  return ec == errc::indeterminate || ec == errc::connection_lost;
}

// Shared link: MULTI / command name / EXEC / DISCARD per name — four in-band replies each,
// success or not. DISCARD ends a transaction that EXEC could not end (older servers, or EXEC
// refused); otherwise it answers "DISCARD without MULTI", which is ignored.
constexpr std::size_t kRepliesPerName = 4;

class SharedChangeRequest final : public Request {
 public:
  SharedChangeRequest(std::weak_ptr<SubscriptionLink> link, SubscriptionKind kind, bool subscribe,
                      std::vector<std::string> names)
      : link_(std::move(link)),
        kind_(kind),
        subscribe_(subscribe),
        names_(std::move(names)),
        errors_(names_.size()),
        answered_(names_.size(), false) {
    const std::string_view command = pubsub_command(kind_, subscribe_);
    for (const auto& name : names_) {
      resp::append_command(payload, "MULTI");
      resp::append_command(payload, command, name);
      resp::append_command(payload, "EXEC");
      resp::append_command(payload, "DISCARD");
    }
    expected_replies = static_cast<std::uint32_t>(kRepliesPerName * names_.size());
  }

  void on_reply(const Reply& reply) override {
    const std::size_t index = received - 1;
    const std::size_t i = index / kRepliesPerName;
    const std::size_t step = index % kRepliesPerName;  // 0 MULTI, 1 command, 2 EXEC, 3 DISCARD
    if (i >= names_.size() || step == 3) return;
    const ReplyView v = reply.view();
    if (v.is_error() && errors_[i].empty()) errors_[i].assign(v.value());
    if (step != 2) return;
    answered_[i] = true;
    auto link = link_.lock();
    if (!link) return;
    if (errors_[i].empty() && v.is_aggregate()) {
      for (ReplyView child : v) {
        const PubSubFrame f = read_pubsub_frame(child);
        if (f.type == PubSubFrame::Type::confirmation && !f.null_name) {
          link->on_confirmed(f.kind, f.subscribe, f.name);
        } else if (f.type == PubSubFrame::Type::error && errors_[i].empty()) {
          errors_[i].assign(f.text);
        }
      }
    } else if (errors_[i].empty()) {
      errors_[i] = "EXECABORT the subscription was not applied: " + reply.to_string();
    }
    if (!errors_[i].empty()) link->on_refused(kind_, subscribe_, {names_[i]}, errors_[i]);
  }

  void on_finish(std::error_code ec) override {
    if (!ec) return;
    auto link = link_.lock();
    if (!link) return;
    std::vector<std::string> unanswered;
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (!answered_[i]) unanswered.push_back(names_[i]);
    }
    if (!unanswered.empty()) link->on_send_failed(kind_, subscribe_, unanswered, ec);
  }

 private:
  std::weak_ptr<SubscriptionLink> link_;
  SubscriptionKind kind_;
  bool subscribe_;
  std::vector<std::string> names_;
  std::vector<std::string> errors_;  // first error reply seen for each name
  std::vector<bool> answered_;
};

// Dedicated link: one command per name, complete on write; the answers come as pushes.
class DedicatedChangeRequest final : public Request {
 public:
  DedicatedChangeRequest(std::weak_ptr<SubscriptionLink> link, SubscriptionKind kind,
                         bool subscribe, std::vector<std::string> names)
      : link_(std::move(link)), kind_(kind), subscribe_(subscribe), names_(std::move(names)) {
    const std::string_view command = pubsub_command(kind_, subscribe_);
    for (const auto& name : names_) resp::append_command(payload, command, name);
    expected_replies = 0;
  }
  void on_reply(const Reply&) override {}
  void on_finish(std::error_code ec) override {
    auto link = link_.lock();
    if (!link) return;
    if (!ec) {
      link->on_written(kind_, subscribe_, names_);  // in write order: answers come in this order
    } else {
      link->on_send_failed(kind_, subscribe_, names_, ec);
    }
  }

 private:
  std::weak_ptr<SubscriptionLink> link_;
  SubscriptionKind kind_;
  bool subscribe_;
  std::vector<std::string> names_;
};

}  // namespace

SubscriptionLink::SubscriptionLink(std::weak_ptr<SubscriberCore> core,
                                   std::shared_ptr<Connection> connection, Mode mode,
                                   std::vector<SubscriptionKind> kinds)
    : core_(std::move(core)),
      connection_(std::move(connection)),
      mode_(mode),
      kinds_(std::move(kinds)) {}

SubscriptionLink::~SubscriptionLink() {
  if (mode_ == Mode::dedicated) connection_->disconnect();
}

std::shared_ptr<SubscriptionLink> SubscriptionLink::attach_shared(
    std::weak_ptr<SubscriberCore> core, std::shared_ptr<Connection> connection,
    std::vector<SubscriptionKind> kinds) {
  std::shared_ptr<SubscriptionLink> link(
      new SubscriptionLink(std::move(core), std::move(connection), Mode::shared, std::move(kinds)));
  link->hook_up();
  return link;
}

std::shared_ptr<SubscriptionLink> SubscriptionLink::open_dedicated(
    std::weak_ptr<SubscriberCore> core, asio::any_io_executor executor, Options options,
    std::vector<SubscriptionKind> kinds, const Client::LinkSetup& setup) {
  options.on_event = nullptr;  // the client's events describe the client's link
  options.lazy_connect = false;
  options.health_check_interval = std::chrono::milliseconds(0);  // see the header
  auto connection = std::make_shared<Connection>(std::move(executor), std::move(options));
  if (setup) setup(*connection);  // before our event handler: ours must be the one kept
  connection->set_unsolicited_as_push(true);
  std::shared_ptr<SubscriptionLink> link(
      new SubscriptionLink(std::move(core), connection, Mode::dedicated, std::move(kinds)));
  std::weak_ptr<SubscriptionLink> weak = link;
  connection->set_event_handler([weak](const Event& e) {
    if (auto l = weak.lock()) l->on_link_event(e);
  });
  link->hook_up();
  connection->start();
  return link;
}

void SubscriptionLink::hook_up() {
  std::weak_ptr<SubscriptionLink> weak = weak_from_this();
  connection_->add_push_handler([weak](const Reply& frame) {
    if (auto l = weak.lock()) l->on_push(frame);
  });
  connection_->add_ready_hook([weak] {
    if (auto l = weak.lock()) l->on_ready();
  });
}

RequestPtr SubscriptionLink::make_request(SubscriptionKind kind, bool subscribe,
                                          const std::vector<std::string>& names) {
  if (mode_ == Mode::shared) {
    return std::make_shared<SharedChangeRequest>(weak_from_this(), kind, subscribe, names);
  }
  return std::make_shared<DedicatedChangeRequest>(weak_from_this(), kind, subscribe, names);
}

void SubscriptionLink::send(SubscriptionKind kind, bool subscribe, std::vector<std::string> names) {
  if (names.empty() || detached_.load()) return;
  connection_->submit(make_request(kind, subscribe, names));
}

void SubscriptionLink::detach(
    const std::vector<std::pair<SubscriptionKind, std::vector<std::string>>>& wanted) {
  if (detached_.exchange(true)) return;
  if (mode_ == Mode::dedicated) {
    connection_->disconnect();
    return;
  }
  // The client's link stays: stop the server sending it messages nobody reads.
  for (const auto& [kind, names] : wanted) {
    if (names.empty()) continue;
    connection_->submit(std::make_shared<SharedChangeRequest>(std::weak_ptr<SubscriptionLink>(),
                                                              kind, false, names));
  }
}

// ------------------------------------------------------------------ strand side

void SubscriptionLink::on_written(SubscriptionKind kind, bool subscribe,
                                  const std::vector<std::string>& names) {
  for (const auto& n : names) unanswered_.push_back({kind, subscribe, n});
}

void SubscriptionLink::on_confirmed(SubscriptionKind kind, bool subscribe, std::string_view name) {
  if (detached_.load()) return;
  confirmed_on_this_link_ = true;
  last_traffic_ = Clock::now();
  if (auto core = core_.lock()) core->confirmed(kind, subscribe, name);
  if (subscribe) settle_resubscription(kind, name);
}

void SubscriptionLink::on_refused(SubscriptionKind kind, bool subscribe,
                                  const std::vector<std::string>& names,
                                  std::string_view server_text) {
  if (detached_.load()) return;
  const std::string text(server_text);
  if (auto core = core_.lock()) {
    core->failed(kind, subscribe, names, make_error_code(classify_server_error(text)), text, true);
  }
  if (subscribe) {
    for (const auto& n : names) settle_resubscription(kind, n);
  }
}

void SubscriptionLink::on_send_failed(SubscriptionKind kind, bool subscribe,
                                      const std::vector<std::string>& names, std::error_code ec) {
  if (detached_.load() || transient(ec)) return;
  if (auto core = core_.lock()) core->failed(kind, subscribe, names, ec, ec.message(), false);
}

void SubscriptionLink::on_push(const Reply& reply) {
  if (detached_.load()) return;
  const PubSubFrame f = read_pubsub_frame(reply.view());
  switch (f.type) {
    case PubSubFrame::Type::message:
      note_traffic(f.channel.size() + f.pattern.size() + f.payload.size());
      if (auto core = core_.lock()) core->deliver(f.kind, f.channel, f.pattern, f.payload);
      return;
    case PubSubFrame::Type::confirmation: {
      if (f.null_name) return;
      if (mode_ == Mode::dedicated) {
        for (auto it = unanswered_.begin(); it != unanswered_.end(); ++it) {
          if (it->kind == f.kind && it->subscribe == f.subscribe && it->name == f.name) {
            unanswered_.erase(it);
            break;
          }
        }
      }
      on_confirmed(f.kind, f.subscribe, f.name);
      return;
    }
    case PubSubFrame::Type::error: {
      // Only a dedicated link sees error replies here; they answer the oldest command.
      if (mode_ != Mode::dedicated || unanswered_.empty()) return;
      Unanswered u = std::move(unanswered_.front());
      unanswered_.pop_front();
      on_refused(u.kind, u.subscribe, {u.name}, f.text);
      return;
    }
    case PubSubFrame::Type::pong:
    case PubSubFrame::Type::other:
      return;
  }
}

void SubscriptionLink::note_traffic(std::size_t bytes) {
  last_traffic_ = Clock::now();
  turn_bytes_ += bytes;
  if (turn_marker_posted_) return;
  turn_marker_posted_ = true;
  // Runs after the current read has been handed over (the next read completes after it).
  asio::post(connection_->executor(), [weak = weak_from_this()] {
    if (auto l = weak.lock()) l->end_read_turn();
  });
}

void SubscriptionLink::end_read_turn() {
  if (turn_bytes_ >= kBacklogBytes) backlog_seen_ = Clock::now();
  turn_bytes_ = 0;
  turn_marker_posted_ = false;
}

void SubscriptionLink::on_link_event(const Event& event) {
  switch (event.type) {
    case EventType::error:
    case EventType::close:
      unanswered_.clear();  // commands on the old link are void; the ready hook resends
      return;
    case EventType::end:
      if (detached_.load()) return;
      if (auto core = core_.lock()) core->ended(event.ec);
      return;
    default:
      return;
  }
}

void SubscriptionLink::on_ready() {
  if (detached_.load()) return;
  auto core = core_.lock();
  if (!core) return;
  unanswered_.clear();
  if (confirmed_on_this_link_ && !gap_open_) {
    gap_open_ = true;
    gap_last_message_ = last_traffic_;
    gap_backlog_ =
        backlog_seen_ != Clock::time_point{} && last_traffic_ - backlog_seen_ <= kBacklogWindow;
  }
  confirmed_on_this_link_ = false;
  turn_bytes_ = 0;
  if (mode_ == Mode::shared && connection_->protocol() != 3) {
    SubscriberEvent e;
    e.type = SubscriberEventType::ended;
    e.ec = make_error_code(errc::unsupported);
    e.detail = "the server answered with RESP2: subscriptions cannot share this link";
    core->emit(e);
    return;
  }
  // Everything wanted, ahead of the commands queued while the link was down.
  resubscribing_.clear();
  for (SubscriptionKind kind : kinds_) {
    std::vector<std::string> names = core->wanted(kind);
    if (names.empty()) continue;
    for (const auto& n : names) resubscribing_.emplace(kind, n);
    connection_->submit_now(make_request(kind, true, names));
  }
  if (resubscribing_.empty()) settle_resubscription(SubscriptionKind::channel, {});
}

void SubscriptionLink::settle_resubscription(SubscriptionKind kind, std::string_view name) {
  if (!resubscribing_.empty()) {
    resubscribing_.erase({kind, std::string(name)});
    if (!resubscribing_.empty()) return;
  }
  if (!gap_open_) return;
  gap_open_ = false;
  SubscriberEvent e;
  e.type = SubscriberEventType::gap;
  e.likely_slow_consumer = gap_backlog_;
  e.last_message = gap_last_message_;
  e.resubscribed = Clock::now();
  if (auto core = core_.lock()) core->emit(e);
}

}  // namespace redwire::detail
