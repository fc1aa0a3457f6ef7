// What a Sentinel-backed client needs to know: where the sentinels are, which master they
// watch, whether to talk to the master or to a replica, and how the data node is reached.
//
//   redwire::SentinelOptions so;
//   so.sentinels = {{"127.0.0.1", 26379}, {"127.0.0.1", 26380}};
//   so.master_name = "mymaster";
//   so.node.password = std::getenv("REDIS_PASSWORD");   // the data node's credentials
//   redwire::Client redis = redwire::sentinel_client(io, so);   // see redwire/sentinel.hpp
//
// URL form (see SentinelOptions::from_url):
//   redis+sentinel://[user[:password]@]host[:port][,host[:port]...]/master_name[/db][?...]
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "redwire/options.hpp"

namespace redwire {

/// A host and a port, as sentinels report them ("127.0.0.1", 6379).
struct HostPort {
  std::string host;
  std::uint16_t port = 0;

  /// "host:port", "[::1]:port" for IPv6.
  std::string to_string() const;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

/// Which node of the monitored group a client talks to.
enum class SentinelRole {
  master,   ///< the master (default): reads and writes
  replica,  ///< a healthy replica: reads only, possibly stale
};

/// A replica as `SENTINEL REPLICAS` describes it (only healthy ones are offered for choice).
struct ReplicaInfo {
  HostPort address;                           ///< where the client would connect (after nat_map)
  std::string run_id;                         ///< "run-id"
  std::int64_t priority = 100;                ///< "slave-priority" (replica-priority)
  std::int64_t repl_offset = 0;               ///< "slave-repl-offset": higher is more up to date
  std::map<std::string, std::string> fields;  ///< every field the sentinel reported
};

/// Picks one of `healthy` (never empty) by index; nullopt: none will do (the client then falls
/// back to the master if SentinelOptions::fallback_to_master, else the attempt fails).
using ReplicaPreference =
    std::function<std::optional<std::size_t>(const std::vector<ReplicaInfo>& healthy)>;

/// Failures of Sentinel discovery; the connect attempt fails and the retry strategy applies.
enum class sentinel_errc {
  no_sentinel_reachable = 1,  ///< no sentinel answered within sentinel_timeout
  master_unknown,             ///< the sentinels that answered do not monitor master_name
  no_replica_available,       ///< role replica: no healthy replica (and no fallback)
  role_mismatch,              ///< the node's ROLE is not what was asked for (stale address)
  failover_in_progress,       ///< a failover was announced; the client waits for the new master
};

const std::error_category& sentinel_category() noexcept;
inline std::error_code make_error_code(sentinel_errc e) noexcept {
  return {static_cast<int>(e), sentinel_category()};
}

struct SentinelOptions {
  /// Seeds: asked in turn; the one that answers moves to the front. Required.
  std::vector<HostPort> sentinels;
  /// The name the sentinels monitor ("mymaster"). Required.
  std::string master_name;
  SentinelRole role = SentinelRole::master;

  /// Credentials for the sentinels (`requirepass` / ACL on the sentinel processes), distinct
  /// from the data node's (node.username / node.password). Never logged.
  std::string sentinel_username;
  std::string sentinel_password;
  /// Bound on one sentinel's connect + answer: an unreachable or stopped sentinel costs at most
  /// this much before the next one is asked.
  std::chrono::milliseconds sentinel_timeout = std::chrono::milliseconds(500);

  /// Role replica: chooses among healthy replicas; unset = uniformly at random.
  ReplicaPreference prefer_replica;
  /// Role replica: connect to the master when no replica is healthy.
  bool fallback_to_master = false;

  /// Address translation for addresses the sentinels report (masters, replicas, sentinels):
  /// "host:port" as reported -> where to connect (ioredis's natMap).
  std::map<std::string, HostPort> nat_map;
  /// Add the sentinels that `SENTINEL SENTINELS` reports to the list.
  bool update_sentinels = true;

  /// Subscribe to failover events on every known sentinel (one small link per sentinel) and
  /// move to the new node as soon as `+switch-master` is announced.
  bool follow_failovers = true;
  /// Role master: when a sentinel announces `+try-failover`, drop the link at once and hold
  /// new connections (commands wait in the offline queue) until `+switch-master`, an abort or
  /// failover_pause_limit. Writes acknowledged by the old master after the replica's promotion
  /// would be lost; this keeps the client from sending any.
  bool pause_during_failover = true;
  std::chrono::milliseconds failover_pause_limit = std::chrono::seconds(5);

  /// The data node's options: credentials, db, client name, protocol, timeouts, retry
  /// strategy, offline queue, events, TLS, ... host, port and path are ignored (discovered).
  /// node.tls applies to the sentinel links too (same CA, client certificate and server_name).
  /// connect_timeout bounds discovery + connect + handshake.
  Options node;

  /// Parses redis+sentinel://[user[:password]@]host[:port][,host[:port]...]/master_name[/db]
  /// [?role=master|replica&sentinel_username=..&sentinel_password=..&sentinel_timeout=ms
  /// &fallback_to_master=yes|no&name=..&protocol=2|3&connect_timeout=ms&command_timeout=ms].
  /// The userinfo is the data node's; sentinel credentials go in the query. Default port 26379.
  /// Sets ec (errc::invalid_url) on failure.
  static SentinelOptions from_url(std::string_view url, std::error_code& ec);
  /// Same, throwing std::system_error (without echoing the URL: it may hold a password).
  static SentinelOptions from_url(std::string_view url);
};

}  // namespace redwire

template <>
struct std::is_error_code_enum<redwire::sentinel_errc> : std::true_type {};
