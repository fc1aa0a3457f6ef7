// A blocking loopback socket with timeouts and a minimal RESP framer, for the harness itself
// (readiness checks) and for tests that must talk to a server or the fault proxy without the
// client under test.
//
//   RawConnection c = RawConnection::connect("127.0.0.1", server.port());
//   EXPECT_EQ(c.command({"SET", "k", "v"}), "+OK\r\n");
//   c.send(encode_command({"GET", "k"}));
//   EXPECT_EQ(c.read_reply(), "$1\r\nv\r\n");
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace redwire::test {

/// Encodes a command as a RESP array of bulk strings (independent of the library under test).
std::string encode_command(const std::vector<std::string_view>& args);
std::string encode_command(std::initializer_list<std::string_view> args);

/// Length in bytes of the first complete RESP2/RESP3 reply in `data` (an attribute counts as
/// part of the reply it precedes), or nullopt when more bytes are needed. Throws
/// std::runtime_error on bytes that are not RESP.
std::optional<std::size_t> complete_reply_length(std::string_view data);

class RawConnection {
 public:
  enum class Status { ok, timeout, eof, reset };
  struct ReadResult {
    std::string data;
    Status status = Status::ok;
  };

  /// Connects to host:port (IPv4 literal) within `timeout`; throws std::runtime_error.
  static RawConnection connect(const std::string& host, std::uint16_t port,
                               std::chrono::milliseconds timeout = std::chrono::seconds(2));
  static RawConnection connect_unix(const std::filesystem::path& path,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(2));

  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  /// Writes all of `bytes`; throws on error.
  void send(std::string_view bytes);
  /// Reads until one complete reply is buffered and returns its raw bytes (e.g. "+PONG\r\n").
  /// Bytes after it stay buffered for the next call. Throws on timeout, EOF or reset.
  std::string read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// send(encode_command(args)) + read_reply().
  std::string command(std::initializer_list<std::string_view> args,
                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Returns buffered bytes, or waits up to `timeout` for some; reports EOF/reset/timeout.
  ReadResult read_some(std::chrono::milliseconds timeout);
  /// Reads until exactly `n` bytes (or EOF/reset/timeout, reported in status) are available.
  ReadResult read_exactly(std::size_t n, std::chrono::milliseconds timeout);
  /// Discards incoming bytes until the peer closes (true) or `timeout` passes (false).
  bool wait_closed(std::chrono::milliseconds timeout);
  /// Closes with FIN; `abort()` closes with RST (SO_LINGER 0).
  void close() noexcept;
  void abort() noexcept;
  int fd() const noexcept { return fd_; }

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  Status fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace redwire::test
