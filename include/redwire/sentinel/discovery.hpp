// Sentinel discovery without I/O: what to ask a sentinel, how to read its answer, where to
// connect, whether a node's ROLE fits, and what a sentinel event means. The Asio side
// (src/sentinel/) only moves these bytes; unit tests feed canned replies.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "redwire/resp/reply.hpp"
#include "redwire/sentinel/options.hpp"

namespace redwire::sentinel {

/// The fields of one instance in `SENTINEL REPLICAS` / `SENTINEL SENTINELS` (RESP2 flat
/// arrays or RESP3 maps).
using InstanceFields = std::map<std::string, std::string>;

/// The sentinels in the order they are asked. Not thread-safe.
class SentinelList {
 public:
  /// Bound on sentinels learned from `SENTINEL SENTINELS` (a misbehaving peer cannot grow it).
  static constexpr std::size_t kMaxSentinels = 32;

  explicit SentinelList(std::vector<HostPort> seeds);
  const std::vector<HostPort>& addresses() const noexcept { return list_; }
  /// The sentinel that answered goes first (the next discovery asks it first).
  void promote(const HostPort& s);
  /// Appends the sentinels not yet known; returns them.
  std::vector<HostPort> merge(const std::vector<HostPort>& found);

 private:
  std::vector<HostPort> list_;
};

/// The pipeline sent to each sentinel in turn, and how many replies it yields.
struct Query {
  std::string payload;
  std::uint32_t replies = 0;
};
Query make_query(std::string_view master_name, SentinelRole role, bool ask_sentinels);

/// One sentinel's answer to make_query(), parsed.
struct Answer {
  std::optional<HostPort> master;        ///< nullopt: the name is unknown to this sentinel
  std::vector<InstanceFields> replicas;  ///< role replica only
  std::vector<HostPort> sentinels;       ///< its peers (when asked)
};
/// Parses the replies of make_query() in order. An error reply to GET-MASTER-ADDR-BY-NAME or
/// a malformed reply fails (the next sentinel is asked); errors to the other two are ignored.
std::error_code parse_answer(const std::vector<Reply>& replies, SentinelRole role,
                             bool asked_sentinels, Answer& out, std::string& detail);

/// `SENTINEL GET-MASTER-ADDR-BY-NAME`: [ip, port], or null when the name is unknown.
std::error_code parse_master_address(ReplyView v, std::optional<HostPort>& out);
/// `SENTINEL REPLICAS` / `SENTINEL SENTINELS`: one field map per instance.
std::error_code parse_instances(ReplyView v, std::vector<InstanceFields>& out);

/// Applies SentinelOptions::nat_map.
HostPort translate(const std::map<std::string, HostPort>& nat_map, HostPort address);

/// Not flagged s_down / o_down / disconnected, and its link to the master is "ok".
bool replica_is_healthy(const InstanceFields& f);
ReplicaInfo replica_info(const InstanceFields& f, const std::map<std::string, HostPort>& nat_map);

/// Where to connect, from one sentinel's answer.
struct Target {
  HostPort address;
  SentinelRole role = SentinelRole::master;  ///< what the node must say it is (ROLE check)
};
struct Choice {
  std::error_code ec;  ///< master_unknown or no_replica_available (ask the next sentinel)
  std::string detail;
  Target target;
};
Choice choose(const Answer& answer, const SentinelOptions& options, std::minstd_rand& rng);

/// The handshake's ROLE check: the node must be `expected` ("master" / "slave"); a replica's
/// link to its master must be "connected" (its first sync done).
std::error_code check_role(ReplyView role_reply, SentinelRole expected, std::string& detail);

/// What a message on a sentinel event channel means for the master called `name`.
struct FailoverEvent {
  enum class Kind {
    unrelated,  ///< another master, another event, or malformed
    started,    ///< +try-failover: a sentinel starts a failover (promotion follows shortly)
    switched,   ///< +switch-master: the new master is `new_master`
    aborted,    ///< -failover-abort-*: the master stays
  };
  Kind kind = Kind::unrelated;
  HostPort old_master;
  HostPort new_master;
};
FailoverEvent parse_event(std::string_view channel, std::string_view payload,
                          std::string_view name);
/// The channels and patterns the failover watcher subscribes to.
std::string subscribe_payload();

}  // namespace redwire::sentinel
