#pragma once
// CopyStore: `cozeauth store copy` (docs/cli.md), moving an installation from one store to
// another in any direction (sqlite → postgresql, postgresql → sqlite, sqlite → sqlite). The SQL is
// store/sql/copy.cpp; this header is what the CLI sees.
//
// What it does:
//   - Opens both stores as OpenStore does, which applies pending schema versions to each (the
//     source too, as `serve` would). Refuses (kBadRequest, nothing copied) a store whose schema
//     version is not this binary's latest, and a target that holds any row in any table other
//     than `meta` and `schema_version`.
//   - Copies every table of the schema (a fixed list in foreign-key order, store/sql/copy.cpp,
//     checked against the tables both databases actually have: a table missing from the list
//     stops the copy) except schema_version, which the target's own schema wrote. The ordering
//     columns are kept (messages.seq, and the rowid of refresh_tokens and audit_events: SQLite's
//     implicit rowid, PostgreSQL's identity column `rowid`), so "newest first" lists keep their
//     order; on PostgreSQL the identity sequences are then set past the copied maximum.
//   - `meta` (the auth and bot epochs): each target value becomes max(source, target) + 1, so
//     that nodes already running on the target drop what they cached.
//   - All of it runs in ONE write transaction on the target (and one read snapshot of the
//     source): a copy that fails or is killed halfway leaves the target as empty as it was, and
//     running it again completes it. That is what makes the command safe to re-run.
//   - Then counts the rows of every table on each side and computes a checksum per table on
//     each side independently (see TableCheck), and reports them; the copy "matches" when every
//     count and checksum agrees.
//
// Never names a URL except through RedactedUrl().

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace cozeauth::store {

// One table after the copy. The checksum is the hex SHA-256 of the sum (mod 2^256) of each row's
// SHA-256 over its column values rendered as text (NULL distinct from any text), ordering columns
// included: independent of the order the database returns rows in, which differs between SQLite
// (binary) and PostgreSQL (the database's collation). For `meta`, whose values the copy raises on
// purpose, the checksum covers the keys only, and `matches` also requires every target value to
// exceed the source's.
struct TableCheck {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  std::string source_checksum;
  std::string target_checksum;
  bool matches = false;
};

struct CopyReport {
  std::string from;  // RedactedUrl of the source
  std::string to;    // RedactedUrl of the target
  std::vector<TableCheck> tables;
  bool matches = false;  // every table matches
};

// Copies the store at `from_url` into the (empty) store at `to_url` (URLs as OpenStore takes
// them). An error means nothing was committed to the target (or, for an error after the commit,
// that the check could not be run). A completed copy whose check failed returns a report with
// matches == false.
Result<CopyReport> CopyStore(const std::string& from_url, const std::string& to_url);

}  // namespace cozeauth::store
