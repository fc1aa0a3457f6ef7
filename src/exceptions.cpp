#include "redwire/exceptions.hpp"

namespace redwire {

void throw_error(std::error_code ec, const std::string& detail) {
  if (ec.category() == server_category()) throw ReplyError(ec, detail);
  if (ec.category() == conversion_category()) throw ConversionError(ec, detail);
  if (is_timeout(ec)) throw TimeoutError(ec, detail);
  if (ec.category() == client_category() && ec != errc::indeterminate &&
      ec != errc::connection_lost && ec != errc::connection_closed &&
      ec != errc::max_retries_exceeded && ec != errc::offline_queue_full &&
      ec != errc::offline_queue_disabled && ec != errc::resolve_failed &&
      ec != errc::tls_handshake_failed) {
    throw Error(ec, detail);
  }
  throw ConnectionError(ec, detail);
}

}  // namespace redwire
