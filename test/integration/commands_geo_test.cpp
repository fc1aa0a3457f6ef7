// Every typed geo command against a real server, in RESP3 and RESP2.
#include "fixture.hpp"

namespace redwire::testing {
namespace {

class GeoCommandsTest : public ServerTest, public ::testing::WithParamInterface<int> {
 protected:
  void add_sicily(SyncClient& r) {
    EXPECT_EQ(
        r.geoadd("sicily", {{13.361389, 38.115556, "Palermo"}, {15.087269, 37.502669, "Catania"}}),
        2);
  }
};

TEST_P(GeoCommandsTest, AddPositionDistanceHash) {
  auto o = options();
  o.protocol = GetParam();
  SyncClient r{o};
  add_sicily(r);
  EXPECT_EQ(
      r.geoadd("sicily", {{13.5, 38.2, "Palermo"}}, {.condition = GeoAddOptions::Condition::nx}),
      0);
  EXPECT_EQ(r.geoadd("sicily", {{13.361389, 38.115556, "Palermo"}, {12.5, 37.8, "Marsala"}},
                     {.condition = GeoAddOptions::Condition::xx, .ch = true}),
            0);  // Marsala not added (XX), Palermo unchanged
  const auto pos = r.geopos("sicily", {"Palermo", "Nowhere"});
  ASSERT_EQ(pos.size(), 2u);
  ASSERT_TRUE(pos[0].has_value());
  EXPECT_NEAR(pos[0]->longitude, 13.361389, 1e-5);
  EXPECT_NEAR(pos[0]->latitude, 38.115556, 1e-5);
  EXPECT_FALSE(pos[1].has_value());
  const auto km = r.geodist("sicily", "Palermo", "Catania", GeoUnit::km);
  ASSERT_TRUE(km.has_value());
  EXPECT_NEAR(*km, 166.2742, 1e-3);
  EXPECT_EQ(r.geodist("sicily", "Palermo", "Nowhere", GeoUnit::m), std::nullopt);
  const auto hashes = r.geohash("sicily", {"Palermo", "Nowhere"});
  EXPECT_EQ(hashes, (std::vector<std::optional<std::string>>{"sqc8b49rny0", std::nullopt}));
}

TEST_P(GeoCommandsTest, SearchAndStore) {
  auto o = options();
  o.protocol = GetParam();
  SyncClient r{o};
  add_sicily(r);
  using Order = GeoSearchOptions::Order;
  const auto plain = r.geosearch("sicily", {.from_position = GeoPosition{15, 37},
                                            .radius = 200,
                                            .unit = GeoUnit::km,
                                            .order = Order::asc});
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[0].member, "Catania");
  EXPECT_FALSE(plain[0].distance.has_value());

  const auto full = r.geosearch("sicily", {.from_position = GeoPosition{15, 37},
                                           .radius = 200,
                                           .unit = GeoUnit::km,
                                           .order = Order::asc,
                                           .with_coordinates = true,
                                           .with_distance = true,
                                           .with_hash = true});
  ASSERT_EQ(full.size(), 2u);
  EXPECT_NEAR(full[0].distance.value_or(0), 56.4413, 1e-3);
  EXPECT_EQ(full[0].hash, 3479447370796909);
  EXPECT_NEAR(full[1].position.value_or(GeoPosition{}).longitude, 13.361389, 1e-5);

  const auto box = r.geosearch("sicily", {.from_member = "Palermo",
                                          .box = {{400, 400}},
                                          .unit = GeoUnit::km,
                                          .order = Order::desc,
                                          .count = 1,
                                          .with_distance = true});
  ASSERT_EQ(box.size(), 1u);
  EXPECT_EQ(box[0].member, "Catania");
  EXPECT_THROW(r.geosearch("sicily", {.radius = 1}), Error);  // no centre: rejected locally

  EXPECT_EQ(r.geosearchstore("near", "sicily",
                             {.from_member = "Catania", .radius = 100, .unit = GeoUnit::km}),
            1);
  EXPECT_EQ(
      r.geosearchstore(
          "dists", "sicily",
          {.from_member = "Catania", .radius = 500, .unit = GeoUnit::km, .store_distance = true}),
      2);
  EXPECT_NEAR(r.zscore("dists", "Palermo").value_or(0), 166.27, 1e-2);
  EXPECT_THROW(
      r.geosearchstore("x", "sicily", {.from_member = "Catania", .radius = 1, .with_hash = true}),
      Error);
}

INSTANTIATE_TEST_SUITE_P(Resp, GeoCommandsTest, ::testing::Values(3, 2),
                         [](const ::testing::TestParamInfo<int>& p) {
                           return "Resp" + std::to_string(p.param);
                         });

}  // namespace
}  // namespace redwire::testing
