#include "redwire/error.hpp"

#include <gtest/gtest.h>

namespace redwire {
namespace {

TEST(ServerErrorClassification, KnownPrefixesMapToTheirCodes) {
  EXPECT_EQ(classify_server_error("WRONGTYPE Operation against a key"), server_errc::wrongtype);
  EXPECT_EQ(classify_server_error("MOVED 3999 127.0.0.1:6381"), server_errc::moved);
  EXPECT_EQ(classify_server_error("ERR unknown command 'FOO'"), server_errc::err);
  EXPECT_EQ(classify_server_error("LOADING Redis is loading"), server_errc::loading);
  EXPECT_EQ(classify_server_error("SOMETHINGNEW happened"), server_errc::other);
  EXPECT_EQ(classify_server_error("READONLY"), server_errc::readonly);
}

TEST(ErrorCodes, CategoriesAreDistinctAndNamed) {
  const std::error_code a = errc::indeterminate;
  const std::error_code b = protocol_errc::missing_crlf;
  const std::error_code c = conversion_errc::unexpected_type;
  const std::error_code d = server_errc::wrongtype;
  EXPECT_STREQ(a.category().name(), "redwire");
  EXPECT_STREQ(b.category().name(), "redwire.protocol");
  EXPECT_STREQ(c.category().name(), "redwire.conversion");
  EXPECT_STREQ(d.category().name(), "redwire.server");
  EXPECT_NE(a.message().find("may have been applied"), std::string::npos);
  EXPECT_TRUE(is_connection_error(b));
  EXPECT_TRUE(is_connection_error(a));
  EXPECT_FALSE(is_connection_error(d));
  EXPECT_TRUE(is_timeout(errc::command_timeout));
  EXPECT_TRUE(is_cluster_error(server_errc::ask));
}

}  // namespace
}  // namespace redwire
