// redwire-tour: every section of the guide (../shared/seed/), run for real against throwaway
// servers started here, printing each call and its result.
//
//   redwire-tour                 all sections
//   redwire-tour --only core     one section: core, coroutines, pipelines, pubsub, resilience,
//                                sentinel, cluster, patterns, ...
#include <cstring>
#include <exception>
#include <iostream>
#include <string>

#include "redwire/test/redis_server.hpp"
#include "sections.hpp"
#include "show.hpp"

int main(int argc, char** argv) {
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::cout << "usage: redwire-tour [--only "
                   "core|coroutines|pipelines|pubsub|resilience|sentinel|cluster|patterns]\n";
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  auto wanted = [&](const char* s) { return only.empty() || only == s; };
  try {
    redwire::test::RedisServer server{{.name = "tour redis-server", .appendonly = true}};
    std::cout << "redwire " << REDWIRE_VERSION_STRING
              << " tour against a throwaway redis-server at " << server.url() << "\n";
    if (wanted("core")) tour::run_core_sections_blocking(server.url());
    if (wanted("coroutines")) tour::run_core_sections_coroutines(server.url());
    if (wanted("pipelines")) tour::run_pipelines_and_scripts_section(server.url());
    if (wanted("pubsub")) tour::run_pubsub_streams_section(server.url());
    if (wanted("resilience")) tour::run_resilience_section(server);
    if (wanted("sentinel")) tour::run_sentinel_section();
    if (wanted("cluster")) tour::run_cluster_section();
    if (wanted("patterns")) tour::run_patterns_section(server.url());
    std::cout << "\ntour finished: every section ran against a real server\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tour failed: " << e.what() << "\n";
    return 1;
  }
}
