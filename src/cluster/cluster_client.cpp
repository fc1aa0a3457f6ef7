#include "redwire/cluster/cluster_client.hpp"

#include <asio/post.hpp>
#include <system_error>

#include "cluster_call.hpp"
#include "cluster_core.hpp"
#include "multi_part.hpp"
#include "redwire/cluster/routing.hpp"
#include "redwire/command_keys.hpp"
#include "redwire/detail/key_prefix.hpp"

namespace redwire {
namespace {

std::shared_ptr<detail::ClusterCore> make_core(asio::any_io_executor executor,
                                               ClusterOptions options) {
  std::string detail;
  if (auto ec = options.validate(detail)) throw std::system_error(ec, detail);
  return std::make_shared<detail::ClusterCore>(std::move(executor), std::move(options));
}

}  // namespace

ClusterClient::ClusterClient(asio::any_io_executor executor, ClusterOptions options)
    : executor_(executor), core_(make_core(std::move(executor), std::move(options))) {
  core_->start();
}

ClusterClient::~ClusterClient() {
  core_->disconnect();
}

const ClusterOptions& ClusterClient::options() const noexcept {
  return core_->options();
}

std::vector<cluster::NodeAddress> ClusterClient::masters() const {
  return core_->masters();
}
std::vector<cluster::NodeAddress> ClusterClient::nodes() const {
  return core_->nodes();
}
cluster::SlotMap ClusterClient::slot_map() const {
  return core_->slot_map();
}
ClusterStats ClusterClient::stats() const {
  return core_->stats();
}
void ClusterClient::refresh() {
  core_->request_refresh("asked by the user");
}
void ClusterClient::close() {
  core_->close();
}
void ClusterClient::disconnect() {
  core_->disconnect();
}

std::shared_ptr<detail::CallGroup> ClusterClient::submit(Command cmd, detail::RequestPtr sink,
                                                         std::optional<cluster::NodeAddress> pinned,
                                                         bool cancellable) {
  auto group = cancellable ? std::make_shared<detail::CallGroup>() : nullptr;
  // Outcomes decided here are posted: a completion never runs inside the initiating call.
  auto end_now = [&](std::error_code ec, std::string detail) {
    asio::post(executor_,
               [sink, ec, detail = std::move(detail)] { detail::complete(*sink, ec, detail); });
  };
  if (cmd.error()) {
    end_now(cmd.error(), cmd.error_detail());
    return group;
  }
  if (core_->closing()) {
    end_now(make_error_code(errc::connection_closed), {});
    return group;
  }
  detail::ClusterCall::Spec spec;
  spec.readonly = cmd.readonly();
  spec.blocking = cmd.blocking();
  spec.timeout = cmd.timeout();
  spec.block = cmd.block_timeout();
  std::string payload = cmd.take_payload();
  const auto& prefix = core_->options().node.key_prefix;
  if (!prefix.empty()) payload = detail::apply_key_prefix(payload, prefix);

  std::vector<EncodedCommand> encoded;
  if (!split_commands(payload, encoded) || encoded.size() != 1 || encoded[0].args.empty()) {
    end_now(make_error_code(errc::invalid_argument), "not exactly one command");
    return group;
  }
  const auto& args = encoded[0].args;
  if (core_->options().read_router) spec.name = std::string(args[0]);
  auto route = cluster::route_command(args);
  if (route.kind == cluster::CommandRoute::Kind::refused) {
    end_now(make_error_code(errc::invalid_argument), route.detail);
    return group;
  }
  if (pinned) {  // that node exactly: keys are not checked against it
    spec.pinned = std::move(pinned);
    spec.payload = std::move(payload);
  } else {
    switch (route.kind) {
      case cluster::CommandRoute::Kind::cross_slot:
        // What the server would answer, without a round trip.
        asio::post(executor_, [sink, text = std::move(route.detail)] {
          ++sink->received;
          sink->on_reply(Reply::simple(resp::Type::simple_error, text));
          detail::complete(*sink, {});
        });
        return group;
      case cluster::CommandRoute::Kind::split: {
        auto parts = cluster::split_by_slot(args, route.merge);
        detail::start_split(core_, spec, std::move(parts), route.merge, std::move(sink), group);
        return group;
      }
      case cluster::CommandRoute::Kind::all_masters:
        spec.payload = std::move(payload);
        detail::start_fan_out(core_, std::move(spec), route.fan_out, std::move(sink), group);
        return group;
      default:
        spec.slot = route.slot;
        spec.payload = std::move(payload);
        break;
    }
  }
  auto call = std::make_shared<detail::ClusterCall>(core_, std::move(spec), std::move(sink));
  if (group) group->add(call);
  call->start();
  return group;
}

}  // namespace redwire
