// The strict JSON request readers (src/api/json_input.hpp): JsonBody on a request body, then every
// typed getter on every key of the object (so each getter meets every JSON type), the query
// readers on the same bytes as a query string, and ValidateMetaData.
#include "api/json_input.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cozeauth;
  http::Request req;
  req.body = std::string(fuzz::AsView(data, size));
  req.query = http::ParseQuery(req.body);
  (void)api::QueryId(req, "bot_id");
  (void)api::RequiredQueryId(req, "workspace_id");
  if (auto n = api::QueryInt(req, "page_size", 20, 1, 50); n) FUZZ_CHECK(*n >= 1 && *n <= 50);
  for (bool allow_empty : {false, true}) {
    auto body = api::JsonBody(req, allow_empty);
    if (!body) continue;
    const boost::json::object& o = *body;
    for (const auto& kv : o) {
      const std::string_view key = kv.key();
      (void)api::OptString(o, key);
      (void)api::ReqString(o, key);
      if (auto id = api::OptId(o, key); id && *id) {
        for (char c : **id) FUZZ_CHECK(c >= '0' && c <= '9');
      }
      (void)api::OptInt(o, key);
      (void)api::OptBool(o, key);
      (void)api::OptObject(o, key);
      (void)api::OptStringList(o, key);
    }
    if (auto meta = api::OptObject(o, "meta_data"); meta && *meta)
      (void)api::ValidateMetaData(**meta, "meta_data");
    (void)api::ValidateMetaData(o, "meta_data");
  }
  return 0;
}
