// Options::key_prefix as applied to encoded payloads: keys get it, values, channels and
// patterns do not.
#include <gtest/gtest.h>

#include "redwire/command.hpp"
#include "redwire/detail/key_prefix.hpp"

namespace redwire {
namespace {

template <class... Args>
std::string prefixed(std::string_view prefix, std::string_view name, const Args&... args) {
  return detail::apply_key_prefix(Command(name, args...).payload(), prefix);
}
template <class... Args>
std::string encoded(std::string_view name, const Args&... args) {
  return Command(name, args...).payload();
}

TEST(KeyPrefix, PrefixesKeysNotValues) {
  EXPECT_EQ(prefixed("app:", "SET", "k", "v"), encoded("SET", "app:k", "v"));
  EXPECT_EQ(prefixed("app:", "MSET", "a", "1", "b", "2"),
            encoded("MSET", "app:a", "1", "app:b", "2"));
  EXPECT_EQ(prefixed("app:", "DEL", "a", "b"), encoded("DEL", "app:a", "app:b"));
  EXPECT_EQ(prefixed("app:", "MGET", "a", "b"), encoded("MGET", "app:a", "app:b"));
  EXPECT_EQ(prefixed("app:", "HSET", "h", "f", "v"), encoded("HSET", "app:h", "f", "v"));
  EXPECT_EQ(prefixed("app:", "RENAME", "a", "b"), encoded("RENAME", "app:a", "app:b"));
  EXPECT_EQ(prefixed("app:", "OBJECT", "ENCODING", "k"), encoded("OBJECT", "ENCODING", "app:k"));
  EXPECT_EQ(prefixed("app:", "XREAD", "COUNT", 1, "STREAMS", "s", "0"),
            encoded("XREAD", "COUNT", 1, "STREAMS", "app:s", "0"));
  EXPECT_EQ(prefixed("app:", "BLMPOP", 1, 2, "a", "b", "LEFT"),
            encoded("BLMPOP", 1, 2, "app:a", "app:b", "LEFT"));
}

TEST(KeyPrefix, ScriptKeysButNotScriptArguments) {
  EXPECT_EQ(prefixed("p:", "EVAL", "return 1", 2, "k1", "k2", "arg"),
            encoded("EVAL", "return 1", 2, "p:k1", "p:k2", "arg"));
  EXPECT_EQ(prefixed("p:", "EVALSHA", "abc", 0, "arg"), encoded("EVALSHA", "abc", 0, "arg"));
  EXPECT_EQ(prefixed("p:", "FCALL", "fn", 1, "k", "arg"), encoded("FCALL", "fn", 1, "p:k", "arg"));
}

TEST(KeyPrefix, SortPatternsAndStoreButNotGetHash) {
  EXPECT_EQ(
      prefixed("p:", "SORT", "l", "BY", "w_*", "GET", "#", "GET", "o_*->name", "STORE", "d"),
      encoded("SORT", "p:l", "BY", "p:w_*", "GET", "#", "GET", "p:o_*->name", "STORE", "p:d"));
  EXPECT_EQ(prefixed("p:", "SORT_RO", "l", "BY", "nosort"),
            encoded("SORT_RO", "p:l", "BY", "p:nosort"));
}

TEST(KeyPrefix, LeavesPatternsChannelsAndKeylessCommandsAlone) {
  EXPECT_EQ(prefixed("p:", "KEYS", "user:*"), encoded("KEYS", "user:*"));
  EXPECT_EQ(prefixed("p:", "SCAN", 0, "MATCH", "user:*"), encoded("SCAN", 0, "MATCH", "user:*"));
  EXPECT_EQ(prefixed("p:", "PUBLISH", "ch", "msg"), encoded("PUBLISH", "ch", "msg"));
  EXPECT_EQ(prefixed("p:", "SSUBSCRIBE", "ch"), encoded("SSUBSCRIBE", "ch"));
  EXPECT_EQ(prefixed("p:", "PING"), encoded("PING"));
  EXPECT_EQ(prefixed("p:", "NOSUCHCOMMAND", "k"), encoded("NOSUCHCOMMAND", "k"));
  // HSCAN's key is a key; its MATCH pattern is not.
  EXPECT_EQ(prefixed("p:", "HSCAN", "h", 0, "MATCH", "f*"),
            encoded("HSCAN", "p:h", 0, "MATCH", "f*"));
}

TEST(KeyPrefix, EveryCommandOfAPipelinedPayload) {
  const std::string payload = encoded("MULTI") + encoded("SET", "a", "1") +
                              encoded("EVAL", "return 1", 1, "b", "x") + encoded("EXEC");
  const std::string expected = encoded("MULTI") + encoded("SET", "k:a", "1") +
                               encoded("EVAL", "return 1", 1, "k:b", "x") + encoded("EXEC");
  EXPECT_EQ(detail::apply_key_prefix(payload, "k:"), expected);
}

TEST(KeyPrefix, BinaryKeysAndMalformedPayloads) {
  const std::string key("a\0\r\nb", 5);
  EXPECT_EQ(prefixed(std::string_view("\0p", 2), "GET", key),
            encoded("GET", std::string("\0p", 2) + key));
  EXPECT_EQ(detail::apply_key_prefix("GET k\r\n", "p:"), "GET k\r\n");
  EXPECT_EQ(detail::apply_key_prefix(encoded("GET", "k"), ""), encoded("GET", "k"));
}

}  // namespace
}  // namespace redwire
