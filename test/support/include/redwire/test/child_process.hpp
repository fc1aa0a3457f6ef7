// Child processes for the test harness: spawn with output to a file, signal, wait, reap.
//
// Children are forked from one long-lived harness thread and get PR_SET_PDEATHSIG(SIGKILL), so
// a test binary that crashes or is killed by ctest's timeout does not leave servers behind.
//
//   ChildProcess p = ChildProcess::spawn({"/usr/bin/redis-server", "redis.conf"}, dir,
//                                        dir / "stdout.log");
//   p.terminate(5s);                      // SIGTERM, SIGKILL after 5 s, reaped
//
//   CommandResult r = run_command({"redis-cli", "-p", "6379", "PING"}, 10s);
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace redwire::test {

/// A running (or exited) child process. Destruction kills (SIGKILL) and reaps it.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  /// Starts argv[0] (an absolute path or a name looked up in PATH) in `cwd` with stdin from
  /// /dev/null and stdout+stderr appended to `output` (or /dev/null when empty). Throws
  /// std::runtime_error when fork fails or the program cannot be executed.
  static ChildProcess spawn(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                            const std::filesystem::path& output = {});
  /// Same, with stdout and stderr going to the given descriptors (e.g. pipes).
  static ChildProcess spawn_with_fds(const std::vector<std::string>& argv,
                                     const std::filesystem::path& cwd, int out_fd, int err_fd);

  pid_t pid() const noexcept { return pid_; }
  /// True until the child has been reaped (a stopped child is still running).
  bool running();
  /// Sends `signo`; no-op when the child is gone.
  void signal(int signo) const;
  /// Waits up to `timeout` for the child to exit and reaps it. Returns its wait status, or
  /// nullopt when it is still running.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  /// SIGTERM (and SIGCONT, in case it is stopped), then SIGKILL after `grace`; always reaps.
  void terminate(std::chrono::milliseconds grace);
  /// SIGKILL and reap.
  void kill();
  /// Wait status of the reaped child (see waitpid(2)), if it has exited.
  std::optional<int> exit_status() const noexcept { return status_; }

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> status_;
};

struct CommandResult {
  int exit_code = -1;  ///< -1 when killed by a signal or by the timeout
  bool timed_out = false;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs a program to completion (killed after `timeout`) and captures its output.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Finds `name` in PATH (or returns it unchanged when it contains a '/'); empty when absent.
std::string find_program(const std::string& name);

}  // namespace redwire::test
