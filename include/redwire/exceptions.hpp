// What the blocking facade (and PipelineResults::value) throw: redwire::Error and its
// subclasses, each carrying the error code and, for server errors, the server's text.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "redwire/error.hpp"

namespace redwire {

/// Base of everything the blocking facade throws. code() tells the category:
/// redwire::errc (link, timeouts), protocol_errc, conversion_errc, server_errc.
class Error : public std::system_error {
 public:
  Error(std::error_code ec, const std::string& detail)
      : std::system_error(ec, detail),
        detail_(detail),
        what_(ec.category() == server_category()         ? detail
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

}  // namespace redwire
