// Audio (coze-protocol.md §9.1): GET /v1/audio/voices lists a fixed catalogue of system voices.
// The server synthesizes no audio and clones no voices, so there are no account voices:
// filter_system_voice=true yields an empty list. model_type (big|small) and voice_state
// (init|cloned|all) are validated; every system voice serves both model types and is ready, so
// only voice_state=init (voices still training) filters them out.

#include <array>
#include <boost/json.hpp>

#include "api/json_input.hpp"
#include "api/openapi_route.hpp"
#include "api/routes.hpp"
#include "base/strings.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace {

struct SystemVoice {
  std::string_view voice_id, name, language_code, language_name, preview_text;
};

// Stable ids: clients may persist a voice id, so these never change.
constexpr std::array<SystemVoice, 4> kSystemVoices = {{
    {"7426720361733046281", "Xiaoyu", "zh", "中文", "你好，我是小雨。"},
    {"7426720361733062665", "Haoran", "zh", "中文", "你好，我是浩然。"},
    {"7426720361732915209", "Emma", "en", "English", "Hello, I am Emma."},
    {"7426720361753968677", "James", "en", "English", "Hello, I am James."},
}};
constexpr int64_t kCatalogueTime = 1729000000;  // when the catalogue was defined

wire::Voice ToWire(const SystemVoice& v) {
  wire::Voice w;
  w.voice_id = std::string(v.voice_id);
  w.name = std::string(v.name);
  w.language_code = std::string(v.language_code);
  w.language_name = std::string(v.language_name);
  w.preview_text = std::string(v.preview_text);
  w.is_system_voice = true;
  w.create_time = w.update_time = kCatalogueTime;
  return w;
}

// A boolean query parameter ("true"/"false", any case, or 1/0); `def` when absent.
Result<bool> QueryBool(const http::Request& req, std::string_view key, bool def) {
  auto v = req.Query(key);
  if (!v || v->empty()) return def;
  if (EqualsIgnoreCase(*v, "true") || *v == "1") return true;
  if (EqualsIgnoreCase(*v, "false") || *v == "0") return false;
  return Error::BadRequest(std::string(key), std::string(key) + " must be true or false");
}

// An optional query parameter restricted to `allowed`.
Status QueryOneOf(const http::Request& req, std::string_view key,
                  std::initializer_list<std::string_view> allowed) {
  auto v = req.Query(key);
  if (!v || v->empty()) return {};
  for (auto a : allowed) {
    if (*v == a) return {};
  }
  return Error::BadRequest(std::string(key), std::string(key) + " has an unsupported value");
}

http::Response ListVoices(Call& c) {
  auto filter_system = QueryBool(c.req, "filter_system_voice", false);
  if (!filter_system) return c.Fail(filter_system.error());
  if (auto s = QueryOneOf(c.req, "model_type", {"big", "small"}); !s) return c.Fail(s.error());
  if (auto s = QueryOneOf(c.req, "voice_state", {"init", "cloned", "all"}); !s) {
    return c.Fail(s.error());
  }
  auto page_num = QueryInt(c.req, "page_num", 1, 1, 100000);
  if (!page_num) return c.Fail(page_num.error());
  auto page_size = QueryInt(c.req, "page_size", 100, 1, 100);
  if (!page_size) return c.Fail(page_size.error());
  const bool none = filter_system.value() || c.req.Query("voice_state") == "init";
  const size_t total = none ? 0 : kSystemVoices.size();
  const size_t begin = static_cast<size_t>(page_num.value() - 1) * page_size.value();
  const size_t end = std::min(total, begin + page_size.value());
  json::array voices;
  for (size_t i = begin; i < end; ++i) voices.push_back(json::value_from(ToWire(kSystemVoices[i])));
  return c.Ok(json::object{{"voice_list", std::move(voices)}, {"has_more", end < total}});
}

}  // namespace

void RegisterAudioRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::get, "/v1/audio/voices", "listVoice", ListVoices);
}

}  // namespace cozeauth::api
