// Every typed method is exercised against a real server at least once.
//
// ServerTest::TearDown() adds the names in its server's INFO commandstats to one set; when the
// binary runs with REDWIRE_COMMAND_COVERAGE=1 (the ctest entry `typed_command_coverage` runs
// every test that way), the end of the run compares that set with the typed_commands registry
// of every command group and fails naming each typed command no test sent. Commands that a
// shared test server must not run are listed below with the reason.

#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "fixture.hpp"
#include "redwire/commands.hpp"
#include "redwire/test/typed_commands.hpp"

namespace redwire::testing {
namespace {

std::mutex seen_mutex;
std::set<std::string>& seen() {
  static std::set<std::string> s;
  return s;
}

bool coverage_enabled() {
  const char* v = std::getenv("REDWIRE_COMMAND_COVERAGE");
  return v != nullptr && std::string_view(v) == "1";
}

// "cmdstat_client|kill:calls=1,..." -> "CLIENT|KILL"
void add_commandstats(const std::string& info) {
  std::lock_guard lock(seen_mutex);
  std::size_t pos = 0;
  while ((pos = info.find("cmdstat_", pos)) != std::string::npos) {
    pos += 8;
    const std::size_t colon = info.find(':', pos);
    if (colon == std::string::npos) break;
    std::string name = info.substr(pos, colon - pos);
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    seen().insert(std::move(name));
    pos = colon;
  }
}

// Typed, but not sent by the suite's per-test servers on purpose.
const std::map<std::string, std::string>& not_exercised() {
  static const std::map<std::string, std::string> m{
      {"SHUTDOWN", "stops the server (the harness stops servers itself)"},
      {"MONITOR", "turns the connection into a monitor stream (client_api_test covers it)"},
      {"FAILOVER", "needs a replica (Sentinel/cluster suites cover failovers)"},
      {"REPLICAOF", "turns the test server into a replica"},
      {"SLAVEOF", "turns the test server into a replica"},
  };
  return m;
}

class CoverageCheck : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!coverage_enabled()) return;
    std::size_t missing = 0;
    for (const auto& [name, group] : test::typed_commands()) {
      if (seen().count(name) != 0 || not_exercised().count(name) != 0) continue;
      ++missing;
      ADD_FAILURE() << group << "::" << name
                    << " has a typed method that no integration test sends to a server";
    }
    std::cout << "[ coverage ] " << test::typed_commands().size() << " typed commands, "
              << seen().size() << " command names seen by the servers, " << missing
              << " typed commands never sent\n";
  }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new CoverageCheck);

}  // namespace

void ServerTest::TearDown() {
  if (!coverage_enabled() || !server.running() || server.paused()) return;
  try {
    add_commandstats(server.cli("INFO", "commandstats"));
  } catch (const std::exception&) {
    // A test that left its server paused or stopped: its commands are not counted.
  }
}

}  // namespace redwire::testing
