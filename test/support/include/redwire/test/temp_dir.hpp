// Temporary directories for servers and certificates, removed on destruction.
//
// All of them live under test_temp_root(): $REDWIRE_TEST_TMPDIR when set (scripts/test sets it
// so it can find and kill whatever a crashed test left behind), else the system temp directory.
// Set REDWIRE_TEST_KEEP=1 to keep the directories (logs, configs, AOF files) for a post-mortem.
#pragma once

#include <filesystem>
#include <string_view>

namespace redwire::test {

/// Where the harness creates its directories.
std::filesystem::path test_temp_root();

class TempDir {
 public:
  /// Creates <test_temp_root()>/<prefix>-XXXXXX.
  explicit TempDir(std::string_view prefix = "redwire");
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Do not remove the directory on destruction.
  void keep() noexcept { keep_ = true; }

 private:
  void remove() noexcept;

  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace redwire::test
