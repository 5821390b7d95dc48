#pragma once
// RehearsalStore: migration rehearsals (domain/rehearsal.hpp) and the shadow-decision counts the
// servers flush per (rehearsal, credential, real code, shadow code).
//
// Bumps the auth epoch (unit_of_work.hpp): CreateRehearsal, StopRehearsal — so that a rehearsal
// started or stopped by the CLI reaches every running server at its next epoch poll, like any
// write that changes what the hot path does. AddRehearsalCounts does not: it records decisions,
// never changes one.
//
// Thread safety and errors: as UnitOfWork (unit_of_work.hpp); calls join the backend's
// Transaction() on the same thread.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "domain/rehearsal.hpp"

namespace cozeauth::store {

class RehearsalStore {
 public:
  virtual ~RehearsalStore() = default;

  // kAlreadyExists for a duplicate id. Bumps the auth epoch.
  virtual Status CreateRehearsal(const domain::Rehearsal& r) = 0;
  virtual Result<domain::Rehearsal> GetRehearsal(const std::string& id) = 0;
  // Newest first; workspace_id "" = every workspace.
  virtual Result<std::vector<domain::Rehearsal>> ListRehearsals(
      const std::string& workspace_id) = 0;
  // Rehearsals not stopped whose ends_at is after `now`, oldest first: what the hot path loads.
  virtual Result<std::vector<domain::Rehearsal>> ListLiveRehearsals(int64_t now) = 0;
  // Sets stopped_at (the first stop wins; stopping again changes nothing). kNotFound for an
  // unknown id. Bumps the auth epoch.
  virtual Status StopRehearsal(const std::string& id, int64_t at) = 0;

  // One transaction for the batch; counts are added to the stored ones of the same
  // (rehearsal_id, token_id, real_code, shadow_code). Rows with count <= 0 are skipped.
  virtual Status AddRehearsalCounts(const std::vector<domain::RehearsalCount>& counts) = 0;
  // Every count of the rehearsal, ordered by token id, real code, shadow code.
  virtual Result<std::vector<domain::RehearsalCount>> ListRehearsalCounts(
      const std::string& rehearsal_id) = 0;
};

}  // namespace cozeauth::store
