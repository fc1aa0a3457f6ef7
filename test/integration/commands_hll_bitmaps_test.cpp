// Every typed HyperLogLog and bitmap command against a real server.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

using HyperLogLogCommandsTest = ServerTest;
using BitmapCommandsTest = ServerTest;

TEST_F(HyperLogLogCommandsTest, AddCountMerge) {
  SyncClient r{options()};
  EXPECT_TRUE(r.pfadd("hll:a", {"x", "y", "z"}));
  EXPECT_FALSE(r.pfadd("hll:a", "x"));
  r.pfadd("hll:b", {"z", "w"});
  EXPECT_EQ(r.pfcount("hll:a"), 3);
  EXPECT_EQ(r.pfcount({"hll:a", "hll:b"}), 4);
  r.pfmerge("hll:all", {"hll:a", "hll:b"});
  EXPECT_EQ(r.pfcount("hll:all"), 4);
}

TEST_F(BitmapCommandsTest, BitsCountsAndPositions) {
  SyncClient r{options()};
  EXPECT_FALSE(r.setbit("b", 7, true));
  EXPECT_TRUE(r.setbit("b", 7, false));
  r.setbit("b", 7, true);
  EXPECT_TRUE(r.getbit("b", 7));
  EXPECT_FALSE(r.getbit("b", 100));
  r.set("bytes", "foobar");
  EXPECT_EQ(r.bitcount("bytes"), 26);
  EXPECT_EQ(r.bitcount("bytes", {.start = 1, .end = 1}), 6);
  EXPECT_EQ(r.bitcount("bytes", {.start = 5, .end = 30, .unit = BitRange::Unit::bit}), 17);
  EXPECT_EQ(r.bitpos("b", true), 7);
  EXPECT_EQ(r.bitpos("bytes", false, {.start = 2}), 16);
  EXPECT_EQ(r.bitpos("bytes", true, {.start = 7, .end = 15, .unit = BitRange::Unit::bit}), 9);
}

TEST_F(BitmapCommandsTest, BitopAndBitfield) {
  SyncClient r{options()};
  r.set("x", "\xF0");
  r.set("y", "\x3C");
  EXPECT_EQ(r.bitop(BitOp::and_, "and", {"x", "y"}), 1);
  EXPECT_EQ(r.get("and"), "\x30");
  r.bitop(BitOp::or_, "or", {"x", "y"});
  EXPECT_EQ(r.get("or"), "\xFC");
  r.bitop(BitOp::xor_, "xor", {"x", "y"});
  EXPECT_EQ(r.get("xor"), "\xCC");
  r.bitop(BitOp::not_, "not", "x");
  EXPECT_EQ(r.get("not"), "\x0F");

  BitfieldOps ops;
  ops.set("u8", 0, 200).get("u8", 0).incrby("u8", 0, 100);
  EXPECT_EQ(r.bitfield("bf", ops), (std::vector<std::optional<long long>>{0, 200, 44}));
  BitfieldOps capped;
  capped.overflow(BitfieldOps::Overflow::fail).incrby("u8", "#0", 250);
  EXPECT_EQ(r.bitfield("bf", capped), (std::vector<std::optional<long long>>{std::nullopt}));
  BitfieldOps reads;
  reads.get("u4", 0).get("u4", "#1");
  EXPECT_EQ(r.bitfield_ro("bf", reads), (std::vector<long long>{2, 12}));
}

}  // namespace
}  // namespace redwire::testing
