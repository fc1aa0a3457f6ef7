// Reading what a helper process (ours or the Node.js peer) printed: one fact per line in a file
// that the child appends to.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

namespace redwire::testing {

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Polls `file` until a line matches `pattern`; returns the first capture group (or the whole
/// line), nullopt after `timeout`.
inline std::optional<std::string> wait_for_line(const std::filesystem::path& file,
                                                const std::string& pattern,
                                                std::chrono::milliseconds timeout) {
  const std::regex re(pattern);
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::istringstream lines(read_text(file));
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_match(line, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
    }
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace redwire::testing
