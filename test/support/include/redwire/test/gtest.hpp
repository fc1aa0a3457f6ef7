// gtest glue for the harness. Include this header in at least one source file of a test binary
// (link redwire_test_support_gtest): when a test fails, the logs of the servers started during
// that test (redis-server, redis-sentinel, cluster nodes) are printed after it.
//
// Sharing one cluster per binary: gtest_discover_tests runs every test in its own process, so
// a shared topology is started once per *process*. Tests that should share one cluster either
// run as one ctest entry (add_test(NAME x COMMAND binary --gtest_filter=Cluster*)) or accept
// one start per test; shared_cluster() (cluster_topology.hpp) makes both cases one line.
#pragma once

#include <gtest/gtest.h>

#include <iostream>

#include "redwire/test/server_log_journal.hpp"

namespace redwire::test {

/// Prints the logs of the servers started during a test when it fails.
class ServerLogPrinter : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo&) override {
    ServerLogJournal::instance().begin_section();
  }
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (info.result() == nullptr || !info.result()->Failed()) return;
    for (const ServerLog& log : ServerLogJournal::instance().section_logs()) {
      std::cerr << "----- log of " << log.name << " -----\n"
                << log.text << (log.text.empty() || log.text.back() == '\n' ? "" : "\n")
                << "----- end of log -----\n";
    }
  }
};

namespace detail {
inline const bool server_log_printer_installed = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new ServerLogPrinter);
  return true;
}();
}  // namespace detail

}  // namespace redwire::test
