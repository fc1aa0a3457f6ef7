// redwire-example-service: the guide's Express app (rate-limit middleware answering 429, cached
// user profiles, an orders stream with worker consumers) as a C++ service. See http_api.hpp for
// the routes and docs/example-service.md for a walk-through.
//
//   redwire-example-service --redis redis://127.0.0.1:6379 --port 8080
//   redwire-example-service --redis redis+sentinel://127.0.0.1:26379,127.0.0.1:26380/mymaster
//   curl -i localhost:8080/users/42
//   curl -i -XPOST localhost:8080/orders -d '{"orderId":"o-123","amount":"49.99"}'
//
// SIGINT / SIGTERM: stops taking requests, lets the workers acknowledge what they are
// processing, exits 0.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "http_api.hpp"
#include "redwire/sentinel.hpp"

namespace {

// redis://, rediss://, unix:// name one server; redis+sentinel://s1,s2,.../mymaster names the
// master the sentinels know by that name, followed across failovers.
redwire::SyncClient make_client(const std::string& url, std::chrono::milliseconds command_timeout,
                                std::string& where) {
  auto tune = [&](redwire::Options& o) {
    o.command_timeout = command_timeout;
    o.client_name = "redwire-example-service";
  };
  if (url.find("+sentinel://") != std::string::npos) {
    auto so = redwire::SentinelOptions::from_url(url);
    tune(so.node);
    where = "master '" + so.master_name + "' via " + std::to_string(so.sentinels.size()) +
            " sentinel(s)";
    return redwire::sentinel_sync_client(std::move(so));
  }
  auto options = redwire::Options::from_url(url);
  tune(options);
  where = options.endpoint();
  return redwire::SyncClient{options};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"redwire example service: the ioredis guide's Express app, in C++"};
  std::string redis_url = "redis://127.0.0.1:6379";
  std::string host = "127.0.0.1";
  int port = 8080;
  long long rate_limit = 100;
  long long rate_window_s = 60;
  long long users = 100'000;
  long long db_latency_ms = 20;
  long long command_timeout_ms = 2000;
  int threads = 8;
  service::OrderWorkersOptions workers;
  long long claim_idle_ms = 30'000;
  service::ApiOptions api;
  app.add_option("--redis", redis_url,
                 "Redis URL (redis://, rediss://, unix://, redis+sentinel://host:port,.../name)")
      ->capture_default_str();
  app.add_option("--host", host, "address to listen on")->capture_default_str();
  app.add_option("--port", port, "port to listen on")->capture_default_str();
  app.add_option("--rate-limit", rate_limit, "requests per client per window")
      ->capture_default_str();
  app.add_option("--rate-window", rate_window_s, "rate-limit window, seconds")
      ->capture_default_str();
  app.add_flag("--trust-proxy", api.trust_proxy, "client address from X-Forwarded-For");
  app.add_option("--users", users, "users in the fake database")->capture_default_str();
  app.add_option("--db-latency-ms", db_latency_ms, "fake database latency per lookup")
      ->capture_default_str();
  app.add_option("--command-timeout-ms", command_timeout_ms, "bound on each Redis command")
      ->capture_default_str();
  app.add_option("--threads", threads, "HTTP worker threads")->capture_default_str();
  app.add_option("--workers", workers.workers, "order stream consumers")->capture_default_str();
  app.add_option("--claim-idle-ms", claim_idle_ms, "take over orders pending this long")
      ->capture_default_str();
  app.add_option("--max-deliveries", workers.max_deliveries,
                 "deliveries before an order goes to stream:orders:dead")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  workers.claim_min_idle = std::chrono::milliseconds(claim_idle_ms);
  workers.claim_interval = std::min(workers.claim_min_idle, workers.claim_interval);

  // Signals are taken by a thread of their own (sigwait): block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    std::string where;
    redwire::SyncClient redis =
        make_client(redis_url, std::chrono::milliseconds(command_timeout_ms), where);

    service::UsersDb db{users, std::chrono::milliseconds(db_latency_ms)};
    redwire::patterns::Cache profiles{
        redis,
        {.negative_ttl = std::chrono::seconds(60),
         .on_redis_error = redwire::patterns::OnRedisError::load_from_source}};
    redwire::patterns::RateLimiter limiter{
        redis,
        redwire::patterns::FixedWindow{rate_limit, std::chrono::seconds(rate_window_s)},
        {.prefix = "rl", .on_redis_error = redwire::patterns::RateLimitFailure::allow}};
    service::OrderWorkers order_workers{redis.async(), workers};
    service::Services services{redis, profiles, limiter, db, order_workers, api};

    httplib::Server server;
    server.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    service::install_routes(server, services);
    if (!server.bind_to_port(host, port)) {
      std::fprintf(stderr, "cannot listen on %s:%d\n", host.c_str(), port);
      return 1;
    }
    order_workers.start();
    std::atomic<bool> signalled{false};
    std::thread signals([&server, &stop_signals, &signalled] {
      int signo = 0;
      sigwait(&stop_signals, &signo);
      signalled = true;
      std::fprintf(stderr, "signal %d: stopping\n", signo);
      server.stop();
    });
    std::printf("listening on http://%s:%d (redis %s)\n", host.c_str(), port, where.c_str());
    std::fflush(stdout);
    server.listen_after_bind();
    order_workers.stop();
    if (!signalled) pthread_kill(signals.native_handle(), SIGTERM);  // listen ended on its own
    signals.join();
    std::printf("stopped\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
