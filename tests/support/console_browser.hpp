#pragma once
// A signed-in browser for the console side of the server: the session cookie and CSRF token of
// an email + password login, and the OAuth consent it can give (coze-protocol.md §4.1): open
// the authorize URL, post Coze's JSON consent, exchange the code. Throws std::runtime_error
// (quoting the response) when a step fails, so a broken fixture fails loudly.

#include <string>

#include "support/http_client.hpp"
#include "support/scenario.hpp"

namespace cozeauth::it {

struct ConsoleBrowser {
  std::string cookie;  // "cozeauth_session=…"
  std::string csrf;

  Headers Read() const { return {{"Cookie", cookie}}; }
  Headers Write() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

ConsoleBrowser LoginBrowser(const HttpClient& http, const UserInfo& user);

// The value of the first `<input … name="NAME" value="…">` in `html`; "" if absent.
std::string FormValue(const std::string& html, const std::string& name);
// The decoded-as-is value of `key` in a URL's query; "" if absent.
std::string QueryValue(const std::string& url, const std::string& key);

// GET /api/permission/oauth2/authorize for a web/pkce app with `redirect_uri` and state "s1".
std::string AuthorizeTarget(const std::string& client_id, const std::string& redirect_uri);

// Consents (JSON, Coze's console call) to the web app in `place` ("personal" or an enterprise
// id) and returns the redirect the server answered.
HttpResponse ConsentJson(const HttpClient& http, const ConsoleBrowser& browser,
                         const std::string& client_id, const std::string& redirect_uri,
                         const std::string& place);

// The whole authorization-code flow for a web app: consent, then the code exchanged with the
// client secret. Returns the czu_ access token.
std::string ObtainOboToken(const HttpClient& http, const ConsoleBrowser& browser,
                           const AppInfo& app, const std::string& secret,
                           const std::string& redirect_uri, const std::string& place);

}  // namespace cozeauth::it
