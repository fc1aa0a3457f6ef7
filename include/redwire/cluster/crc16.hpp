// Redis Cluster key hashing: CRC16 (XMODEM) of the key, or of its hash tag, modulo 16384.
//
//   redwire::cluster::key_slot("user:1000");              // 1649
//   redwire::cluster::key_slot("{user1000}.following");   // == key_slot("user1000")
//   redwire::cluster::hash_tag("foo{}{bar}");             // "foo{}{bar}" (empty tag: whole key)
//
// https://redis.io/docs/reference/cluster-spec/#hash-tags
#pragma once

#include <cstdint>
#include <string_view>

namespace redwire::cluster {

/// Number of hash slots of a Redis Cluster.
inline constexpr int slot_count = 16384;

/// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection, no final xor.
/// crc16("123456789") == 0x31C3.
std::uint16_t crc16(std::string_view data) noexcept;

/// The part of `key` that is hashed: the text between the first '{' and the first '}' after
/// it, when that text is not empty; otherwise the whole key.
std::string_view hash_tag(std::string_view key) noexcept;

/// The hash slot of `key` (0 .. 16383), as CLUSTER KEYSLOT computes it.
int key_slot(std::string_view key) noexcept;

}  // namespace redwire::cluster
