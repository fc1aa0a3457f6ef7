// CRC16 and hash slots: the reference vector, hash-tag rules, and slots as redis-server 7.0's
// CLUSTER KEYSLOT computed them.
#include "redwire/cluster/crc16.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

namespace redwire::cluster {
namespace {

TEST(Crc16, MatchesTheXmodemReferenceVector) {
  EXPECT_EQ(crc16("123456789"), 0x31C3);
  EXPECT_EQ(crc16(""), 0);
}

TEST(Crc16, IsBinarySafe) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(crc16(with_nul), crc16("ab"));
  EXPECT_EQ(key_slot(with_nul), key_slot(std::string_view("a\0b", 3)));
}

TEST(HashTag, HashesOnlyTheFirstNonEmptyBracedPart) {
  EXPECT_EQ(hash_tag("{user1000}.following"), "user1000");
  EXPECT_EQ(hash_tag("{user1000}.followers"), "user1000");
  EXPECT_EQ(hash_tag("foo{}{bar}"), "foo{}{bar}");  // empty first tag: the whole key
  EXPECT_EQ(hash_tag("foo{{bar}}zap"), "{bar");     // up to the first '}'
  EXPECT_EQ(hash_tag("foo{bar}{zap}"), "bar");      // the first tag only
  EXPECT_EQ(hash_tag("{bar"), "{bar");              // no closing brace
  EXPECT_EQ(hash_tag("bar}"), "bar}");
  EXPECT_EQ(hash_tag(""), "");
}

TEST(KeySlot, AgreesWithTheServer) {
  // redis-cli CLUSTER KEYSLOT <key> on redis-server 7.0.15.
  const std::pair<std::string_view, int> vectors[] = {
      {"foo", 12182},
      {"bar", 5061},
      {"a", 15495},
      {"b", 3300},
      {"c", 7365},
      {"123456789", 12739},
      {"user1000", 3443},
      {"{user1000}.following", 3443},
      {"{user1000}.followers", 3443},
      {"foo{}{bar}", 8363},
      {"foo{{bar}}zap", 4015},
      {"foo{bar}{zap}", 5061},
      {"{bar", 4015},
      {"bar}", 6624},
      {"", 0},
      {"hello world", 15332},
      {"user:{1001}:name", 15391},
      {"user:{1001}:email", 15391},
  };
  for (const auto& [key, slot] : vectors) EXPECT_EQ(key_slot(key), slot) << "key '" << key << "'";
}

TEST(KeySlot, HashTagsKeepRelatedKeysTogether) {
  EXPECT_EQ(key_slot("user:{1001}:name"), key_slot("user:{1001}:email"));
  EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
}

}  // namespace
}  // namespace redwire::cluster
