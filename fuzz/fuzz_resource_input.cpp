// Message input shared by conversation create, message create/modify and /v3/chat
// (src/api/resource_input.hpp): EnterMessage lists, one EnterMessage, meta_data, object_string
// content, and the stored form built from an accepted message.
#include "api/json_input.hpp"
#include "api/resource_input.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  const std::string_view in = fuzz::AsView(data, size);
  // object_string content is itself JSON carried in a string: validate the raw bytes as one.
  for (std::string_view ct : {"text", "object_string", "card"}) {
    (void)api::ValidateContent(ct, in, "content");
    (void)api::InputText(ct, in);
  }
  http::Request req;
  req.body = std::string(in);
  auto body = api::JsonBody(req, true);
  if (!body) return 0;
  if (auto list = api::ParseEnterMessages(*body, "additional_messages"); list) {
    for (const auto& m : *list) {
      FUZZ_CHECK(m.role == "user" || m.role == "assistant");
      FUZZ_CHECK(m.content_type == "text" || m.content_type == "object_string" ||
                 m.content_type == "card");
      (void)api::InputText(m.content_type, m.content);
    }
  }
  (void)api::ParseEnterMessages(*body, "messages");
  (void)api::ParseMetaData(*body, "meta_data", "meta_data");
  if (auto one = api::ParseEnterMessage(boost::json::value(*body), ""); one) {
    domain::Conversation conv;
    conv.id = "7000000000000000001";
    (void)api::NewMessage(*one, conv, "7000000000000000002", "", "7000000000000000003",
                          1'750'000'000);
  }
  return 0;
}
