// Blocking Redis calls of the patterns, each bounded by its own timeout: scripts (EVALSHA,
// EVAL on NOSCRIPT) and plain commands, plus random tokens.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "redwire/script.hpp"
#include "redwire/sync_client.hpp"

namespace redwire::patterns::detail {

/// `cmd` with a per-call timeout; 0 keeps the client's command_timeout.
Command timed(Command cmd, std::chrono::milliseconds timeout);

/// Runs `script` (EVALSHA, then EVAL on NOSCRIPT), each attempt bounded by `timeout`. Throws
/// redwire::Error: a script's error reply as ReplyError, link failures and timeouts as
/// ConnectionError / TimeoutError.
Reply run_script(SyncClient& redis, const Script& script, const StringList& keys,
                 const ScriptArgs& args, std::chrono::milliseconds timeout);

/// `bytes` bytes from OpenSSL's CSPRNG as lower-case hex (16 bytes: node-redlock's lock value).
std::string random_hex(std::size_t bytes);

}  // namespace redwire::patterns::detail
