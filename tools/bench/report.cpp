#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "redwire/config.hpp"

namespace redwire::bench {
namespace {

double us(std::uint64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

nlohmann::ordered_json to_json(const Result& r) {
  nlohmann::ordered_json j;
  j["tool"] = "redwire";
  j["version"] = REDWIRE_VERSION_STRING;
  j["command"] = r.command;
  j["mode"] = r.mode;
  j["depth"] = r.depth;
  j["label"] = r.label;
  j["requests"] = r.requests;
  j["errors"] = r.errors;
  if (!r.first_error.empty()) j["first_error"] = r.first_error;
  j["seconds"] = r.seconds;
  j["ops_per_sec"] = r.ops_per_sec();
  if (r.latency_measured && r.latency.count() > 0) {
    j["latency_us"] = {{"p50", us(r.latency.percentile(50))},
                       {"p99", us(r.latency.percentile(99))},
                       {"p999", us(r.latency.percentile(99.9))},
                       {"max", us(r.latency.max())},
                       {"mean", r.latency.mean() / 1000.0}};
  } else {
    j["latency_us"] = nullptr;
  }
  j["cpu_us_per_op"] = r.requests > 0 ? r.cpu_seconds * 1e6 / static_cast<double>(r.requests) : 0.0;
  j["peak_rss_kb"] = r.peak_rss_kb;
  j["value_size"] = r.value_size;
  j["keyspace"] = r.keyspace;
  if (!r.note.empty()) j["note"] = r.note;
  if (!r.rss_samples.empty()) {
    std::uint64_t max_kb = 0;
    auto samples = nlohmann::ordered_json::array();
    for (const auto& s : r.rss_samples) {
      samples.push_back({s.at_seconds, s.rss_kb});
      max_kb = std::max(max_kb, s.rss_kb);
    }
    j["rss_kb"] = {{"first", r.rss_samples.front().rss_kb},
                   {"last", r.rss_samples.back().rss_kb},
                   {"max", max_kb},
                   {"samples", std::move(samples)}};
  }
  return j;
}

}  // namespace

std::string format_json(const std::vector<Result>& results) {
  if (results.size() == 1) return to_json(results.front()).dump();
  auto all = nlohmann::ordered_json::array();
  for (const auto& r : results) all.push_back(to_json(r));
  return all.dump();
}

std::string format_table(const std::vector<Result>& results) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-8s %-34s %12s %9s %9s %9s %9s %8s %9s %7s\n", "command",
                "mode", "ops/s", "p50 us", "p99 us", "p99.9 us", "max us", "cpu us/op", "rss KiB",
                "errors");
  out += line;
  for (const auto& r : results) {
    std::string label = r.label;
    if (label.size() > 34) label.resize(34);
    const double cpu = r.requests > 0 ? r.cpu_seconds * 1e6 / static_cast<double>(r.requests) : 0.0;
    if (r.latency_measured && r.latency.count() > 0) {
      std::snprintf(line, sizeof line,
                    "%-8s %-34s %12.0f %9.1f %9.1f %9.1f %9.1f %8.2f %9llu %7llu\n",
                    r.command.c_str(), label.c_str(), r.ops_per_sec(), us(r.latency.percentile(50)),
                    us(r.latency.percentile(99)), us(r.latency.percentile(99.9)),
                    us(r.latency.max()), cpu, static_cast<unsigned long long>(r.peak_rss_kb),
                    static_cast<unsigned long long>(r.errors));
    } else {
      std::snprintf(line, sizeof line, "%-8s %-34s %12.0f %9s %9s %9s %9s %8.2f %9llu %7llu\n",
                    r.command.c_str(), label.c_str(), r.ops_per_sec(), "-", "-", "-", "-", cpu,
                    static_cast<unsigned long long>(r.peak_rss_kb),
                    static_cast<unsigned long long>(r.errors));
    }
    out += line;
    if (!r.note.empty()) out += "         (" + r.note + ")\n";
    if (!r.first_error.empty()) out += "         first error: " + r.first_error + "\n";
    if (!r.rss_samples.empty()) {
      std::uint64_t max_kb = 0;
      for (const auto& s : r.rss_samples) max_kb = std::max(max_kb, s.rss_kb);
      std::snprintf(line, sizeof line,
                    "         RSS KiB: first %llu, last %llu, max %llu (%zu samples)\n",
                    static_cast<unsigned long long>(r.rss_samples.front().rss_kb),
                    static_cast<unsigned long long>(r.rss_samples.back().rss_kb),
                    static_cast<unsigned long long>(max_kb), r.rss_samples.size());
      out += line;
    }
  }
  return out;
}

}  // namespace redwire::bench
