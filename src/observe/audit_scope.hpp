#pragma once
// Which enterprises an audit event (store::AuditEvent) belongs to, for the console's audit log
// of an enterprise (GET /api/permission_api/observe/audit?enterprise_id=…): an enterprise's
// administrators read the events that touch it and nothing else.
//
// An event touches enterprise E when its detail or its target names E or an organization of E:
//   detail.enterprise_id;
//   detail.account_id / owner_account_id / to_account_id / from_account_id — an organization
//     account of E (a personal account belongs to no enterprise);
//   detail.workspace_id — a workspace owned today by an organization of E;
//   the target itself when the detail names none of these: a token (its context), an app (its
//     owner account), an authorization (its enterprise or account), a rehearsal (its target).
// Ownership is read as it is now: an event naming a workspace by workspace_id (workflow and app
// project events) follows the workspace, so after a workspace moves into E its earlier workflow
// events show in E's log too; token and app events name their account and stay where they were.
// The migration event names E through to_account_id.
//
// Synchronous (store reads, cached per resolver); not thread-safe: one per request.

#include <map>
#include <set>
#include <string>

#include "store/store.hpp"

namespace cozeauth::observe {

class AuditScope {
 public:
  explicit AuditScope(store::Store& store) : store_(store) {}

  // The enterprise ids `event` touches (usually none or one).
  std::set<std::string> EnterprisesOf(const store::AuditEvent& event);
  bool Touches(const store::AuditEvent& event, const std::string& enterprise_id) {
    return EnterprisesOf(event).count(enterprise_id) != 0;
  }

 private:
  std::string EnterpriseOfAccount(const std::string& account_id);
  std::string EnterpriseOfWorkspace(const std::string& workspace_id);
  void FromTarget(const store::AuditEvent& event, std::set<std::string>& out);

  store::Store& store_;
  std::map<std::string, std::string> accounts_;    // account id → enterprise id ("" = none)
  std::map<std::string, std::string> workspaces_;  // workspace id → enterprise id
};

}  // namespace cozeauth::observe
