// A deliberately misbehaving fake server for protocol-fault tests (never a stand-in for Redis):
// it parses each command and answers with whatever bytes the test's script returns for that
// connection and command, garbage included.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "redwire/resp/parser.hpp"
#include "redwire/resp/reply.hpp"

namespace redwire::testing {

class ScriptedServer {
 public:
  /// (connection number from 0, command arguments) -> raw bytes to send back ("" = no reply).
  using Script = std::function<std::string(int connection, const std::vector<std::string>& args)>;

  explicit ScriptedServer(Script script)
      : script_(std::move(script)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedServer() {
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_.load(); }

  /// Answers for the handshake of a RESP3 client, for scripts to fall back on.
  static std::string handshake_reply(const std::vector<std::string>& args) {
    if (args.empty()) return {};
    if (args[0] == "HELLO") return "%1\r\n+proto\r\n:3\r\n";
    if (args[0] == "CLIENT") return "+OK\r\n";
    if (args[0] == "INFO") return "$11\r\nloading:0\r\n\r\n";
    return {};
  }

 private:
  struct Session : std::enable_shared_from_this<Session> {
    Session(ScriptedServer& s, asio::ip::tcp::socket sock, int n)
        : server(s), socket(std::move(sock)), number(n) {}
    void read() {
      socket.async_read_some(asio::buffer(chunk),
                             [self = shared_from_this()](std::error_code ec, std::size_t n) {
                               if (ec) return;
                               self->pending.append(self->chunk.data(), n);
                               std::error_code perr;
                               std::string out;
                               const auto used = self->parser.feed(
                                   self->pending,
                                   [&](const resp::Node& node, bool done) {
                                     self->builder.add(node);
                                     if (!done) return;
                                     std::vector<std::string> args;
                                     for (auto child : self->builder.peek().view())
                                       args.emplace_back(child.value());
                                     self->builder.clear();
                                     out += self->server.script_(self->number, args);
                                   },
                                   perr);
                               self->pending.erase(0, used);
                               if (perr) return;
                               if (!out.empty()) {
                                 auto data = std::make_shared<std::string>(std::move(out));
                                 asio::async_write(self->socket, asio::buffer(*data),
                                                   [self, data](std::error_code, std::size_t) {});
                               }
                               self->read();
                             });
    }
    ScriptedServer& server;
    asio::ip::tcp::socket socket;
    int number;
    std::array<char, 4096> chunk{};
    std::string pending;
    resp::Parser parser;
    resp::ReplyBuilder builder;
  };

  void accept() {
    acceptor_.async_accept([this](std::error_code ec, asio::ip::tcp::socket sock) {
      if (ec) return;
      std::make_shared<Session>(*this, std::move(sock), connections_++)->read();
      accept();
    });
  }

  Script script_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace redwire::testing
