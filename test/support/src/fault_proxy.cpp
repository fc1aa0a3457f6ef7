#include "redwire/test/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "redwire/test/ports.hpp"

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kHoldLimit = 16u << 20;
constexpr std::size_t kReadSize = 64u << 10;
constexpr int kToServer = 0;  // flow index: client -> server
constexpr int kToClient = 1;  // flow index: server -> client

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error("FaultProxy: " + what + ": " + std::strerror(errno));
}

std::vector<int> flows_of(FaultProxy::Direction d) {
  switch (d) {
    case FaultProxy::Direction::client_to_server:
      return {kToServer};
    case FaultProxy::Direction::server_to_client:
      return {kToClient};
    case FaultProxy::Direction::both:
      break;
  }
  return {kToServer, kToClient};
}

void close_with_reset(int fd) {
  if (fd < 0) return;
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

sockaddr_in loopback_address(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw std::invalid_argument("FaultProxy: not an IPv4 address: " + host);
  }
  return addr;
}

// Bytes read from one end, waiting to be written to the other.
struct Chunk {
  std::string data;
  std::size_t offset = 0;
  Clock::time_point release;
};

struct Flow {
  std::deque<Chunk> queue;
  std::size_t held = 0;
  bool eof = false;                // the source end sent FIN
  bool shut = false;               // we sent FIN to the destination end
  Clock::time_point next_write{};  // slicing: not before this
};

struct Connection {
  std::array<int, 2> fds{-1, -1};  // [0] client, [1] server; flow i goes fds[i] -> fds[1 - i]
  std::array<Flow, 2> flows;
};

}  // namespace

class FaultProxy::Loop {
 public:
  Loop(std::uint16_t target_port, std::string target_host)
      : target_host_(std::move(target_host)), target_port_(target_port) {
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) throw sys_error("eventfd");
    open_listener();
    thread_ = std::thread([this] { loop(); });
  }

  ~Loop() {
    stop_ = true;
    wake();
    thread_.join();
    for (auto& c : conns_) close_connection(*c, false);
    ::close(listener_);
    ::close(wake_);
  }

  std::uint16_t port() const noexcept { return port_; }

  // Runs `f` on the loop thread and waits for it (exceptions are rethrown here).
  void run(std::function<void()> f) {
    std::packaged_task<void()> task(std::move(f));
    auto done = task.get_future();
    {
      std::lock_guard lock(mutex_);
      tasks_.emplace_back([&task] { task(); });
    }
    wake();
    done.get();
  }

  Counters counters() const {
    Counters c;
    c.connections_accepted = accepted_.load();
    c.connections_open = open_.load();
    c.bytes_client_to_server = bytes_[kToServer].load();
    c.bytes_server_to_client = bytes_[kToClient].load();
    c.cuts = cuts_.load();
    c.resets = resets_.load();
    return c;
  }

  // ---- state below is touched on the loop thread only (through run()) ----
  std::string target_host_;
  std::uint16_t target_port_;
  std::array<std::chrono::milliseconds, 2> delay_{};
  std::array<bool, 2> stalled_{};
  std::array<std::optional<std::uint64_t>, 2> cut_budget_{};
  std::size_t slice_ = 0;
  std::chrono::milliseconds slice_gap_{};

  void release_held() {
    const auto now = Clock::now();
    for (auto& c : conns_) {
      for (Flow& f : c->flows) {
        for (Chunk& ch : f.queue) ch.release = std::min(ch.release, now);
        f.next_write = {};
      }
    }
  }

  void set_listening(bool on) {
    if (on == listening_) return;
    if (on) {
      if (::listen(listener_, 128) != 0) throw sys_error("listen");
    } else {
      accept_all();  // connections the kernel already completed count as open ones
      // Leaves the socket bound to its port (bound explicitly) but no longer listening.
      ::shutdown(listener_, SHUT_RD);
    }
    listening_ = on;
  }

  // Closed connections stay in conns_ until the end of the loop pass (indexes match pollfds).
  void reset_all() {
    for (auto& c : conns_) {
      if (c->fds[0] < 0) continue;
      close_connection(*c, true);
      ++resets_;
    }
  }

 private:
  void open_listener() {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const std::uint16_t port = free_port();
      listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      if (listener_ < 0) throw sys_error("socket");
      int one = 1;
      ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      // Binding an explicit port (not 0) keeps it reserved across refuse(): see set_listening.
      const sockaddr_in addr = loopback_address("127.0.0.1", port);
      if (::bind(listener_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
          ::listen(listener_, 128) == 0) {
        port_ = port;
        listening_ = true;
        return;
      }
      ::close(listener_);
    }
    throw sys_error("no free port to listen on");
  }

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wake_, &one, sizeof one);
  }

  void run_tasks() {
    std::uint64_t count;
    (void)!::read(wake_, &count, sizeof count);
    std::deque<std::function<void()>> tasks;
    {
      std::lock_guard lock(mutex_);
      tasks.swap(tasks_);
    }
    for (auto& t : tasks) t();
  }

  bool can_write(const Flow& f, int index, Clock::time_point now) const {
    return !f.queue.empty() && !f.shut && !stalled_[static_cast<std::size_t>(index)] &&
           f.queue.front().release <= now && f.next_write <= now;
  }

  void loop() {
    std::vector<pollfd> fds;
    while (!stop_) {
      const auto now = Clock::now();
      fds.clear();
      fds.push_back({wake_, POLLIN, 0});
      fds.push_back({listening_ ? listener_ : -1, POLLIN, 0});
      auto wake_at = Clock::time_point::max();
      for (auto& c : conns_) {
        for (int end = 0; end < 2; ++end) {
          const Flow& in = c->flows[static_cast<std::size_t>(end)];       // read from this end
          const Flow& out = c->flows[static_cast<std::size_t>(1 - end)];  // written to this end
          short events = 0;
          if (!in.eof && in.held < kHoldLimit) events |= POLLIN;
          if (can_write(out, 1 - end, now)) events |= POLLOUT;
          if (!out.queue.empty() && !out.shut && !stalled_[static_cast<std::size_t>(1 - end)]) {
            wake_at = std::min(wake_at, std::max(out.queue.front().release, out.next_write));
          }
          fds.push_back({events != 0 ? c->fds[static_cast<std::size_t>(end)] : -1, events, 0});
        }
      }
      int timeout = 1000;
      if (wake_at != Clock::time_point::max()) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake_at - now).count();
        timeout = static_cast<int>(std::clamp<long long>(ms, 0, 1000));
      }
      if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;

      if (fds[0].revents != 0) run_tasks();
      if (fds[1].fd >= 0 && fds[1].revents != 0 && listening_) accept_all();
      // New connections were appended: only the first `polled` have revents.
      const std::size_t polled = (fds.size() - 2) / 2;
      for (std::size_t i = 0; i < polled; ++i) {
        Connection& c = *conns_[i];
        if (c.fds[0] < 0) continue;  // reset by a task
        bool ok = true;
        for (int end = 0; end < 2 && ok; ++end) {
          const short rev = fds[2 + 2 * i + static_cast<std::size_t>(end)].revents;
          if (rev & POLLERR) ok = false;
          if (ok && (rev & (POLLIN | POLLHUP))) ok = read_from(c, end);
        }
        if (!ok) close_connection(c, true);
      }
      for (auto& c : conns_) {
        if (c->fds[0] >= 0) service(*c);
      }
      const auto before = conns_.size();
      std::erase_if(conns_, [](const auto& c) { return c->fds[0] < 0; });
      open_ -= before - conns_.size();
    }
  }

  void accept_all() {
    for (;;) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (client < 0) return;
      ++accepted_;
      const int server = connect_target();
      if (server < 0) {
        close_with_reset(client);
        continue;
      }
      int one = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Connection>();
      c->fds = {client, server};
      conns_.push_back(std::move(c));
      ++open_;
    }
  }

  int connect_target() {
    const sockaddr_in addr = loopback_address(target_host_, target_port_);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      if (errno != EINPROGRESS) {
        ::close(fd);
        return -1;
      }
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (::poll(&p, 1, 2000) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
          err != 0) {
        ::close(fd);
        return -1;
      }
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
  }

  // Reads once from end `end` into its flow. Returns false when the connection must be reset.
  bool read_from(Connection& c, int end) {
    Flow& f = c.flows[static_cast<std::size_t>(end)];
    if (f.eof || f.held >= kHoldLimit) return true;
    std::string buf(kReadSize, '\0');
    const ssize_t n = ::recv(c.fds[static_cast<std::size_t>(end)], buf.data(), buf.size(), 0);
    if (n > 0) {
      buf.resize(static_cast<std::size_t>(n));
      f.held += buf.size();
      f.queue.push_back({std::move(buf), 0, Clock::now() + delay_[static_cast<std::size_t>(end)]});
      return true;
    }
    if (n == 0) {
      f.eof = true;
      return true;
    }
    return errno == EAGAIN || errno == EINTR;
  }

  // Writes what may be written, propagates FIN, closes finished connections.
  void service(Connection& c) {
    for (int index = 0; index < 2 && c.fds[0] >= 0; ++index) {
      Flow& f = c.flows[static_cast<std::size_t>(index)];
      const int dest = c.fds[static_cast<std::size_t>(1 - index)];
      auto& budget = cut_budget_[static_cast<std::size_t>(index)];
      auto now = Clock::now();
      while (can_write(f, index, now)) {
        if (budget && *budget == 0) return cut(c);
        Chunk& ch = f.queue.front();
        std::size_t n = ch.data.size() - ch.offset;
        if (slice_ > 0) n = std::min(n, slice_);
        if (budget) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, *budget));
        const ssize_t w = ::send(dest, ch.data.data() + ch.offset, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w < 0) {
          if (errno == EAGAIN || errno == EINTR) break;
          return close_connection(c, true);
        }
        const auto written = static_cast<std::size_t>(w);
        ch.offset += written;
        f.held -= written;
        bytes_[static_cast<std::size_t>(index)] += written;
        if (ch.offset == ch.data.size()) f.queue.pop_front();
        if (budget) {
          *budget -= written;
          if (*budget == 0) {
            budget.reset();
            return cut(c);
          }
        }
        if (slice_ > 0) {
          f.next_write = Clock::now() + slice_gap_;
          break;
        }
        now = Clock::now();
      }
      if (f.eof && f.queue.empty() && !f.shut) {
        ::shutdown(dest, SHUT_WR);
        f.shut = true;
      }
    }
    if (c.fds[0] >= 0 && c.flows[0].shut && c.flows[1].shut) close_connection(c, false);
  }

  void cut(Connection& c) {
    ++cuts_;
    close_connection(c, false);
  }

  // Closes both ends (FIN, or RST when `reset`); the connection is dropped after this pass.
  void close_connection(Connection& c, bool reset) {
    for (int& fd : c.fds) {
      if (fd < 0) continue;
      if (reset) {
        close_with_reset(fd);
      } else {
        ::close(fd);
      }
      fd = -1;
    }
  }

  int listener_ = -1;
  int wake_ = -1;
  bool listening_ = false;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<Connection>> conns_;
  std::mutex mutex_;
  std::deque<std::function<void()>> tasks_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> accepted_{0}, open_{0}, cuts_{0}, resets_{0};
  std::array<std::atomic<std::uint64_t>, 2> bytes_{};
  std::thread thread_;
};

FaultProxy::FaultProxy(std::uint16_t target_port, std::string target_host)
    : loop_(std::make_unique<Loop>(target_port, std::move(target_host))) {
  port_ = loop_->port();
}

FaultProxy::~FaultProxy() = default;

void FaultProxy::set_target(std::uint16_t port, std::string host) {
  (void)loopback_address(host, port);  // validate here, where the caller can see the error
  loop_->run([&] {
    loop_->target_host_ = host;
    loop_->target_port_ = port;
  });
}

void FaultProxy::pass() {
  loop_->run([&] {
    loop_->delay_ = {};
    loop_->stalled_ = {};
    loop_->cut_budget_ = {};
    loop_->slice_ = 0;
    loop_->release_held();
    loop_->set_listening(true);
  });
}

void FaultProxy::delay(std::chrono::milliseconds d, Direction dir) {
  loop_->run([&] {
    for (int i : flows_of(dir)) loop_->delay_[static_cast<std::size_t>(i)] = d;
  });
}

void FaultProxy::stall(Direction dir) {
  loop_->run([&] {
    for (int i : flows_of(dir)) loop_->stalled_[static_cast<std::size_t>(i)] = true;
  });
}

void FaultProxy::unstall(Direction dir) {
  loop_->run([&] {
    for (int i : flows_of(dir)) loop_->stalled_[static_cast<std::size_t>(i)] = false;
  });
}

void FaultProxy::cut_after(std::uint64_t bytes, Direction dir) {
  if (dir == Direction::both) {
    throw std::invalid_argument("FaultProxy::cut_after: pick one direction");
  }
  loop_->run([&] { loop_->cut_budget_[static_cast<std::size_t>(flows_of(dir)[0])] = bytes; });
}

void FaultProxy::slice(std::size_t max_chunk, std::chrono::milliseconds gap) {
  loop_->run([&] {
    loop_->slice_ = max_chunk;
    loop_->slice_gap_ = gap;
  });
}

void FaultProxy::reset_all() {
  loop_->run([&] { loop_->reset_all(); });
}

void FaultProxy::refuse(bool on) {
  loop_->run([&] { loop_->set_listening(!on); });
}

FaultProxy::Counters FaultProxy::counters() const {
  return loop_->counters();
}

bool FaultProxy::wait_until(const std::function<bool(const Counters&)>& condition,
                            std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (condition(counters())) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace redwire::test
