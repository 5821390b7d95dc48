#pragma once
// SharedWorld<Suite>: a gtest fixture whose suite shares one running server and one World
// (user, team workspace, published bot with prompt "Echo:", all-points PAT), built once in
// SetUpTestSuite. If building it fails, every test of the suite fails in SetUp with the reason
// (instead of crashing on a null server). CRTP so that each suite gets its own statics.
//
//   class Bots : public SharedWorld<Bots> {};
//   TEST_F(Bots, Retrieve) { auto r = Get("/v1/bots/" + world().bot_id); … }

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/http_client.hpp"
#include "support/scenario.hpp"
#include "support/test_server.hpp"

namespace cozeauth::it {

template <typename Suite>
class SharedWorld : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      server_ = std::make_unique<TestServer>();
      scenario_ = std::make_unique<Scenario>(*server_);
      world_ = std::make_unique<World>(scenario_->MakeWorld("Echo:"));
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    world_.reset();
    scenario_.reset();
    server_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(world_ != nullptr) << "suite setup failed: " << setup_error_;
  }

  static TestServer& server() { return *server_; }
  static Scenario& scenario() { return *scenario_; }
  static const World& world() { return *world_; }
  static HttpClient http() { return server_->Http(); }
  static Headers auth() { return Bearer(world_->pat.token); }

  // Requests with the world's PAT.
  static HttpResponse Get(const std::string& target) { return http().Get(target, auth()); }
  static HttpResponse Delete(const std::string& target) { return http().Delete(target, auth()); }
  static HttpResponse Post(const std::string& target, const boost::json::value& body) {
    return http().PostJson(target, body, auth());
  }
  static HttpResponse Put(const std::string& target, const boost::json::value& body) {
    return http().Put(target, boost::json::serialize(body), auth());
  }

  static inline std::unique_ptr<TestServer> server_;
  static inline std::unique_ptr<Scenario> scenario_;
  static inline std::unique_ptr<World> world_;
  static inline std::string setup_error_;
};

}  // namespace cozeauth::it
