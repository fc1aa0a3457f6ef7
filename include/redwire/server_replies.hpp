// Typed replies of server, connection and function introspection: SLOWLOG GET, ROLE,
// MEMORY STATS, LATENCY HISTOGRAM, CLIENT LIST/INFO, CLIENT TRACKINGINFO, FUNCTION LIST/STATS.
// Each accepts the RESP2 and the RESP3 shape of its reply.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redwire/convert.hpp"

namespace redwire {

/// One SLOWLOG GET entry.
struct SlowlogEntry {
  long long id = 0;
  long long timestamp = 0;    ///< unix seconds
  long long duration_us = 0;  ///< execution time in microseconds
  std::vector<std::string> args{};
  std::string client_address{};
  std::string client_name{};
};

/// ROLE: what this server is, and what it knows of its peers.
struct Role {
  struct Replica {
    std::string host{};
    long long port = 0;
    long long offset = 0;
  };
  std::string role{};  ///< "master", "slave" or "sentinel"
  // master
  long long offset = 0;  ///< master: its replication offset; slave: the processed offset
  std::vector<Replica> replicas{};
  // slave
  std::string master_host{};
  long long master_port = 0;
  std::string state{};  ///< "connect", "connecting", "sync", "connected", ...
  // sentinel
  std::vector<std::string> master_names{};
};

/// MEMORY STATS, flattened: nested maps become dotted names ("db.0.overhead.hashtable.main").
struct MemoryStats {
  std::map<std::string, double> values{};
  /// The value of `name`, if the server reported it.
  std::optional<double> get(std::string_view name) const;
};

/// One command of LATENCY HISTOGRAM.
struct CommandLatencyHistogram {
  long long calls = 0;
  std::map<long long, long long> histogram_usec{};  ///< bucket upper bound (us) -> calls
};

/// One client of CLIENT LIST / CLIENT INFO: its fields (id, addr, name, db, cmd, ...).
struct ClientInfo {
  std::map<std::string, std::string> fields{};
  /// The value of `field` ("" when absent).
  std::string get(std::string_view field) const;
  long long id() const;
  /// Parses one line "id=3 addr=127.0.0.1:5000 ... name=worker ...".
  static ClientInfo parse(std::string_view line);
};

/// CLIENT TRACKINGINFO.
struct TrackingInfo {
  std::vector<std::string> flags{};
  long long redirect = -1;
  std::vector<std::string> prefixes{};
};

/// One library of FUNCTION LIST.
struct FunctionLibrary {
  struct Function {
    std::string name{};
    std::optional<std::string> description{};
    std::vector<std::string> flags{};
  };
  std::string name{};
  std::string engine{};
  std::vector<Function> functions{};
  std::optional<std::string> code{};  ///< with WITHCODE
};

/// FUNCTION STATS.
struct FunctionStats {
  struct Running {
    std::string name{};
    std::vector<std::string> command{};
    long long duration_ms = 0;
  };
  struct Engine {
    long long libraries = 0;
    long long functions = 0;
  };
  std::optional<Running> running{};
  std::map<std::string, Engine> engines{};
};

template <>
struct FromReply<SlowlogEntry> {
  static std::error_code convert(ReplyView v, SlowlogEntry& out, std::string& detail);
};
template <>
struct FromReply<Role> {
  static std::error_code convert(ReplyView v, Role& out, std::string& detail);
};
template <>
struct FromReply<MemoryStats> {
  static std::error_code convert(ReplyView v, MemoryStats& out, std::string& detail);
};
template <>
struct FromReply<CommandLatencyHistogram> {
  static std::error_code convert(ReplyView v, CommandLatencyHistogram& out, std::string& detail);
};
/// CLIENT INFO: one line.
template <>
struct FromReply<ClientInfo> {
  static std::error_code convert(ReplyView v, ClientInfo& out, std::string& detail);
};
/// CLIENT LIST: one line per client.
template <>
struct FromReply<std::vector<ClientInfo>> {
  static std::error_code convert(ReplyView v, std::vector<ClientInfo>& out, std::string& detail);
};
template <>
struct FromReply<TrackingInfo> {
  static std::error_code convert(ReplyView v, TrackingInfo& out, std::string& detail);
};
template <>
struct FromReply<FunctionLibrary> {
  static std::error_code convert(ReplyView v, FunctionLibrary& out, std::string& detail);
};
template <>
struct FromReply<FunctionStats> {
  static std::error_code convert(ReplyView v, FunctionStats& out, std::string& detail);
};

}  // namespace redwire
