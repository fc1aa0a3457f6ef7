// The guide's Connect and Core Usage sections with the blocking facade, plus Monitoring.
#include <iostream>

#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;

void run_core_sections_blocking(const std::string& url) {
  heading("Connect (blocking facade)");
  redwire::Options options = redwire::Options::from_url(url);
  options.client_name = "tour";
  options.on_event = [](const redwire::Event& e) {
    if (e.type == redwire::EventType::ready) std::cout << "  [event] ready: " << e.endpoint << "\n";
    if (e.type == redwire::EventType::error)
      std::cout << "  [event] error: " << e.ec.message() << "\n";
  };
  redwire::SyncClient redis{options};
  show("redis.ping()", redis.ping());

  heading("Strings");
  show("redis.set(\"user:1001:name\", \"John\", redwire::ex(3600s))",
       redis.set("user:1001:name", "John", redwire::ex(3600s)));
  show("redis.get(\"user:1001:name\")", redis.get("user:1001:name"));
  show("redis.ttl(\"user:1001:name\")", redis.ttl("user:1001:name"));
  show("redis.incr(\"page:views\")", redis.incr("page:views"));
  show("redis.set(\"user:1001:name\", \"Jane\", redwire::nx())",
       redis.set("user:1001:name", "Jane", redwire::nx()));

  heading("Hashes");
  show(
      "redis.hset(\"user:1001\", {{\"name\",\"John\"}, {\"email\",\"john@example.com\"}, "
      "{\"age\",\"30\"}})",
      redis.hset("user:1001", {{"name", "John"}, {"email", "john@example.com"}, {"age", "30"}}));
  show("redis.hgetall(\"user:1001\")", redis.hgetall("user:1001"));
  show("redis.hincrby(\"user:1001\", \"age\", 1)", redis.hincrby("user:1001", "age", 1));

  heading("Lists (Queues)");
  show("redis.lpush(\"queue:emails\", R\"({\"to\":\"x@y.com\"})\")",
       redis.lpush("queue:emails", R"({"to":"x@y.com"})"));
  show("redis.brpop(\"queue:emails\", 5s)", redis.brpop("queue:emails", 5s));
  show("redis.brpop(\"queue:emails\", 0.2s)  # empty: times out",
       redis.brpop("queue:emails", 0.2s));

  heading("Sets");
  show("redis.sadd(\"tags:post:42\", {\"redis\", \"nodejs\"})",
       redis.sadd("tags:post:42", {"redis", "nodejs"}));
  show("redis.smembers(\"tags:post:42\")", redis.smembers("tags:post:42"));
  show("redis.sismember(\"tags:post:42\", \"redis\")", redis.sismember("tags:post:42", "redis"));

  heading("Sorted Sets (Leaderboards)");
  show("redis.zadd(\"leaderboard\", 100, \"player:alice\")",
       redis.zadd("leaderboard", 100, "player:alice"));
  show("redis.zadd(\"leaderboard\", {{90, \"player:bob\"}, {120, \"player:carol\"}})",
       redis.zadd("leaderboard", {{90, "player:bob"}, {120, "player:carol"}}));
  show("redis.zincrby(\"leaderboard\", 5, \"player:alice\")",
       redis.zincrby("leaderboard", 5, "player:alice"));
  show("redis.zrevrange_withscores(\"leaderboard\", 0, 9)",
       redis.zrevrange_withscores("leaderboard", 0, 9));

  heading("Generic commands and errors");
  show("redis.command<long long>(\"INCRBY\", \"counter\", 5)",
       redis.command<long long>("INCRBY", "counter", 5));
  try {
    redis.lpush("user:1001:name", "oops");
  } catch (const redwire::ReplyError& e) {
    show("redis.lpush(\"user:1001:name\", \"oops\")  # a string, not a list",
         std::string("ReplyError ") + std::string(e.prefix()) + ": " + e.what());
  }

  heading("Monitoring");
  auto memory = redis.info("memory");
  show("redis.info(\"memory\").get(\"memory\", \"used_memory_human\")",
       memory.get("memory", "used_memory_human"));
  show("redis.latency_latest().size()  # 0 until a latency spike is recorded",
       static_cast<long long>(redis.latency_latest().size()));
  show("redis.dbsize()", redis.dbsize());
}

}  // namespace tour
