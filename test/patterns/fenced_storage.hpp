// The protected resource of the fencing tests: a store that remembers the highest fencing token
// it has seen and refuses writes that carry a lower one (Kleppmann's "storage checks the
// token"). Here it is a Redis script on a separate server; in a database it is a conditional
// UPDATE ... WHERE fence <= :token.
#pragma once

#include <string>

#include "redwire/script.hpp"
#include "redwire/sync_client.hpp"

namespace redwire::testing {

// KEYS: data, highest token seen. ARGV: token, value. 1 = written, 0 = refused (stale token).
inline const Script& fenced_write_script() {
  static const Script script{R"(
local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < seen then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[2])
return 1
)"};
  return script;
}

/// True when the store accepted the write.
inline bool fenced_write(SyncClient& storage, const std::string& data_key, long long token,
                         const std::string& value) {
  return storage.run_script<long long>(fenced_write_script(),
                                       {std::string_view(data_key), data_key + ":fence-seen"},
                                       {token, std::string_view(value)}) == 1;
}

}  // namespace redwire::testing
