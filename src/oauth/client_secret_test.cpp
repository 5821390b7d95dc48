// IsLiveClientSecret against an in-memory store: the live secrets of the app match, and nothing
// else does — a wrong or empty text, the stored digest itself, another app's secret, a deleted
// secret, an app without secrets.
#include "oauth/client_secret.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "admin/oauth_apps.hpp"
#include "admin/test_env.hpp"

namespace cozeauth::oauth {
namespace {

using credentials::ClientType;

class ClientSecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ann_ = admin::CreateUser(env_, "ann", "ann@x.test", "Passw0rd-ann").value();
    web_ = MakeWebApp("web");
    other_ = MakeWebApp("other");
  }

  credentials::OAuthApp MakeWebApp(const std::string& name) {
    admin::AppSpec spec;
    spec.owner_account_id = spec.owner_user_id = ann_.id;
    spec.name = name;
    spec.client_type = ClientType::kWeb;
    spec.redirect_uris = {"http://localhost:8080/cb"};
    spec.account_permissions = {"createConversation"};
    auto app = admin::CreateApp(env_, spec);
    EXPECT_TRUE(app.has_value()) << (app ? "" : app.error().message);
    return app ? app.value() : credentials::OAuthApp{};
  }

  admin::NewClientSecret NewSecret(const credentials::OAuthApp& app) {
    auto created = admin::CreateClientSecret(env_, app.id);
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error().message);
    return created ? created.value() : admin::NewClientSecret{};
  }

  bool Live(const credentials::OAuthApp& app, std::string_view presented) {
    auto r = IsLiveClientSecret(*test_.store, app.id, presented);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r.has_value() && r.value();
  }

  admin::TestEnv test_;
  admin::Env& env_ = test_.env;
  domain::User ann_;
  credentials::OAuthApp web_, other_;
};

TEST_F(ClientSecretTest, EveryLiveSecretOfTheAppMatches) {
  const auto first = NewSecret(web_);
  const auto second = NewSecret(web_);  // rotation: both live at once
  EXPECT_TRUE(Live(web_, first.plaintext));
  EXPECT_TRUE(Live(web_, second.plaintext));
}

TEST_F(ClientSecretTest, WrongTextsDoNotMatch) {
  const auto secret = NewSecret(web_);
  std::string upper = secret.plaintext;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const struct {
    const char* why;
    std::string presented;
  } cases[] = {
      {"empty", ""},
      {"one character more", secret.plaintext + "x"},
      {"one character less", secret.plaintext.substr(0, secret.plaintext.size() - 1)},
      {"case changed", upper},
      {"the stored digest itself", secret.secret.secret_hash},
      {"the mask", secret.secret.mask},
      {"the secret id", secret.secret.id},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.why);
    if (c.presented == secret.plaintext) continue;  // "case changed" when it has no letters
    EXPECT_FALSE(Live(web_, c.presented));
  }
  EXPECT_TRUE(Live(web_, secret.plaintext));
}

TEST_F(ClientSecretTest, EachAppAcceptsItsOwnSecretOnly) {
  const std::string web_secret = NewSecret(web_).plaintext;
  const std::string other_secret = NewSecret(other_).plaintext;
  const struct {
    const credentials::OAuthApp& app;
    const std::string& own;
    const std::string& foreign;
  } apps[] = {{web_, web_secret, other_secret}, {other_, other_secret, web_secret}};
  for (const auto& a : apps) {
    SCOPED_TRACE(a.app.name);
    EXPECT_TRUE(Live(a.app, a.own));
    EXPECT_FALSE(Live(a.app, a.foreign));
  }
}

TEST_F(ClientSecretTest, DeletedSecretStopsMatchingAtOnceAndTheOthersStayLive) {
  const auto old_secret = NewSecret(web_);
  const auto new_secret = NewSecret(web_);
  ASSERT_TRUE(Live(web_, old_secret.plaintext));
  ASSERT_TRUE(admin::DeleteClientSecret(env_, web_.id, old_secret.secret.id).has_value());
  EXPECT_FALSE(Live(web_, old_secret.plaintext));
  EXPECT_TRUE(Live(web_, new_secret.plaintext));
}

TEST_F(ClientSecretTest, AppWithoutSecretsOrUnknownAppMatchesNothing) {
  const auto secret = NewSecret(other_);
  EXPECT_FALSE(Live(web_, secret.plaintext));
  auto unknown = IsLiveClientSecret(*test_.store, "7000000000000000001", secret.plaintext);
  ASSERT_TRUE(unknown.has_value());
  EXPECT_FALSE(unknown.value());
}

}  // namespace
}  // namespace cozeauth::oauth
