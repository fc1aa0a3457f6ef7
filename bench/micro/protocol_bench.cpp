// Protocol-layer micro-benchmarks: redwire's parser and encoder side by side with hiredis's reader
// (redisReaderFeed/redisReaderGetReply/freeReplyObject) and formatter (redisFormatCommandArgv)
// on the same bytes. Names are <what>/<input>/<implementation>; items_per_second counts replies
// (or commands), bytes_per_second the wire bytes. bench/micro/compare.sh prints the ratios.
//
// redwire variants:
//   client   Parser + ReplyBuilder add/peek/clear: what the connection does for every reply
//   owning   Parser + ReplyBuilder add/take: one owning Reply per reply (like a hiredis object)
//   parser   Parser alone with an empty sink (nodes are string_views into the input)
#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <system_error>
#include <vector>

#include "inputs.hpp"
#include "redwire/resp/encoder.hpp"
#include "redwire/resp/parser.hpp"
#include "redwire/resp/reply.hpp"

extern "C" {
#include <hiredis/hiredis.h>
}

namespace redwire::bench {
namespace {

void count(benchmark::State& state, std::size_t items, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void parse_client(benchmark::State& state, const ReplyInput& in) {
  resp::Parser parser;
  resp::ReplyBuilder builder;
  std::error_code ec;
  std::size_t replies = 0;
  for (auto _ : state) {
    const std::size_t used = parser.feed(
        in.bytes,
        [&](const resp::Node& node, bool done) {
          builder.add(node);
          if (done) {
            benchmark::DoNotOptimize(builder.peek().node_count());
            builder.clear();
            ++replies;
          }
        },
        ec);
    if (ec || used != in.bytes.size()) return state.SkipWithError("redwire parse failed");
  }
  if (replies != static_cast<std::size_t>(state.iterations()) * in.replies)
    state.SkipWithError("wrong reply count");
  count(state, in.replies, in.bytes.size());
}

void parse_owning(benchmark::State& state, const ReplyInput& in) {
  resp::Parser parser;
  resp::ReplyBuilder builder;
  std::error_code ec;
  for (auto _ : state) {
    const std::size_t used = parser.feed(
        in.bytes,
        [&](const resp::Node& node, bool done) {
          builder.add(node);
          if (done) {
            Reply reply = builder.take();
            benchmark::DoNotOptimize(reply);
          }
        },
        ec);
    if (ec || used != in.bytes.size()) return state.SkipWithError("redwire parse failed");
  }
  count(state, in.replies, in.bytes.size());
}

void parse_only(benchmark::State& state, const ReplyInput& in) {
  resp::Parser parser;
  std::error_code ec;
  for (auto _ : state) {
    const std::size_t used = parser.feed(
        in.bytes, [](const resp::Node& node, bool) { benchmark::DoNotOptimize(node.value); }, ec);
    if (ec || used != in.bytes.size()) return state.SkipWithError("redwire parse failed");
  }
  count(state, in.replies, in.bytes.size());
}

void parse_hiredis(benchmark::State& state, const ReplyInput& in) {
  redisReader* reader = redisReaderCreate();
  std::size_t replies = 0;
  for (auto _ : state) {
    if (redisReaderFeed(reader, in.bytes.data(), in.bytes.size()) != REDIS_OK) {
      return state.SkipWithError("hiredis feed failed");
    }
    for (;;) {
      void* reply = nullptr;
      if (redisReaderGetReply(reader, &reply) != REDIS_OK) {
        return state.SkipWithError("hiredis parse failed");
      }
      if (reply == nullptr) break;
      ++replies;
      freeReplyObject(reply);
    }
  }
  redisReaderFree(reader);
  if (replies != static_cast<std::size_t>(state.iterations()) * in.replies)
    state.SkipWithError("wrong reply count");
  count(state, in.replies, in.bytes.size());
}

// ---- encoder ----

struct CommandInput {
  const char* name;
  std::vector<std::vector<std::string>> commands;  // each: argv
};

std::vector<CommandInput> command_inputs() {
  std::vector<std::string> rpush{"RPUSH", "list"};
  for (int i = 0; i < 100; ++i) rpush.push_back("element:" + std::to_string(i));
  std::vector<std::vector<std::string>> gets;
  for (int i = 0; i < 100; ++i) gets.push_back({"GET", "key:" + std::to_string(i)});
  return {
      {"set", {{"SET", "key:000123", "value"}}},
      {"set1k", {{"SET", "key:000123", std::string(1024, 'v')}}},
      {"rpush100", {rpush}},
      {"pipeline100", gets},
  };
}

std::size_t wire_size(const CommandInput& in) {
  std::string out;
  for (const auto& argv : in.commands) resp::append_command(out, argv);
  return out.size();
}

void encode_redwire(benchmark::State& state, const CommandInput& in) {
  std::string out;  // reused, as the connection reuses its write buffer
  for (auto _ : state) {
    out.clear();
    for (const auto& argv : in.commands) resp::append_command(out, argv);
    benchmark::DoNotOptimize(out.data());
  }
  count(state, in.commands.size(), wire_size(in));
}

void encode_hiredis(benchmark::State& state, const CommandInput& in) {
  std::vector<std::vector<const char*>> argv;
  std::vector<std::vector<std::size_t>> argvlen;
  for (const auto& cmd : in.commands) {
    argv.emplace_back();
    argvlen.emplace_back();
    for (const auto& a : cmd) {
      argv.back().push_back(a.data());
      argvlen.back().push_back(a.size());
    }
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
      char* cmd = nullptr;
      const int len = redisFormatCommandArgv(&cmd, static_cast<int>(argv[i].size()), argv[i].data(),
                                             argvlen[i].data());
      benchmark::DoNotOptimize(len);
      benchmark::DoNotOptimize(cmd);
      redisFreeCommand(cmd);
    }
  }
  count(state, in.commands.size(), wire_size(in));
}

// Registered at startup so the inputs are built once and named after their case.
const bool registered = [] {
  static const auto replies = reply_inputs();
  for (const auto& in : replies) {
    const std::string base = std::string("parse/") + in.name + "/";
    benchmark::RegisterBenchmark((base + "redwire").c_str(), parse_client, in);
    benchmark::RegisterBenchmark((base + "hiredis").c_str(), parse_hiredis, in);
    benchmark::RegisterBenchmark((base + "redwire_owning").c_str(), parse_owning, in);
    benchmark::RegisterBenchmark((base + "redwire_parser").c_str(), parse_only, in);
  }
  static const auto commands = command_inputs();
  for (const auto& in : commands) {
    const std::string base = std::string("encode/") + in.name + "/";
    benchmark::RegisterBenchmark((base + "redwire").c_str(), encode_redwire, in);
    benchmark::RegisterBenchmark((base + "hiredis").c_str(), encode_hiredis, in);
  }
  return true;
}();

}  // namespace
}  // namespace redwire::bench

BENCHMARK_MAIN();
