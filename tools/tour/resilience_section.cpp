// Resilience & Tuning: the guide's options in redwire form, then the tour's own server is
// killed and restarted while a command waits in the offline queue.
#include <atomic>
#include <iostream>
#include <thread>

#include "sections.hpp"
#include "show.hpp"

namespace tour {

using namespace std::chrono_literals;

void run_resilience_section(redwire::test::RedisServer& server) {
  heading("Resilience & Tuning");
  redwire::Options options = redwire::Options::from_url(server.url());
  options.max_retries_per_request = 3;                // maxRetriesPerRequest: 3
  options.ready_check = true;                         // enableReadyCheck: true
  options.retry_strategy = [](std::uint32_t times) {  // retryStrategy: min(times * 50, 2000)
    return std::optional(std::chrono::milliseconds(std::min<std::uint32_t>(times * 50, 2000)));
  };
  options.reconnect_on_error = [](const redwire::ServerError& e) {  // READONLY -> reconnect
    return e.code == redwire::server_errc::readonly ? redwire::ErrorAction::reconnect_and_resend
                                                    : redwire::ErrorAction::none;
  };
  options.offline_queue = true;  // enableOfflineQueue: true
  options.tcp_keepalive = true;  // keepAlive
  std::atomic<bool> link_down{false};
  options.on_event = [&](const redwire::Event& e) {
    if (e.type == redwire::EventType::close) link_down = true;
    std::cout << "  [event] " << redwire::to_string(e.type);
    if (e.type == redwire::EventType::reconnecting) {
      std::cout << " in " << e.delay.count() << " ms (attempt " << e.attempt << ")";
    }
    if (e.ec) std::cout << ": " << e.ec.message();
    std::cout << "\n";
  };
  redwire::SyncClient redis{options};
  show("redis.incr(\"orders:count\")", redis.incr("orders:count"));

  note("kill -9 the server; restart it 300 ms later (AOF keeps the data)");
  server.kill9();
  std::thread restarter([&] {
    std::this_thread::sleep_for(300ms);
    server.restart();
  });
  // Once the client has noticed, a command waits in the offline queue and is sent once after
  // the reconnect. (A command written before the client noticed would be reported as
  // indeterminate: INCR is not safe to resend.)
  for (int i = 0; i < 500 && !link_down; ++i) std::this_thread::sleep_for(10ms);
  show("redis.incr(\"orders:count\")  # issued while the server was down",
       redis.incr("orders:count"));
  restarter.join();
  show("redis.get(\"orders:count\")", redis.get("orders:count"));
}

}  // namespace tour
