// The guide's Pipelines & Transactions and Lua Scripting sections.
#include <iostream>

#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;

void run_pipelines_and_scripts_section(const std::string& url) {
  redwire::SyncClient redis{redwire::Options::from_url(url)};

  heading("Pipeline (batch, no atomicity)");
  auto pipeline = redis.pipeline();
  auto set = pipeline.set("a", "1");
  auto incr = pipeline.incr("a");
  auto results = pipeline.exec();
  show("pipeline.set(\"a\", \"1\"); pipeline.incr(\"a\"); results = pipeline.exec()",
       std::to_string(results.size()) + " results");
  show("results.value(set)", results.value(set));
  show("results.value(incr)", results.value(incr));
  auto mixed = redis.pipeline();
  mixed.set("text", "hello");
  auto bad = mixed.incr("text");
  auto after = mixed.get("text");
  auto mixed_results = mixed.exec();
  show("an error stays in its slot: results[bad].error_text()",
       std::string(mixed_results[bad.index].error_text()));
  show("...and the next slot is fine: results.value(after)", mixed_results.value(after));

  heading("MULTI/EXEC (atomic)");
  auto tx = redis.multi();
  tx.set("balance:alice", 100);
  auto left = tx.decrby("balance:alice", 10);
  auto res = tx.exec();
  show("tx.set(\"balance:alice\", 100); tx.decrby(\"balance:alice\", 10); tx.exec() -> decrby",
       res.value(left));
  auto watched = redwire::transaction(redis, {"balance:alice"},
                                      [](redwire::SyncWatch& w, redwire::SyncTransaction& t) {
                                        const auto balance = std::stoll(*w.get("balance:alice"));
                                        t.set("balance:alice", balance - 10);
                                      });
  show("redwire::transaction(redis, {\"balance:alice\"}, read-modify-write)  # WATCH, retried",
       redis.get("balance:alice"));
  (void)watched;

  heading("Lua Scripting");
  redwire::Script limiter{R"(
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local current = redis.call('INCR', key)
if current == 1 then
  redis.call('EXPIRE', key, window)
end
return current <= limit
)"};
  note("the guide's script, unchanged; Lua true -> 1, false -> nil");
  for (int i = 1; i <= 3; ++i) {
    auto allowed = redis.run_script<std::optional<long long>>(limiter, {"rl:ip:1.2.3.4"}, {2, 60});
    show("redis.run_script<std::optional<long long>>(limiter, {\"rl:ip:1.2.3.4\"}, {2, 60})",
         allowed ? std::string("allowed") : std::string("Rate limit exceeded"));
  }
  show("limiter.sha1()  # sent as EVALSHA; NOSCRIPT falls back to EVAL", limiter.sha1());
}

}  // namespace tour
