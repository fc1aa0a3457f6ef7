#include "sync_calls.hpp"

#include <openssl/rand.h>

#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace redwire::patterns::detail {

Command timed(Command cmd, std::chrono::milliseconds timeout) {
  if (timeout.count() > 0) cmd.with_timeout(timeout);
  return cmd;
}

Reply run_script(SyncClient& redis, const Script& script, const StringList& keys,
                 const ScriptArgs& args, std::chrono::milliseconds timeout) {
  Reply reply = redis.execute<Reply>(timed(script.evalsha(keys, args), timeout));
  if (reply.is_error() && classify_server_error(reply.value()) == server_errc::noscript) {
    reply = redis.execute<Reply>(timed(script.eval(keys, args), timeout));
  }
  if (reply.is_error()) {
    throw_error(make_error_code(classify_server_error(reply.value())), std::string(reply.value()));
  }
  return reply;
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    // The CSPRNG failing is rare (no entropy source): fall back to the OS's random_device
    // rather than failing the lock or cache call.
    std::random_device rd;
    for (auto& b : raw) b = static_cast<unsigned char>(rd() & 0xffu);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes);
  for (unsigned char b : raw) {
    out += digits[b >> 4];
    out += digits[b & 0xfu];
  }
  return out;
}

}  // namespace redwire::patterns::detail
