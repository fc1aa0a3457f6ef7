// The public Subscriber: picks the links (the client's RESP3 link, or dedicated ones) and
// forwards to the core.
#include <map>
#include <mutex>

#include "redwire/client.hpp"
#include "redwire/pubsub.hpp"
#include "subscriber_core.hpp"
#include "subscription_link.hpp"

namespace redwire {
namespace {

// At most one subscriber shares a given client link: two would share the server-side
// subscriptions too, and one's UNSUBSCRIBE would silence the other.
class SharedLinkClaims {
 public:
  static SharedLinkClaims& instance() {
    static SharedLinkClaims claims;
    return claims;
  }
  bool claim(const detail::Connection* link, const std::shared_ptr<detail::SubscriberCore>& core) {
    std::lock_guard lock(m_);
    for (auto it = claims_.begin(); it != claims_.end();) {  // forget dead subscribers
      it = it->second.expired() ? claims_.erase(it) : std::next(it);
    }
    return claims_.try_emplace(link, core).second;
  }

 private:
  std::mutex m_;
  std::map<const detail::Connection*, std::weak_ptr<detail::SubscriberCore>> claims_;
};

}  // namespace

Subscriber::Subscriber(Client& client, SubscriberOptions options) {
  const bool want_shared = !options.dedicated_link && client.options().protocol == 3;
  core_ = std::make_shared<detail::SubscriberCore>(client.get_executor(), std::move(options));
  std::shared_ptr<detail::Connection> main = client.main_link().shared_from_this();
  using Kind = SubscriptionKind;
  if (want_shared && SharedLinkClaims::instance().claim(main.get(), core_)) {
    auto shared =
        detail::SubscriptionLink::attach_shared(core_, main, {Kind::channel, Kind::pattern});
    // SSUBSCRIBE cannot be wrapped in MULTI: shard channels get a link of their own, opened
    // with the first of them.
    core_->set_links(std::move(shared), nullptr,
                     [weak = std::weak_ptr(core_), ex = client.get_executor(), o = client.options(),
                      setup = client.link_setup()] {
                       return detail::SubscriptionLink::open_dedicated(
                           weak, ex, o, {Kind::shard_channel}, setup);
                     });
  } else {
    auto link = detail::SubscriptionLink::open_dedicated(
        core_, client.get_executor(), client.options(),
        {Kind::channel, Kind::pattern, Kind::shard_channel}, client.link_setup());
    core_->set_links(link, link);
  }
}

Subscriber::~Subscriber() {
  core_->close();
}

const asio::any_io_executor& Subscriber::executor() const noexcept {
  return core_->executor();
}

void Subscriber::start_change(SubscriptionKind kind, bool subscribe, std::vector<std::string> names,
                              MessageHandler handler, detail::Completion<std::error_code> done) {
  core_->change(kind, subscribe, std::move(names), std::move(handler), std::move(done));
}

void Subscriber::start_receive(detail::Completion<std::error_code, Message> done) {
  core_->receive(std::move(done));
}

std::uint64_t Subscriber::dropped() const {
  return core_->dropped();
}

std::size_t Subscriber::queued() const {
  return core_->queued();
}

void Subscriber::close() {
  core_->close();
}

}  // namespace redwire
