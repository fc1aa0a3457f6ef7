// Publishing and introspection of Pub/Sub: PUBLISH, SPUBLISH, PUBSUB CHANNELS / NUMSUB / NUMPAT /
// SHARDCHANNELS / SHARDNUMSUB. Subscribing is redwire::Subscriber's job (pubsub.hpp): the
// (P|S)SUBSCRIBE family changes what a link receives and is not offered here.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/commands/run.hpp"

namespace redwire {

template <class Derived>
class PubSubCommands {
 public:
  static constexpr std::string_view typed_commands[] = {"PUBLISH",           "SPUBLISH",
                                                        "PUBSUB|CHANNELS",   "PUBSUB|NUMSUB",
                                                        "PUBSUB|NUMPAT",     "PUBSUB|SHARDCHANNELS",
                                                        "PUBSUB|SHARDNUMSUB"};

  /// PUBLISH channel message — how many subscribers received it.
  /// https://redis.io/commands/publish
  template <class... Token>
  requires TokenPack<Token...>
  auto publish(std::string_view channel, std::string_view message, Token&&... token) {
    return run<long long>(Command("PUBLISH", channel, message), std::forward<Token>(token)...);
  }
  /// SPUBLISH shardchannel message — https://redis.io/commands/spublish
  template <class... Token>
  requires TokenPack<Token...>
  auto spublish(std::string_view channel, std::string_view message, Token&&... token) {
    return run<long long>(Command("SPUBLISH", channel, message), std::forward<Token>(token)...);
  }
  /// PUBSUB CHANNELS [pattern] — active channels. https://redis.io/commands/pubsub-channels
  template <class... Token>
  requires TokenPack<Token...>
  auto pubsub_channels(std::string_view pattern, Token&&... token) {
    return run<std::vector<std::string>>(Command("PUBSUB", "CHANNELS", pattern),
                                         std::forward<Token>(token)...);
  }
  /// PUBSUB NUMSUB channel [channel ...] — (channel, subscribers) pairs.
  template <class... Token>
  requires TokenPack<Token...>
  auto pubsub_numsub(const StringList& channels, Token&&... token) {
    return run<std::vector<std::pair<std::string, long long>>>(
        Command("PUBSUB", "NUMSUB", channels), std::forward<Token>(token)...);
  }
  /// PUBSUB NUMPAT — patterns subscribed by all clients.
  template <class... Token>
  requires TokenPack<Token...>
  auto pubsub_numpat(Token&&... token) {
    return run<long long>(Command("PUBSUB", "NUMPAT"), std::forward<Token>(token)...);
  }
  /// PUBSUB SHARDCHANNELS [pattern]
  template <class... Token>
  requires TokenPack<Token...>
  auto pubsub_shardchannels(std::string_view pattern, Token&&... token) {
    return run<std::vector<std::string>>(Command("PUBSUB", "SHARDCHANNELS", pattern),
                                         std::forward<Token>(token)...);
  }
  /// PUBSUB SHARDNUMSUB shardchannel [shardchannel ...]
  template <class... Token>
  requires TokenPack<Token...>
  auto pubsub_shardnumsub(const StringList& channels, Token&&... token) {
    return run<std::vector<std::pair<std::string, long long>>>(
        Command("PUBSUB", "SHARDNUMSUB", channels), std::forward<Token>(token)...);
  }

 private:
  template <class T, class... Token>
  auto run(Command&& cmd, Token&&... token) {
    return detail::run_command<T>(static_cast<Derived&>(*this), std::move(cmd),
                                  std::forward<Token>(token)...);
  }
};

}  // namespace redwire
