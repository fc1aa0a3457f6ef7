// The tour's sections; each takes the URL of a throwaway server it may use freely.
#pragma once

#include <string>

#include "redwire/test/redis_server.hpp"

namespace tour {

/// Connect, Strings, Hashes, Lists, Sets, Sorted Sets, Monitoring — with the blocking facade.
void run_core_sections_blocking(const std::string& url);
/// The same guide sections with coroutines on the asynchronous client.
void run_core_sections_coroutines(const std::string& url);
/// Pub/Sub (publisher, subscriber), Streams (producer, consumer group) and a reliable queue.
void run_pubsub_streams_section(const std::string& url);
/// Pipelines & Transactions, Lua Scripting.
void run_pipelines_and_scripts_section(const std::string& url);
/// Resilience & Tuning: the server restarts mid-run; the queued command completes.
void run_resilience_section(redwire::test::RedisServer& server);
/// Sentinel: a throwaway 1 master + 1 replica + 3 sentinels; a manual failover is followed.
void run_sentinel_section();
/// Cluster: a throwaway 3 masters + 3 replicas; routing, hash tags, cross-slot MGET, a pipeline.
void run_cluster_section();
/// Caching Helpers, rate limiting and Redlock (the tour's server plus 2 more for Redlock).
void run_patterns_section(const std::string& url);

}  // namespace tour
