// The write path of a Connection: a synchronous write attempt on plain non-blocking sockets,
// then an asynchronous write of what did not fit, and its completion.
#include <asio/bind_executor.hpp>
#include <asio/buffer.hpp>
#include <asio/error.hpp>
#include <asio/write.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "detail/connection_internal.hpp"
#include "redwire/detail/connection.hpp"

namespace redwire::detail {

void Connection::kick_write() {
  if (writing_ || !link_up_) return;
  std::string_view data = mux_.prepare_write();
  if (data.empty()) {
    maybe_finish_close();
    return;
  }
  const std::uint64_t gen = generation_;
  if (!tls_) {
    // Plain sockets are in non-blocking mode: most writes fit the socket buffer and are done
    // here, without an asynchronous write and its completion round through the scheduler.
    std::error_code ec;
    const std::size_t n = options_.path.empty() ? tcp_.write_some(asio::buffer(data), ec)
                                                : unix_.write_some(asio::buffer(data), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    if (ec) {
      mux_.commit_write();
      return link_failed(gen, ec);
    }
    if (n == data.size()) {
      mux_.commit_write();
      maybe_finish_close();
      return;
    }
    data.remove_prefix(n);  // the socket buffer is full: the rest goes asynchronously
  }
  writing_ = true;
  auto handler = asio::bind_executor(
      strand_, [self = shared_from_this(), gen, tls = tls_](std::error_code ec, std::size_t) {
        if (gen != self->generation_) return;
        self->writing_ = false;
        self->mux_.commit_write();
        if (ec) {
          if (!tls) return self->link_failed(gen, ec);
          std::string detail;
          const std::error_code e = self->tls_error(ec, detail);
          return self->link_failed(gen, e, std::move(detail));
        }
        self->kick_write();
      });
  if (!options_.path.empty()) {
    asio::async_write(unix_, asio::buffer(data), std::move(handler));
  } else if (tls_) {
    asio::async_write(tls_->stream, asio::buffer(data), std::move(handler));
  } else {
    asio::async_write(tcp_, asio::buffer(data), std::move(handler));
  }
}

}  // namespace redwire::detail
