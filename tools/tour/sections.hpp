// The tour's sections; each takes the URL of a throwaway server it may use freely.
#pragma once

#include <string>

#include "redwire/test/redis_server.hpp"

namespace tour {

/// Connect, Strings, Hashes, Lists, Sets, Sorted Sets, Monitoring — with the blocking facade.
void run_core_sections_blocking(const std::string& url);
/// The same guide sections with coroutines on the asynchronous client.
void run_core_sections_coroutines(const std::string& url);
/// Resilience & Tuning: the server restarts mid-run; the queued command completes.
void run_resilience_section(redwire::test::RedisServer& server);

}  // namespace tour
