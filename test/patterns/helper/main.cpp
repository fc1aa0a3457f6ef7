// redwire_patterns_helper: the other processes of the multi-process pattern tests.
//
//   redwire_patterns_helper cache-stampede <port> <key> <threads> <start_unix_ms> <load_ms>
//   lock|nolock redwire_patterns_helper redlock-holder <ttl_ms> <resource> <storage_port> <port>...
//
// Each mode prints what happened on stdout, one fact per line, for the test to check.
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "modes.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: redwire_patterns_helper cache-stampede|redlock-holder args...\n";
    return 2;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (std::strcmp(argv[1], "cache-stampede") == 0) return helper::cache_stampede(args);
    if (std::strcmp(argv[1], "redlock-holder") == 0) return helper::redlock_holder(args);
  } catch (const std::exception& e) {
    std::cout << "ERROR " << e.what() << std::endl;
    return 1;
  }
  std::cerr << "unknown mode " << argv[1] << "\n";
  return 2;
}
