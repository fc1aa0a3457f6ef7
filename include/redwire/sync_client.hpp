// The blocking facade, for scripts and simple services. It owns an io thread; any number of
// threads may call it at once (their commands share one multiplexed connection). Errors are
// thrown as redwire::Error subclasses carrying the error code and, for server errors, the
// server's prefix and message.
//
//   redwire::SyncClient r{"redis://127.0.0.1"};
//   r.hset("user:1001", {{"name", "John"}, {"age", "30"}});
//   std::map<std::string, std::string> user = r.hgetall("user:1001");
//   long long n = r.command<long long>("INCRBY", "counter", 5);
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include "redwire/client.hpp"

namespace redwire {

/// Base of everything the blocking facade throws. code() tells the category:
/// redwire::errc (link, timeouts), protocol_errc, conversion_errc, server_errc.
class Error : public std::system_error {
 public:
  Error(std::error_code ec, const std::string& detail)
      : std::system_error(ec, detail),
        detail_(detail),
        what_(ec.category() == server_category() ? detail
              : detail.empty() || detail == ec.message() ? ec.message()
                                                          : ec.message() + ": " + detail) {}
  /// The server's text, the protocol detail or the conversion detail (never secrets).
  const std::string& detail() const noexcept { return detail_; }
  /// Server errors: the server's text ("WRONGTYPE Operation against ..."); others: the error's
  /// description, then the detail.
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string detail_;
  std::string what_;
};

/// The server answered with an error reply (WRONGTYPE, NOSCRIPT, ...).
class ReplyError : public Error {
 public:
  using Error::Error;
  /// "WRONGTYPE", "ERR", ...
  std::string_view prefix() const noexcept {
    std::string_view d = detail();
    return d.substr(0, d.find(' '));
  }
};
/// The link failed or was closed. is_indeterminate(): the command may have run.
class ConnectionError : public Error {
 public:
  using Error::Error;
  bool is_indeterminate() const noexcept { return code() == errc::indeterminate; }
};
/// No reply within the command timeout (the command may have run).
class TimeoutError : public Error {
 public:
  using Error::Error;
};
/// The reply does not fit the requested type.
class ConversionError : public Error {
 public:
  using Error::Error;
};

/// Throws the Error subclass matching `ec`.
[[noreturn]] void throw_error(std::error_code ec, const std::string& detail);

namespace detail {
// The request behind one blocking call: keeps the server's text for the exception.
template <class T>
class SyncRequest final : public Request {
 public:
  void on_reply(const Reply& reply) override {
    conversion_ = from_reply(reply.view(), value_, &detail_);
  }
  void on_finish(std::error_code ec) override {
    if (!ec) ec = conversion_;
    if (detail_.empty()) detail_ = error_detail;
    promise_.set_value(ec);
  }
  std::future<std::error_code> future() { return promise_.get_future(); }
  ValueStorage<T>& value() { return value_; }
  const std::string& detail() const { return detail_; }

 private:
  std::promise<std::error_code> promise_;
  ValueStorage<T> value_{};
  std::error_code conversion_;
  std::string detail_;
};
}  // namespace detail

class SyncClient : public Commands<SyncClient> {
 public:
  explicit SyncClient(Options options = {});
  explicit SyncClient(std::string_view url) : SyncClient(Options::from_url(url)) {}
  /// Disconnects and joins the io thread.
  ~SyncClient();
  SyncClient(const SyncClient&) = delete;
  SyncClient& operator=(const SyncClient&) = delete;

  /// Runs a prepared command; returns its reply as T or throws.
  template <class T>
  T execute(Command cmd) {
    if (cmd.error()) throw_error(cmd.error(), cmd.error_detail());
    auto req = std::make_shared<detail::SyncRequest<T>>();
    auto done = req->future();
    client_->submit(std::move(cmd), req);
    if (auto ec = done.get()) {
      throw_error(ec, req->detail().empty() ? ec.message() : req->detail());
    }
    if constexpr (!std::is_void_v<T>) return std::move(req->value());
  }

  /// Any command, generic:  r.command<long long>("INCRBY", "counter", 5)
  template <class T, class... Args>
  T command(std::string_view name, const Args&... args) {
    return execute<T>(Command(name, args...));
  }

  /// The asynchronous client underneath (runs on this facade's io thread).
  Client& async() noexcept { return *client_; }
  void close() { client_->close(); }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::unique_ptr<Client> client_;
  std::thread thread_;
};

}  // namespace redwire
