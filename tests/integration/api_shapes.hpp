#pragma once
// The fixture of the ApiShapes suite (api_shapes_test.cpp, api_shapes_chat_test.cpp): one
// server and one World for the suite, plus request helpers. Named (not anonymous) namespace:
// both files' tests belong to one gtest suite and must share one fixture type.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "support/openapi_expect.hpp"
#include "support/shared_world.hpp"

namespace cozeauth::it {

class ApiShapes : public SharedWorld<ApiShapes> {
 protected:
  static boost::json::object UserText(const std::string& text) {
    return {{"role", "user"}, {"content", text}, {"content_type", "text"}};
  }

  // POST /v1/conversation/create bound to the world's bot; the new conversation's id.
  static std::string NewConversation() {
    auto body =
        OkBody(Post("/v1/conversation/create", boost::json::object{{"bot_id", world().bot_id}}));
    return Str(body, "data.id");
  }

  static std::string NewMessage(const std::string& conversation_id, const std::string& text) {
    auto body = OkBody(
        Post("/v1/conversation/message/create?conversation_id=" + conversation_id, UserText(text)));
    return Str(body, "data.id");
  }

  static boost::json::object ChatRequest(const std::string& text, bool stream) {
    return {{"bot_id", world().bot_id},
            {"user_id", "integration-user"},
            {"stream", stream},
            {"additional_messages", boost::json::array{UserText(text)}}};
  }

  // Every element of `list` at `key`, as strings.
  static std::vector<std::string> Ids(const boost::json::value& list,
                                      const std::string& key = "id") {
    std::vector<std::string> out;
    for (const auto& item : list.as_array()) out.push_back(Str(item, key));
    return out;
  }

  static bool Contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
};

}  // namespace cozeauth::it
