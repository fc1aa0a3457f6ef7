#include "redwire/test/raw_connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace redwire::test {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Non-blocking connect bounded by `timeout`; returns the connected (still non-blocking) fd.
int connect_with_timeout(int family, const sockaddr* addr, socklen_t len,
                         std::chrono::milliseconds timeout, const std::string& where) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) throw sys_error("socket");
  if (::connect(fd, addr, len) != 0) {
    if (errno != EINPROGRESS) {
      const auto err = sys_error("connect " + where);
      ::close(fd);
      throw err;
    }
    pollfd p{fd, POLLOUT, 0};
    const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    int so_error = 0;
    socklen_t so_len = sizeof so_error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
    if (r <= 0 || so_error != 0) {
      ::close(fd);
      if (r == 0) throw std::runtime_error("connect " + where + ": timed out");
      errno = so_error;
      throw sys_error("connect " + where);
    }
  }
  if (family == AF_INET) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

// Position after the CRLF-terminated line starting at `pos`, or npos.
std::size_t line_end(std::string_view data, std::size_t pos) {
  const std::size_t cr = data.find("\r\n", pos);
  return cr == std::string_view::npos ? cr : cr + 2;
}

long long parse_length(std::string_view digits) {
  long long n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    throw std::runtime_error("not RESP: bad length '" + std::string(digits) + "'");
  }
  return n;
}

// Returns the end of the value starting at `pos`, or npos when incomplete.
std::size_t value_end(std::string_view data, std::size_t pos, int depth) {
  if (depth > 64) throw std::runtime_error("not RESP: nesting too deep");
  if (pos >= data.size()) return std::string_view::npos;
  const std::size_t end = line_end(data, pos);
  if (end == std::string_view::npos) return end;
  const std::string_view header = data.substr(pos + 1, end - pos - 3);
  switch (data[pos]) {
    case '+':
    case '-':
    case ':':
    case '_':
    case ',':
    case '#':
    case '(':
      return end;
    case '$':
    case '!':
    case '=': {
      const long long n = parse_length(header);
      if (n < 0) return end;
      const std::size_t need = end + static_cast<std::size_t>(n) + 2;
      return need <= data.size() ? need : std::string_view::npos;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      long long n = parse_length(header);
      if (n < 0) return end;
      if (data[pos] == '%' || data[pos] == '|') n *= 2;
      std::size_t at = end;
      for (long long i = 0; i < n; ++i) {
        at = value_end(data, at, depth + 1);
        if (at == std::string_view::npos) return at;
      }
      // An attribute is metadata for the value that follows it.
      return data[pos] == '|' ? value_end(data, at, depth + 1) : at;
    }
    default:
      throw std::runtime_error("not RESP: unexpected byte 0x" +
                               std::to_string(static_cast<unsigned char>(data[pos])));
  }
}

}  // namespace

std::string encode_command(const std::vector<std::string_view>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (std::string_view a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out.append(a);
    out += "\r\n";
  }
  return out;
}

std::string encode_command(std::initializer_list<std::string_view> args) {
  return encode_command(std::vector<std::string_view>(args));
}

std::optional<std::size_t> complete_reply_length(std::string_view data) {
  const std::size_t end = value_end(data, 0, 0);
  if (end == std::string_view::npos) return std::nullopt;
  return end;
}

RawConnection RawConnection::connect(const std::string& host, std::uint16_t port,
                                     std::chrono::milliseconds timeout) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    throw std::runtime_error("RawConnection: not an IPv4 address: " + host);
  }
  return RawConnection(connect_with_timeout(AF_INET, reinterpret_cast<const sockaddr*>(&addr),
                                            sizeof addr, timeout,
                                            host + ":" + std::to_string(port)));
}

RawConnection RawConnection::connect_unix(const std::filesystem::path& path,
                                          std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof addr.sun_path) throw std::runtime_error("unix path too long: " + p);
  std::memcpy(addr.sun_path, p.c_str(), p.size() + 1);
  return RawConnection(connect_with_timeout(AF_UNIX, reinterpret_cast<const sockaddr*>(&addr),
                                            sizeof addr, timeout, p));
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

RawConnection::~RawConnection() {
  close();
}

void RawConnection::send(std::string_view bytes) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, remaining_ms(deadline)) == 0) {
        throw std::runtime_error("RawConnection::send: timed out");
      }
    } else {
      throw sys_error("RawConnection::send");
    }
  }
}

RawConnection::Status RawConnection::fill(Clock::time_point deadline) {
  for (;;) {
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      buffer_.append(buf, static_cast<std::size_t>(n));
      return Status::ok;
    }
    if (n == 0) return Status::eof;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return Status::reset;
    pollfd p{fd_, POLLIN, 0};
    const int timeout = remaining_ms(deadline);
    if (timeout == 0 || ::poll(&p, 1, timeout) == 0) return Status::timeout;
  }
}

std::string RawConnection::read_reply(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (auto len = complete_reply_length(buffer_)) {
      std::string reply = buffer_.substr(0, *len);
      buffer_.erase(0, *len);
      return reply;
    }
    switch (fill(deadline)) {
      case Status::ok:
        break;
      case Status::timeout:
        throw std::runtime_error("RawConnection::read_reply: timed out; have '" + buffer_ + "'");
      case Status::eof:
        throw std::runtime_error("RawConnection::read_reply: connection closed");
      case Status::reset:
        throw sys_error("RawConnection::read_reply");
    }
  }
}

std::string RawConnection::command(std::initializer_list<std::string_view> args,
                                   std::chrono::milliseconds timeout) {
  send(encode_command(args));
  return read_reply(timeout);
}

RawConnection::ReadResult RawConnection::read_some(std::chrono::milliseconds timeout) {
  ReadResult r;
  if (buffer_.empty()) r.status = fill(Clock::now() + timeout);
  r.data = std::exchange(buffer_, {});
  return r;
}

RawConnection::ReadResult RawConnection::read_exactly(std::size_t n,
                                                      std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  ReadResult r;
  while (buffer_.size() < n && r.status == Status::ok) r.status = fill(deadline);
  const std::size_t take = std::min(n, buffer_.size());
  r.data = buffer_.substr(0, take);
  buffer_.erase(0, take);
  if (r.data.size() == n) r.status = Status::ok;
  return r;
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    buffer_.clear();
    const Status s = fill(deadline);
    if (s == Status::eof || s == Status::reset) return true;
    if (s == Status::timeout) return false;
  }
}

void RawConnection::close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawConnection::abort() noexcept {
  if (fd_ < 0) return;
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close();
}

}  // namespace redwire::test
