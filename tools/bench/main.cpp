// redwire-bench: drives a Redis server through redwire and reports throughput, latency
// percentiles, client CPU per command and memory. scripts/bench runs it side by side with
// redis-benchmark, hiredis and ioredis.
//
//   redwire-bench [options] sequential            blocking facade, one in flight
//   redwire-bench [options] sequential-coro       one coroutine, one in flight
//   redwire-bench [options] concurrent 128        128 coroutines on one connection
//   redwire-bench [options] pipeline 100          redwire::Pipeline of 100 commands, exec()
//   redwire-bench [options] burst 100             100 commands issued at once, then awaited
//   redwire-bench [options] connections 50        50 connections, one in flight each
//
//   redwire-bench -p 6380 -t GET -d 100 -n 1000000 --json pipeline 100
//   redwire-bench -t GENERIC --generic "HINCRBY h __key__ 1" concurrent 64
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "runners.hpp"

namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace redwire::bench;
  CLI::App app{"redwire-bench: throughput, latency and cost of redwire against a Redis server"};
  app.require_subcommand(1);
  app.fallthrough();

  RunOptions run;
  run.client.connect_timeout = std::chrono::seconds(5);
  // A benchmark reports a dead server instead of waiting through reconnect attempts.
  run.client.retry_strategy = [](std::uint32_t) {
    return std::optional<std::chrono::milliseconds>{};
  };
  WorkloadOptions work;
  std::string generic;
  double duration = 5.0;
  std::int64_t warmup = -1;
  bool json = false;
  bool no_latency = false;
  long rss_every_ms = 0;

  app.add_option("--host", run.client.host, "server host")->capture_default_str();
  app.add_option("-p,--port", run.client.port, "server port")->capture_default_str();
  app.add_option("-s,--socket", run.client.path, "unix socket path (instead of host/port)");
  app.add_option("--protocol", run.client.protocol, "RESP protocol: 2 or 3")
      ->check(CLI::IsMember({2, 3}))
      ->capture_default_str();
  app.add_option("-t,--command", work.command, "SET, GET, INCR, LPUSH, MIXED or GENERIC")
      ->capture_default_str();
  app.add_option("--generic", generic,
                 "GENERIC: the command line, __key__ and __value__ substituted, e.g. "
                 "\"HINCRBY h __key__ 1\"");
  app.add_option("-d,--value-size", work.value_size, "value size in bytes")->capture_default_str();
  app.add_option("-r,--keyspace", work.keyspace, "number of distinct keys")->capture_default_str();
  app.add_option("-n,--requests", run.budget.requests, "commands to send (overrides --duration)");
  app.add_option("--duration", duration, "seconds to run when no request count is given")
      ->capture_default_str();
  app.add_option("--warmup", warmup,
                 "commands sent before measuring (default: 1000, or 20 x depth when larger)");
  app.add_option("--seed", work.seed, "random seed for key choice")->capture_default_str();
  app.add_flag("--json", json, "print one JSON object instead of the table");
  app.add_flag("--no-latency", no_latency,
               "do not read the clock per command (for instruction counts)");
  app.add_option("--rss-every", rss_every_ms, "sample RSS every this many milliseconds (soak)");

  std::uint64_t depth = 1;
  auto* sequential = app.add_subcommand("sequential", "one in flight, blocking facade");
  auto* sequential_coro = app.add_subcommand("sequential-coro", "one in flight, one coroutine");
  auto* concurrent = app.add_subcommand("concurrent", "N coroutines on one connection");
  concurrent->add_option("N", depth, "callers")->required()->check(CLI::Range(1, 1'000'000));
  auto* pipeline = app.add_subcommand("pipeline", "redwire::Pipeline of P commands, then exec()");
  pipeline->add_option("P", depth, "commands per pipeline")
      ->required()
      ->check(CLI::Range(1, 1'000'000));
  auto* burst = app.add_subcommand("burst", "P commands issued at once, then all P awaited");
  burst->add_option("P", depth, "commands per burst")->required()->check(CLI::Range(1, 1'000'000));
  auto* connections = app.add_subcommand("connections", "C connections, one in flight each");
  connections->add_option("C", depth, "connections")->required()->check(CLI::Range(1, 10'000));

  CLI11_PARSE(app, argc, argv);

  if (sequential->parsed()) run.mode = Mode::sequential;
  if (sequential_coro->parsed()) run.mode = Mode::sequential_coro;
  if (concurrent->parsed()) run.mode = Mode::concurrent;
  if (pipeline->parsed()) run.mode = Mode::pipeline;
  if (burst->parsed()) run.mode = Mode::burst;
  if (connections->parsed()) run.mode = Mode::connections;
  run.depth = depth;
  run.budget.duration = std::chrono::duration<double>(duration);
  run.budget.warmup =
      warmup >= 0 ? static_cast<std::uint64_t>(warmup) : std::max<std::uint64_t>(1000, 20 * depth);
  run.measure_latency = !no_latency;
  run.rss_every = std::chrono::milliseconds(rss_every_ms);
  work.generic_args = split_words(generic);
  if (!work.generic_args.empty() && work.command == "SET") work.command = "GENERIC";

  try {
    Workload workload(work);
    std::vector<Result> results{redwire::bench::run(run, workload)};
    const std::string out = json ? format_json(results) + "\n" : format_table(results);
    std::fputs(out.c_str(), stdout);
    const Result& r = results.front();
    if (r.requests == 0) {
      std::fprintf(stderr, "redwire-bench: no command succeeded%s%s\n",
                   r.first_error.empty() ? "" : ": ", r.first_error.c_str());
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "redwire-bench: %s\n", e.what());
    return 1;
  }
}
