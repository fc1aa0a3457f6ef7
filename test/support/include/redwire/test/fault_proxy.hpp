// A TCP proxy on 127.0.0.1 in front of a server, for faults the server cannot provoke itself:
// delayed replies, stalls, connections cut after N bytes, resets, refused connections, replies
// sliced into small segments. It runs its own thread; every control below may be called from
// any thread and has taken effect when it returns.
//
//   RedisServer server;
//   FaultProxy proxy{server.port()};              // clients connect to proxy.port()
//   proxy.delay(500ms);                           // replies arrive 0.5 s late
//   proxy.stall(FaultProxy::Direction::server_to_client);
//   proxy.cut_after(10, FaultProxy::Direction::server_to_client);  // 10 more bytes, then close
//   proxy.reset_all();                            // RST every open connection now
//   proxy.refuse();                               // connect() gets ECONNREFUSED
//   proxy.pass();                                 // back to forwarding everything at once
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace redwire::test {

class FaultProxy {
 public:
  enum class Direction { client_to_server, server_to_client, both };

  struct Counters {
    std::uint64_t connections_accepted = 0;
    std::uint64_t connections_open = 0;
    std::uint64_t bytes_client_to_server = 0;  ///< bytes forwarded (written to the server)
    std::uint64_t bytes_server_to_client = 0;  ///< bytes forwarded (written to the client)
    std::uint64_t cuts = 0;                    ///< connections closed by cut_after()
    std::uint64_t resets = 0;                  ///< connections reset by reset_all()
  };

  /// Listens on 127.0.0.1:<free port> and forwards each connection to target_host:target_port.
  explicit FaultProxy(std::uint16_t target_port, std::string target_host = "127.0.0.1");
  /// Stops the thread and closes every connection.
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  const std::string& host() const noexcept { return host_; }  ///< "127.0.0.1"
  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "redis://" + host_ + ":" + std::to_string(port_); }

  /// Where new connections go (open ones keep their server).
  void set_target(std::uint16_t port, std::string host = "127.0.0.1");

  /// Forward everything at once: clears delay, stall, cut, slice and refuse. Held bytes flow.
  void pass();
  /// Holds every chunk read in `dir` for `d` before forwarding it (order is kept).
  void delay(std::chrono::milliseconds d, Direction dir = Direction::server_to_client);
  /// Stops forwarding in `dir`; bytes read meanwhile are held (up to 16 MiB per connection and
  /// direction, then the proxy stops reading) and flow again on unstall() or pass().
  void stall(Direction dir = Direction::both);
  void unstall(Direction dir = Direction::both);
  /// Forwards `bytes` more bytes in `dir` (counted over all connections), then closes the
  /// connection that carried the last of them (FIN to both ends, held bytes dropped). One-shot.
  void cut_after(std::uint64_t bytes, Direction dir = Direction::server_to_client);
  /// Writes at most `max_chunk` bytes at a time, `gap` apart (0 = off), in both directions, so
  /// the peer's parser sees replies split at every position.
  void slice(std::size_t max_chunk, std::chrono::milliseconds gap = std::chrono::milliseconds(1));
  /// Resets (RST, SO_LINGER 0) both ends of every open connection now.
  void reset_all();
  /// While on, the listening socket is closed (the port stays reserved): connect() fails with
  /// ECONNREFUSED. Open connections are untouched.
  void refuse(bool on = true);

  Counters counters() const;
  /// Polls counters() until `condition` holds or `timeout` passes; returns the last result.
  bool wait_until(const std::function<bool(const Counters&)>& condition,
                  std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  class Loop;

  std::string host_ = "127.0.0.1";
  std::uint16_t port_ = 0;
  std::unique_ptr<Loop> loop_;
};

}  // namespace redwire::test
