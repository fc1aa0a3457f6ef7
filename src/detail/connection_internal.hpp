// Shared by the Connection's source files (connection.cpp, connection_tls.cpp,
// connection_write.cpp): the TLS stream of a link and the shared TLS context cache.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>
#include <memory>
#include <string>
#include <utility>

#include "redwire/detail/connection.hpp"
#include "redwire/options.hpp"

namespace redwire::detail {

// The TLS context for `t`, shared with every other link using the same files (made on first
// use). Null, with `detail` saying why, when the files are unusable. Thread-safe.
std::shared_ptr<asio::ssl::context> shared_tls_context(const TlsOptions& t, std::string& detail);

// The TLS stream of one link. It owns the link's socket (moved out of tcp_ once connected), so
// a stale stream whose handlers are still draining can never touch the next link's socket.
struct Connection::TlsLink {
  TlsLink(asio::ip::tcp::socket socket, asio::ssl::context& ctx) : stream(std::move(socket), ctx) {}
  asio::ssl::stream<asio::ip::tcp::socket> stream;
};

}  // namespace redwire::detail
