#include "redwire/test/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;

// Runs jobs (forks) on one thread that lives as long as the process. PR_SET_PDEATHSIG fires
// when the *thread* that forked a child exits, so forking from a short-lived test thread would
// kill its servers early; forking from here ties them to the process instead.
class SpawnThread {
 public:
  static SpawnThread& instance() {
    static SpawnThread* const thread = new SpawnThread();  // never destroyed: see above
    return *thread;
  }

  template <class F>
  auto run(F job) -> decltype(job()) {
    std::packaged_task<decltype(job())()> task(std::move(job));
    auto result = task.get_future();
    {
      std::lock_guard lock(mutex_);
      jobs_.emplace_back([&task] { task(); });
    }
    cv_.notify_one();
    return result.get();
  }

 private:
  SpawnThread() {
    std::thread([this] { loop(); }).detach();
  }

  void loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
};

struct CloseFd {
  int fd = -1;
  ~CloseFd() {
    if (fd >= 0) ::close(fd);
  }
};

std::runtime_error errno_error(const std::string& what, int err) {
  return std::runtime_error(what + ": " + std::strerror(err));
}

// Forks and execs `argv` with the given stdout/stderr descriptors. Only async-signal-safe calls
// happen in the child. Returns the pid, or throws when fork or exec fails.
pid_t fork_exec(const std::vector<std::string>& argv, const std::filesystem::path& cwd, int out_fd,
                int err_fd) {
  if (argv.empty()) throw std::invalid_argument("spawn: empty argv");
  const std::string program = find_program(argv[0]);
  if (program.empty()) throw std::runtime_error("spawn: program not found: " + argv[0]);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string dir = cwd.string();

  int status_pipe[2];  // exec failure reports errno here; closed by exec (CLOEXEC) on success
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) throw errno_error("pipe2", errno);
  const pid_t parent = ::getpid();
  // The child must run its setup on the thread that forked it (the only thread it has).
  const pid_t pid = SpawnThread::instance().run([&]() -> pid_t {
    const pid_t forked = ::fork();
    if (forked < 0) return -errno;  // errno is per thread: hand it back
    if (forked > 0) return forked;
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull >= 0) ::dup2(devnull, 0);
    if (out_fd >= 0) ::dup2(out_fd, 1);
    if (err_fd >= 0) ::dup2(err_fd, 2);
    int err = 0;
    if (!dir.empty() && ::chdir(dir.c_str()) != 0) {
      err = errno;
    } else {
      ::execv(program.c_str(), args.data());
      err = errno;
    }
    (void)!::write(status_pipe[1], &err, sizeof err);
    ::_exit(127);
  });
  if (pid < 0) {
    ::close(status_pipe[0]);
    ::close(status_pipe[1]);
    throw errno_error("fork", -pid);
  }
  ::close(status_pipe[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(status_pipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (n > 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw errno_error("spawn " + program + " in " + dir, child_errno);
  }
  return pid;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), status_(other.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill();
    pid_ = std::exchange(other.pid_, -1);
    status_ = other.status_;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  kill();
}

ChildProcess ChildProcess::spawn(const std::vector<std::string>& argv,
                                 const std::filesystem::path& cwd,
                                 const std::filesystem::path& output) {
  CloseFd out;
  const std::string out_path = output.empty() ? "/dev/null" : output.string();
  out.fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out.fd < 0) throw errno_error("open " + out_path, errno);
  return ChildProcess(fork_exec(argv, cwd, out.fd, out.fd));
}

ChildProcess ChildProcess::spawn_with_fds(const std::vector<std::string>& argv,
                                          const std::filesystem::path& cwd, int out_fd,
                                          int err_fd) {
  return ChildProcess(fork_exec(argv, cwd, out_fd, err_fd));
}

bool ChildProcess::reap(bool block) {
  if (pid_ < 0) return true;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  status_ = r == pid_ ? std::optional<int>(status) : std::nullopt;
  pid_ = -1;
  return true;
}

bool ChildProcess::running() {
  return !reap(false);
}

void ChildProcess::signal(int signo) const {
  if (pid_ > 0) ::kill(pid_, signo);
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::microseconds(200);
  while (!reap(false)) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20'000));
  }
  return status_.value_or(-1);
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
  if (pid_ < 0) return;
  signal(SIGTERM);
  signal(SIGCONT);  // a stopped process handles SIGTERM only once continued
  if (!wait_for_exit(grace)) kill();
}

void ChildProcess::kill() {
  if (pid_ < 0) return;
  signal(SIGKILL);
  reap(true);
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw errno_error("pipe2", errno);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    const int err = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw errno_error("pipe2", err);
  }
  CloseFd out_r{out_pipe[0]}, err_r{err_pipe[0]};
  ChildProcess child;
  {
    CloseFd out_w{out_pipe[1]}, err_w{err_pipe[1]};
    child = ChildProcess::spawn_with_fds(argv, {}, out_w.fd, err_w.fd);
  }

  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  std::array<pollfd, 2> fds{pollfd{out_r.fd, POLLIN, 0}, pollfd{err_r.fd, POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // the CloseFd guards still own the descriptors
        --open_fds;
      }
    }
  }
  if (result.timed_out) {
    child.kill();
  } else if (!child.wait_for_exit(std::chrono::milliseconds(std::max<long long>(
                 1, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())
                        .count())))) {
    result.timed_out = true;
    child.kill();
  }
  const auto status = child.exit_status();
  if (!result.timed_out && status && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  return result;
}

}  // namespace redwire::test
