// The byte strings the protocol micro-benchmarks feed to redwire and to hiredis. All RESP2, so
// both readers parse exactly the same bytes (hiredis 0.14 predates RESP3).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace redwire::bench {

struct ReplyInput {
  const char* name;
  std::string bytes;
  std::size_t replies;  ///< complete top-level replies in `bytes`
};

inline std::string bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

/// 100 replies of the kinds a real pipeline mixes: status, integer, short bulk, nil, error,
/// a small array, and now and then a 1 KiB value.
inline std::string mixed_pipeline() {
  std::string out;
  for (int i = 0; i < 100; ++i) {
    switch (i % 7) {
      case 0:
        out += "+OK\r\n";
        break;
      case 1:
        out += ":" + std::to_string(i * 1000) + "\r\n";
        break;
      case 2:
        out += bulk("value:" + std::to_string(i));
        break;
      case 3:
        out += "$-1\r\n";
        break;
      case 4:
        out += "*3\r\n" + bulk("field") + bulk("value") + ":" + std::to_string(i) + "\r\n";
        break;
      case 5:
        out += "-ERR no such key\r\n";
        break;
      default:
        out += (i % 2 == 0) ? bulk(std::string(1024, 'p')) : bulk("member");
        break;
    }
  }
  return out;
}

inline std::vector<ReplyInput> reply_inputs() {
  std::string array100 = "*100\r\n";
  for (int i = 0; i < 100; ++i) array100 += bulk("element:" + std::to_string(i));
  return {
      {"ok", "+OK\r\n", 1},          {"int", ":1\r\n", 1},
      {"bulk3", "$3\r\nbar\r\n", 1}, {"bulk1k", bulk(std::string(1024, 'x')), 1},
      {"array100", array100, 1},     {"pipeline100", mixed_pipeline(), 100},
  };
}

}  // namespace redwire::bench
