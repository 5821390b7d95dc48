#pragma once
// Pieces shared by the OBO grants (obo.cpp: authorization code, refresh) and the device flow
// (obo_device.cpp). Private to `oauth`; the contracts are those of obo.hpp's public calls.

#include <string>

#include "oauth/obo.hpp"

namespace cozeauth::oauth::internal {

// Only code, PKCE and device apps act on behalf of a user; service apps use the JWT grant.
bool IsOboClient(credentials::ClientType t);

// The app named by client_id, usable for OBO flows: unknown or deleted → invalid_client,
// disabled → access_deny (coze-protocol.md §4.8 "is currently deactivated by the owner"),
// a service app → access_deny "invalid app type".
Result<credentials::OAuthApp> UsableOboApp(Env& env, const std::string& client_id);

// A live grant or invalid_grant.
Result<credentials::OboGrant> LiveGrant(Env& env, const std::string& grant_id);

// A czu_ access token and a rotating refresh token for the grant, both stored as digests, in
// one transaction. `parent_hash` is the refresh token this pair replaces ("" for the first).
// access_deny, issuing nothing, while the enterprise installation the grant depends on is
// disabled.
Result<OboTokens> Issue(Env& env, const credentials::OAuthApp& app, const credentials::OboGrant& g,
                        const std::string& parent_hash = "");

}  // namespace cozeauth::oauth::internal
