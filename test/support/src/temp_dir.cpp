#include "redwire/test/temp_dir.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace redwire::test {

std::filesystem::path test_temp_root() {
  if (const char* root = std::getenv("REDWIRE_TEST_TMPDIR"); root != nullptr && *root != '\0') {
    std::filesystem::create_directories(root);
    return root;
  }
  return std::filesystem::temp_directory_path();
}

TempDir::TempDir(std::string_view prefix) {
  std::string pattern = (test_temp_root() / std::string(prefix)).string() + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  path_ = buf.data();
  const char* keep = std::getenv("REDWIRE_TEST_KEEP");
  keep_ = keep != nullptr && *keep != '\0' && std::string_view(keep) != "0";
}

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, {})), keep_(other.keep_) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
    keep_ = other.keep_;
  }
  return *this;
}

TempDir::~TempDir() {
  remove();
}

void TempDir::remove() noexcept {
  if (path_.empty() || keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

}  // namespace redwire::test
