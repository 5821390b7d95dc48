#include "api/openapi_route.hpp"

#include <chrono>
#include <stdexcept>

#include "observe/metrics.hpp"
#include "policy/catalogue.hpp"

namespace cozeauth::api {
namespace {

http::Response Denied(const http::Request& req, const policy::Decision& d) {
  // The reason is safe to show (it never contains a secret) and helps the 4100/4101
  // troubleshooting the Coze docs describe.
  std::string msg(DefaultMessage(d.code));
  if (!d.reason.empty() && d.code != Errc::kPermissionDenied) msg += ": " + d.reason;
  if (d.code == Errc::kPermissionDenied && !d.reason.empty()) msg += " (" + d.reason + ")";
  return Fail(req, Error::Make(d.code, msg));
}

// The shadow decision reads the request's cached facts, as the real one does.
class CallFacts final : public ShadowFacts {
 public:
  explicit CallFacts(const Call& call) : call_(call) {}
  policy::WorkspaceTarget Today(const std::string& workspace_id) override {
    return call_.WorkspaceTarget(workspace_id);
  }
  std::optional<domain::OrgRole> OrgRole(const std::string& org_account_id,
                                         const std::string& user_id) override {
    return call_.deps.auth.OrgRole(org_account_id, user_id);
  }

 private:
  const Call& call_;
};

}  // namespace

std::optional<http::Response> Call::Authorize(const policy::Target& target, Errc not_found) const {
  policy::Decision d = policy::Decide(principal, req.permission, target, not_found);
  if (shadow != nullptr && shadow->live) {
    if (const auto* w = std::get_if<policy::WorkspaceTarget>(&target)) {
      CallFacts facts(*this);
      deps.auth.Rehearsals().Shadow(*shadow, principal, req.permission, *w, not_found, d.allowed(),
                                    facts);
    }
  }
  if (d.allowed()) return std::nullopt;
  return Denied(req, d);
}

std::optional<http::Response> Call::Reach(const policy::Target& target, Errc not_found) const {
  return Authorize(target, not_found);
}

policy::WorkspaceTarget Call::WorkspaceTarget(const std::string& workspace_id) const {
  policy::WorkspaceTarget t;
  WorkspaceFacts f = deps.auth.Workspace(workspace_id);
  t.exists = f.exists;
  t.workspace_id = workspace_id;
  if (!f.exists) return t;
  t.owner_account_id = f.owner_account_id;
  t.owner_enterprise_id = f.owner_enterprise_id;
  t.legacy_account_id = f.legacy_account_id;
  if (principal.user_bound()) {
    t.user_workspace_role = deps.auth.WorkspaceRole(workspace_id, principal.user_id);
    if (!f.owner_enterprise_id.empty()) {
      t.user_org_role = deps.auth.OrgRole(f.owner_account_id, principal.user_id);
    }
  }
  return t;
}

policy::AccountTarget Call::AccountTarget(bool exists, const std::string& owner_account_id,
                                          const std::string& session_name) const {
  policy::AccountTarget t;
  t.exists = exists;
  if (!exists) return t;
  t.owner_account_id = owner_account_id;
  t.owner_enterprise_id = deps.auth.EnterpriseOfAccount(owner_account_id);
  t.session_name = session_name;
  return t;
}

void AddOpenApi(http::Router& router, Deps& deps, http::Verb method, std::string pattern,
                std::string permission, OpenApiHandler handler, OpenApiOptions options) {
  // A point the catalogue does not know would deny every call with 4101; it is a bug in the
  // route table, so start-up fails, as it does for a duplicate route.
  if (!permission.empty() && policy::FindPoint(permission) == nullptr) {
    throw std::logic_error("route " + pattern + " declares unknown permission point '" +
                           permission + "'");
  }
  router.Add(method, std::move(pattern),
             {.permission = permission, .try_inline = options.cached_read},
             [&deps, handler = std::move(handler)](http::Request& req) {
               // A latency measurement, not a time of day: the monotonic clock at
               // nanosecond resolution (Clock::MonotonicMillis is too coarse for a cache hit).
               const auto start = std::chrono::steady_clock::now();
               const Verified verified = deps.auth.Authenticate(req.Header("authorization"));
               const policy::Principal& principal = *verified;
               policy::Decision d = policy::CheckCredential(principal, req.permission);
               ShadowNote shadow;  // filled only while a migration rehearsal is live
               deps.auth.Rehearsals().Begin(shadow);
               observe::Metrics().ObserveDecision(std::chrono::steady_clock::now() - start);
               Call call{req, principal, verified.token_id.view(), deps, &shadow};
               http::Response res = d.allowed() ? handler(call) : Denied(req, d);
               if (shadow.live) {
                 CallFacts facts(call);
                 deps.auth.Rehearsals().Finish(shadow, principal, verified.token_id.view(),
                                               res.log_code, facts);
               }
               if (principal.state != policy::CredentialState::kMissing &&
                   principal.state != policy::CredentialState::kUnknown) {
                 res.log_credential = std::string(credentials::ToString(principal.kind));
                 // Attributes 4100s to revoked tokens too.
                 res.log_token_id = verified.token_id.view();
               }
               return res;
             });
}

}  // namespace cozeauth::api
