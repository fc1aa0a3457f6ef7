// The stream worker's own link for XREADGROUP BLOCK. It learns its CLIENT ID after every
// (re)connect so that a stop can end a blocked read at once (CLIENT UNBLOCK from another link)
// instead of waiting out the BLOCK window — or abandoning a read whose entries would then sit
// in the consumer's pending list until the next start.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/async_result.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "redwire/command.hpp"
#include "redwire/detail/async_request.hpp"
#include "redwire/detail/connection.hpp"
#include "redwire/streams.hpp"

namespace redwire::detail {

class BlockingReader : public std::enable_shared_from_this<BlockingReader> {
 public:
  /// `read_timeout`: how long after the BLOCK window a read may go without a reply; `setup`:
  /// the client's link setup (a Sentinel-backed client's reader finds the master too).
  static std::shared_ptr<BlockingReader> open(asio::any_io_executor executor, Options options,
                                              std::chrono::milliseconds read_timeout,
                                              const std::function<void(Connection&)>& setup);
  ~BlockingReader();
  BlockingReader(const BlockingReader&) = delete;
  BlockingReader& operator=(const BlockingReader&) = delete;

  /// Runs an XREAD/XREADGROUP command. Completion: void(std::error_code, vector<StreamBatch>).
  template <class Token>
  auto read(Command cmd, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, std::vector<StreamBatch>)>(
        [this](auto handler, Command c) {
          using Req = AsyncRequest<std::vector<StreamBatch>, decltype(handler)>;
          auto req = std::make_shared<Req>(std::move(handler), executor_);
          if (c.error()) {
            asio::post(executor_, [req, ec = c.error()] { complete(*req, ec); });
            return;
          }
          const auto block = c.block_timeout();
          req->payload = c.take_payload();
          link_->submit(std::move(req), read_timeout_, block);
        },
        token, std::move(cmd));
  }

  /// The link's CLIENT ID, or -1 while unknown.
  long long client_id() const noexcept { return client_id_.load(); }
  /// Closes the link; a pending read ends with errc::connection_closed or indeterminate.
  void close();

 private:
  BlockingReader(asio::any_io_executor executor, std::chrono::milliseconds read_timeout)
      : executor_(std::move(executor)), read_timeout_(read_timeout) {}

  asio::any_io_executor executor_;
  std::chrono::milliseconds read_timeout_;
  std::shared_ptr<Connection> link_;
  std::atomic<long long> client_id_{-1};
};

}  // namespace redwire::detail
