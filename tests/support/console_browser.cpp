#include "support/console_browser.hpp"

#include <stdexcept>

#include "support/openapi_expect.hpp"

namespace cozeauth::it {

ConsoleBrowser LoginBrowser(const HttpClient& http, const UserInfo& user) {
  auto res = http.PostJson("/api/passport/web/email/login/",
                           {{"email", user.email}, {"password", user.password}});
  if (!IsOk(res)) throw std::runtime_error("login failed: " + res.Describe());
  ConsoleBrowser b;
  for (const auto& [k, v] : res.headers) {
    if ((k == "Set-Cookie" || k == "set-cookie") && v.rfind("cozeauth_session=", 0) == 0) {
      b.cookie = v.substr(0, v.find(';'));
    }
  }
  b.csrf = Str(OkBody(res), "data.csrf_token");
  return b;
}

std::string FormValue(const std::string& html, const std::string& name) {
  const std::string needle = "name=\"" + name + "\" value=\"";
  const size_t at = html.find(needle);
  if (at == std::string::npos) return {};
  const size_t start = at + needle.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string QueryValue(const std::string& url, const std::string& key) {
  for (size_t at = url.find_first_of("?&"); at != std::string::npos; at = url.find('&', at + 1)) {
    if (url.compare(at + 1, key.size() + 1, key + "=") == 0) {
      const size_t start = at + key.size() + 2;
      const size_t end = url.find('&', start);
      return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
  }
  return {};
}

std::string AuthorizeTarget(const std::string& client_id, const std::string& redirect_uri) {
  std::string encoded;
  for (char c : redirect_uri) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') {
      encoded += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      encoded += buf;
    }
  }
  return "/api/permission/oauth2/authorize?response_type=code&client_id=" + client_id +
         "&redirect_uri=" + encoded + "&state=s1";
}

HttpResponse ConsentJson(const HttpClient& http, const ConsoleBrowser& browser,
                         const std::string& client_id, const std::string& redirect_uri,
                         const std::string& place) {
  auto page = http.Get(AuthorizeTarget(client_id, redirect_uri), browser.Read());
  if (page.status != 200) throw std::runtime_error("consent page: " + page.Describe());
  return http.PostJson("/api/permission/oauth2/authorize_consent",
                       {{"authorize_key", FormValue(page.body, "authorize_key")},
                        {"consent", true},
                        {"place", place}},
                       browser.Write());
}

std::string ObtainOboToken(const HttpClient& http, const ConsoleBrowser& browser,
                           const AppInfo& app, const std::string& secret,
                           const std::string& redirect_uri, const std::string& place) {
  auto consent = ConsentJson(http, browser, app.client_id, redirect_uri, place);
  const std::string location = Str(OkBody(consent), "data.redirect_uri");
  const std::string code = QueryValue(location, "code");
  if (code.empty()) throw std::runtime_error("consent gave no code: " + location);
  auto res = http.PostJson("/api/permission/oauth2/token",
                           {{"grant_type", "authorization_code"},
                            {"client_id", app.client_id},
                            {"redirect_uri", redirect_uri},
                            {"code", code}},
                           Bearer(secret));
  if (res.status != 200) throw std::runtime_error("code exchange: " + res.Describe());
  return std::string(res.Json().at("access_token").as_string());
}

}  // namespace cozeauth::it
