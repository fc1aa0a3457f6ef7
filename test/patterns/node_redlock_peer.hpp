// The Node.js `redlock` package as a peer process for the interop test: the pinned package
// (test/patterns/node/package-lock.json) installed with `npm ci` in a copy of that folder in the
// build tree, and a node process that takes one command per line through a FIFO.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "process_output.hpp"
#include "redwire/test/child_process.hpp"
#include "redwire/test/temp_dir.hpp"

namespace redwire::testing {

/// Copies the peer's folder to the build tree and runs `npm ci` there unless the installed
/// lock file matches. Returns why the peer cannot run (no node/npm, npm ci failed — e.g. the
/// registry is unreachable), or nullopt when it is ready. Serialized across test processes.
inline std::optional<std::string> prepare_node_redlock() {
  namespace fs = std::filesystem;
  if (test::find_program("node").empty() || test::find_program("npm").empty()) {
    return "node and npm are not installed (apt-get install nodejs npm)";
  }
  const fs::path source = REDWIRE_NODE_INTEROP_SOURCE;
  const fs::path work = REDWIRE_NODE_INTEROP_WORK;
  fs::create_directories(work);
  const int lock_fd = ::open((work / ".install-lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock_fd < 0) return "cannot open " + (work / ".install-lock").string();
  ::flock(lock_fd, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock_fd};
  for (const char* name : {"package.json", "package-lock.json", "redlock_peer.js"}) {
    // Only when changed: another test process may be starting node on the copy right now.
    if (!fs::exists(work / name) || read_text(work / name) != read_text(source / name)) {
      fs::copy_file(source / name, work / name, fs::copy_options::overwrite_existing);
    }
  }
  const fs::path stamp = work / "node_modules" / ".redwire-installed-lock";
  const std::string wanted = read_text(source / "package-lock.json");
  if (fs::exists(work / "node_modules" / "redlock" / "package.json") && fs::exists(stamp) &&
      read_text(stamp) == wanted) {
    return std::nullopt;
  }
  const auto r = test::run_command(
      {"sh", "-c",
       "cd '" + work.string() +
           "' && npm ci --no-audit --no-fund --loglevel=error --fetch-timeout=30000 "
           "--fetch-retries=1"},
      std::chrono::minutes(5));
  if (r.exit_code != 0) {
    const std::string err = r.err.substr(0, 400);  // npm's first lines name the cause
    return "npm ci of the pinned `redlock` failed (npm registry unreachable?)" +
           std::string(r.timed_out ? " after 5 minutes" : "") + ": " + err;
  }
  std::ofstream(stamp) << wanted;
  return std::nullopt;
}

/// One node process running redlock_peer.js against the given ports.
class NodeRedlockPeer {
 public:
  explicit NodeRedlockPeer(const std::vector<std::uint16_t>& ports) {
    std::string list;
    for (auto p : ports) list += (list.empty() ? "" : ",") + std::to_string(p);
    fifo_ = dir_.path() / "commands";
    out_ = dir_.path() / "peer.out";
    if (::mkfifo(fifo_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    const std::filesystem::path work = REDWIRE_NODE_INTEROP_WORK;
    process_ = test::ChildProcess::spawn(
        {"node", (work / "redlock_peer.js").string(), list, fifo_.string()}, work, out_);
    // Opening a FIFO for writing fails with ENXIO until the reader has opened it.
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while ((fd_ = ::open(fifo_.c_str(), O_WRONLY | O_NONBLOCK)) < 0) {
      if (errno != ENXIO || std::chrono::steady_clock::now() > until) {
        throw std::runtime_error("the node peer did not open its FIFO: " + read_text(out_));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  }
  ~NodeRedlockPeer() {
    if (fd_ >= 0) ::close(fd_);  // EOF: the peer quits
    process_.terminate(std::chrono::seconds(5));
  }
  NodeRedlockPeer(const NodeRedlockPeer&) = delete;
  NodeRedlockPeer& operator=(const NodeRedlockPeer&) = delete;

  /// Sends one command and returns the peer's answer without its number ("ACQUIRED <value>").
  std::string ask(const std::string& command) {
    const std::string line = command + "\n";
    if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      throw std::runtime_error("write to the node peer failed");
    }
    const auto answer =
        wait_for_line(out_, std::to_string(++asked_) + " (.*)", std::chrono::seconds(30));
    if (!answer) throw std::runtime_error("no answer to `" + command + "`: " + read_text(out_));
    return *answer;
  }

  std::string output() const { return read_text(out_); }

 private:
  test::TempDir dir_;
  std::filesystem::path fifo_, out_;
  test::ChildProcess process_;
  int fd_ = -1;
  int asked_ = 0;
};

}  // namespace redwire::testing
