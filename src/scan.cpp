#include "redwire/scan.hpp"

namespace redwire {

ScanRange<std::string> scan(SyncClient& client, ScanOptions opts) {
  return ScanRange<std::string>([&client, opts = std::move(opts)](std::uint64_t cursor) {
    return client.scan(cursor, opts);
  });
}

ScanRange<std::pair<std::string, std::string>> hscan(SyncClient& client, std::string key,
                                                     ScanOptions opts) {
  return ScanRange<std::pair<std::string, std::string>>(
      [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor) {
        return client.hscan(key, cursor, opts);
      });
}

ScanRange<std::string> sscan(SyncClient& client, std::string key, ScanOptions opts) {
  return ScanRange<std::string>(
      [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor) {
        return client.sscan(key, cursor, opts);
      });
}

ScanRange<ScoredMember> zscan(SyncClient& client, std::string key, ScanOptions opts) {
  return ScanRange<ScoredMember>(
      [&client, key = std::move(key), opts = std::move(opts)](std::uint64_t cursor) {
        return client.zscan(key, cursor, opts);
      });
}

}  // namespace redwire
