// 200 concurrent misses on one key across 4 processes (50 threads each, released at the same
// wall-clock instant): single-flight keeps each process to one load; the stampede lock keeps
// the whole fleet to one.
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>

#include "patterns_fixture.hpp"
#include "redwire/test/child_process.hpp"
#include "redwire/test/temp_dir.hpp"

namespace redwire::testing {
namespace {

struct ProcessLoads {
  int loads = -1;
  int ok = -1;
};

ProcessLoads parse(const std::filesystem::path& output) {
  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  std::smatch m;
  const std::string s = text.str();
  ProcessLoads out;
  if (std::regex_search(s, m, std::regex(R"(loads=(\d+) ok=(\d+))"))) {
    out.loads = std::stoi(m[1]);
    out.ok = std::stoi(m[2]);
  } else {
    ADD_FAILURE() << "helper said: " << s;
  }
  return out;
}

// Runs 4 helper processes x 50 threads against `server`; returns each process's counts.
std::vector<ProcessLoads> stampede(const test::RedisServer& server, const std::string& mode) {
  test::TempDir dir;
  constexpr int kProcesses = 4;
  const auto start = std::chrono::system_clock::now() + 1500ms;  // after every process started
  const auto start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  std::vector<test::ChildProcess> children;
  for (int i = 0; i < kProcesses; ++i) {
    children.push_back(test::ChildProcess::spawn(
        {REDWIRE_PATTERNS_HELPER, "cache-stampede", std::to_string(server.port()), "hot-key", "50",
         std::to_string(start_ms), "300", mode},
        dir.path(), dir.path() / ("out" + std::to_string(i))));
  }
  std::vector<ProcessLoads> result;
  for (int i = 0; i < kProcesses; ++i) {
    auto status = children[i].wait_for_exit(30s);
    EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "helper " << i;
    result.push_back(parse(dir.path() / ("out" + std::to_string(i))));
  }
  return result;
}

using CacheStampede = ServerTest;

TEST_F(CacheStampede, TwoHundredMissesInFourProcessesLoadOnceWithTheCrossProcessLock) {
  const auto counts = stampede(server, "lock");
  int total = 0;
  for (const auto& c : counts) {
    EXPECT_LE(c.loads, 1) << "single-flight: at most one load per process";
    EXPECT_EQ(c.ok, 50) << "every caller got the loaded value";
    total += c.loads;
  }
  EXPECT_EQ(total, 1);
  EXPECT_EQ(server.cli("GET", "stampede:loads"), "1");
  EXPECT_EQ(server.cli("HGET", "hot-key", "v"), "loaded");
  EXPECT_EQ(server.cli("EXISTS", "{hot-key}:lock"), "0") << "the lock was released";
}

TEST_F(CacheStampede, WithoutTheLockEachProcessStillLoadsAtMostOnce) {
  const auto counts = stampede(server, "nolock");
  int total = 0;
  for (const auto& c : counts) {
    EXPECT_LE(c.loads, 1) << "single-flight: at most one load per process";
    EXPECT_EQ(c.ok, 50);
    total += c.loads;
  }
  // Started together, the four processes all miss (a process running late by more than the
  // 300 ms load would find the value instead).
  EXPECT_GE(total, 2);
  EXPECT_EQ(server.cli("GET", "stampede:loads"), std::to_string(total));
}

}  // namespace
}  // namespace redwire::testing
