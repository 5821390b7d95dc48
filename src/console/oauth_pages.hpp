#pragma once
// The browser side of OAuth (coze-protocol.md §4.1, §4.5; coze-platform.md §5.3), served on the
// API origin:
//   GET  /sign?redirect=PATH                 login page; POST /sign logs in and goes to PATH
//   GET  /api/permission/oauth2/authorize    (and /workspace_id/{id}/authorize) → consent page
//   POST /api/permission/oauth2/authorize_consent   allow/deny → 302 to the app (form), or
//        {code:0, data:{redirect_uri}} for a JSON body (Coze's console shape)
//   GET  /device?user_code=…                 device verification page; POST /device looks the
//        code up and shows the consent; POST /api/permission/oauth2/device/verification decides
//   GET  /open/oauth/share?appid=…             share link: authorize the app into the user's
//        personal account (its owner) or an enterprise they administer; POST performs it
// An unknown client or an unregistered redirect URI gets an error page, never a redirect.
// State-changing posts need the session cookie and its CSRF token (form field `csrf_token` or
// the X-CSRF-Token header).

#include "api/deps.hpp"
#include "http/router.hpp"

namespace cozeauth::console {

void RegisterOAuthPages(http::Router& router, api::Deps& deps);

}  // namespace cozeauth::console
