// The same guide sections with C++20 coroutines on the asynchronous client.
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <iostream>
#include <stdexcept>

#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;
using asio::use_awaitable;

namespace {

asio::awaitable<void> guide(redwire::Client& redis) {
  heading("Strings (coroutines)");
  show("co_await redis.set(\"user:1001:name\", \"John\", ex(3600s), use_awaitable)",
       co_await redis.set("user:1001:name", "John", redwire::ex(3600s), use_awaitable));
  show("co_await redis.get(\"user:1001:name\", use_awaitable)",
       co_await redis.get("user:1001:name", use_awaitable));

  heading("Hashes (coroutines)");
  const redwire::FieldValues fields{{"name", "John"}, {"email", "john@example.com"}, {"age", "30"}};
  show("co_await redis.hset(\"user:1001\", fields, use_awaitable)",
       co_await redis.hset("user:1001", fields, use_awaitable));
  show("co_await redis.hgetall(\"user:1001\", use_awaitable)",
       co_await redis.hgetall("user:1001", use_awaitable));

  heading("Lists (coroutines)");
  show("co_await redis.lpush(\"queue:emails\", job, use_awaitable)",
       co_await redis.lpush("queue:emails", R"({"to":"x@y.com"})", use_awaitable));
  show("co_await redis.brpop(\"queue:emails\", 5s, use_awaitable)",
       co_await redis.brpop("queue:emails", 5s, use_awaitable));

  heading("Sets (coroutines)");
  const redwire::StringList tags{"redis", "nodejs"};
  show("co_await redis.sadd(\"tags:post:42\", tags, use_awaitable)",
       co_await redis.sadd("tags:post:42", tags, use_awaitable));
  show("co_await redis.smembers(\"tags:post:42\", use_awaitable)",
       co_await redis.smembers("tags:post:42", use_awaitable));

  heading("Sorted Sets (coroutines)");
  co_await redis.zadd("leaderboard", 100, "player:alice", use_awaitable);
  show("co_await redis.zincrby(\"leaderboard\", 5, \"player:alice\", use_awaitable)",
       co_await redis.zincrby("leaderboard", 5, "player:alice", use_awaitable));
  show("co_await redis.zrevrange_withscores(\"leaderboard\", 0, 9, use_awaitable)",
       co_await redis.zrevrange_withscores("leaderboard", 0, 9, use_awaitable));

  heading("Many callers, one connection (autopipelining)");
  int done = 0;
  for (int i = 0; i < 100; ++i) {
    redis.incr("tour:hits", [&](std::error_code ec, long long) {
      if (!ec) ++done;
    });
  }
  show("co_await redis.get(\"tour:hits\", use_awaitable)  # after 100 INCRs issued at once",
       co_await redis.get("tour:hits", use_awaitable));
  show("callbacks completed", static_cast<long long>(done));
}

}  // namespace

void run_core_sections_coroutines(const std::string& url) {
  asio::io_context io;
  redwire::Client redis{io, redwire::Options::from_url(url)};
  std::exception_ptr error;
  bool finished = false;
  asio::co_spawn(io, guide(redis), [&](std::exception_ptr e) {
    error = e;
    finished = true;
    redis.close();
  });
  io.run_for(60s);
  if (error) std::rethrow_exception(error);
  if (!finished) throw std::runtime_error("coroutine sections did not finish");
}

}  // namespace tour
