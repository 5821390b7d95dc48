#pragma once
// The one check of a web app's client secret (coze-platform.md §5.2), used by the token
// endpoint (oauth/obo.cpp: `Authorization: Bearer <secret>`) and by `cozeauth admin app
// export-config --secret` (cli/admin_app_export.cpp). A secret is stored only as the lower-case
// hex SHA-256 of its plaintext; a deleted secret is no longer listed by the store, so it matches
// nothing from the moment it is deleted. An app may have several live secrets at once (rotation).
//
// The digest of the presented text is compared with every live secret of the app in constant
// time (CRYPTO_memcmp) and without stopping at the first match, so the answer's timing does not
// say which secret, or how much of one, matched. The function decides nothing about the app
// itself (deleted, disabled, client type): callers check the app first.
// Synchronous; thread-safe as far as the store is.

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/oauth_store.hpp"

namespace cozeauth::oauth {

// True when `presented` is the plaintext of a live client secret of app `app_id`; false for an
// empty text, another app's secret, a deleted one, or an app without secrets. Errors are the
// store's only.
Result<bool> IsLiveClientSecret(store::OAuthStore& store, const std::string& app_id,
                                std::string_view presented);

}  // namespace cozeauth::oauth
