// A process-wide record of the servers the harness started, so that a failing test can print
// their logs (see redwire/test/gtest.hpp). Servers register when they start and hand over the
// final text of their log when they are destroyed (their directory is removed then).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace redwire::test {

struct ServerLog {
  std::string name;  ///< e.g. "redis-server 127.0.0.1:6379"
  std::string text;  ///< the end of its log file
};

class ServerLogJournal {
 public:
  static ServerLogJournal& instance();

  /// Starts a new section (a test): servers destroyed before now are forgotten, servers still
  /// running but started before now are not reported for this section.
  void begin_section();
  /// Logs of the servers started since begin_section(), each cut to its last `max_bytes`.
  std::vector<ServerLog> section_logs(std::size_t max_bytes = 16 * 1024) const;

  /// Called by launchers.
  std::uint64_t add(std::string name, std::filesystem::path log_file);
  void rename(std::uint64_t id, std::string name);
  void finish(std::uint64_t id);

 private:
  struct Entry {
    std::uint64_t id;
    std::uint64_t section;
    std::string name;
    std::filesystem::path log_file;
    std::string final_text;
    bool finished;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::uint64_t next_id_ = 1;
  std::uint64_t section_ = 0;
};

/// The last `max_bytes` of a file (starting at a line boundary), or "" when it cannot be read.
std::string read_file_tail(const std::filesystem::path& file, std::size_t max_bytes);

}  // namespace redwire::test
