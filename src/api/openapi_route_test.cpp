// Route registration checks the declared permission point against the catalogue: an unknown
// point fails at start-up (std::logic_error, as a duplicate route does) instead of answering
// 4101 "unknown permission point" on every call.
#include "api/openapi_route.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth::api {
namespace {

class AddOpenApiTest : public ::testing::Test {
 protected:
  static http::Response Never(Call& c) { return c.Ok(boost::json::object{}); }

  FakeClock clock_;
  SeededRandom random_{1};
  IdGenerator ids_{clock_, random_};
  std::unique_ptr<store::Store> store_ = store::sqlite::Open(":memory:").value();
  Authenticator auth_{*store_, clock_, TokenCacheOptions{}};
  Deps deps_{*store_, auth_, clock_, random_, ids_};
  http::Router router_;
};

TEST_F(AddOpenApiTest, UnknownPermissionPointFailsAtRegistration) {
  EXPECT_THROW(AddOpenApi(router_, deps_, http::Verb::get, "/v1/x", "noSuchPoint", Never),
               std::logic_error);
  EXPECT_THROW(AddOpenApi(router_, deps_, http::Verb::get, "/v1/y", "Bot.noSuchAction", Never),
               std::logic_error);
  EXPECT_TRUE(router_.routes().empty());  // nothing half-registered
}

TEST_F(AddOpenApiTest, KnownPointsAndNoPointRegister) {
  AddOpenApi(router_, deps_, http::Verb::get, "/v1/bots/{bot_id}", "getMetadata", Never);
  AddOpenApi(router_, deps_, http::Verb::post, "/v3/chat", "Bot.chat", Never);  // prefixed form
  AddOpenApi(router_, deps_, http::Verb::get, "/v1/users/me", "", Never);
  ASSERT_EQ(router_.routes().size(), 3u);
  EXPECT_EQ(router_.routes()[0].options.permission, "getMetadata");
}

TEST_F(AddOpenApiTest, DuplicateRouteStillFails) {
  AddOpenApi(router_, deps_, http::Verb::get, "/v1/x", "chat", Never);
  EXPECT_THROW(AddOpenApi(router_, deps_, http::Verb::get, "/v1/x", "chat", Never),
               std::logic_error);
}

}  // namespace
}  // namespace cozeauth::api
