// SqlStore::IssueJwtToken: the JWT-bearer grant's jti and token in one write, group-committed
// (group_commit.hpp) when several workers issue at once. With synchronous=NORMAL in WAL mode a
// commit is a write() of the transaction's pages to the WAL, and the pages a grant touches are
// mostly shared by its neighbours (the ends of the tokens' id, account and authorization indexes,
// the meta row): one commit for a batch writes each of them once, and checkpoints (which fsync)
// come that many times less often.
#include "base/blocking.hpp"
#include "store/sql/sql_store.hpp"

namespace cozeauth::store::sql {
namespace {

// A live row (expires_at > now) stays; an expired one is taken over. changes() == 0 then means
// the jti is in use.
constexpr char kUpsertJwtId[] =
    "INSERT INTO used_jwt_ids (app_id, jti, expires_at) VALUES (?, ?, ?) "
    "ON CONFLICT (app_id, jti) DO UPDATE SET expires_at = excluded.expires_at "
    "WHERE used_jwt_ids.expires_at <= ?";

// The two item kinds hold their fields by pointer (the waiting caller's) or by value.
template <typename T>
const T& Deref(const T* p) {
  return *p;
}
template <typename T>
const T& Deref(const T& v) {
  return v;
}

Error JwtIdUsed() { return Error::Make(Errc::kAlreadyExists, "use jwt id: already used"); }

}  // namespace

Result<bool> SqlStore::UseJwtId(Connection& c, const JwtIdUse& jti) {
  auto st = c.Prepare(kUpsertJwtId, "use jwt id");
  if (!st) return st.error();
  if (Status s = st->Bind(jti.app_id).Bind(jti.jti).Bind(jti.expires_at).Bind(jti.now).Run(); !s) {
    return s.error();
  }
  return st->Changes() != 0;
}

Status SqlStore::InsertIssued(Connection& c, const JwtIdUse& jti, const credentials::Token& t) {
  auto fresh = UseJwtId(c, jti);
  if (!fresh) return fresh.error();
  if (!*fresh) return JwtIdUsed();
  return InsertToken(c, t);
}

template <typename ItemPtr>
void SqlStore::RunIssueBatch(std::span<const ItemPtr> items, std::span<Status> outcomes) {
  // First in one go: each call's two statements, with no savepoint of its own. A jti already in
  // use changed nothing (its upsert wrote no row), so that call alone fails and the others go
  // on. Any other failure (a token row refused, an I/O error) rolls the whole batch back, and
  // it runs again below, each call a savepoint (Write() inside Transaction()), so that a failed
  // call leaves the others' rows in place. A savepoint copies every page the call touches into
  // its sub-journal first: some six pages a grant, which the first pass does without.
  bool retry = false;
  Status committed = Transaction([&]() -> Status {
    for (size_t i = 0; i < items.size(); ++i) {
      const auto& item = *items[i];
      auto fresh = UseJwtId(*writer_, Deref(item.jti));
      if (!fresh) {
        retry = true;
        return fresh.error();
      }
      if (!*fresh) {
        outcomes[i] = JwtIdUsed();
        continue;
      }
      if (Status s = InsertToken(*writer_, Deref(item.token)); !s) {
        retry = true;
        return s;
      }
      outcomes[i] = {};
    }
    return {};
  });
  if (retry) {
    committed = Transaction([&]() -> Status {
      for (size_t i = 0; i < items.size(); ++i) {
        const auto& item = *items[i];
        outcomes[i] = Write(Epoch::kKeep, [&](Connection& c) {
          return InsertIssued(c, Deref(item.jti), Deref(item.token));
        });
      }
      return {};
    });
  }
  if (!committed) {
    // Nothing of the batch was committed: every call fails, whatever its statements said.
    for (Status& outcome : outcomes) outcome = committed.error();
  }
}

Status SqlStore::IssueJwtToken(const JwtIdUse& jti, const credentials::Token& token) {
  // Before queueing: a follower waits for its leader's commit, which is blocking too.
  MayBlockOrThrow();
  const IssueItem mine{&jti, &token};
  if (InTransaction()) {
    // Write() keeps the call atomic: inside a Transaction() as a savepoint of its own.
    return Write(Epoch::kKeep, [&](Connection& c) { return InsertIssued(c, jti, token); });
  }
  return issue_queue_.Submit(
      mine, [&](std::span<const IssueItem* const> items, std::span<Status> outcomes) {
        RunIssueBatch(items, outcomes);
      });
}

void SqlStore::IssueJwtTokenAsync(JwtIdUse jti, credentials::Token token,
                                  std::function<void(Status)> done) {
  // Queueing does not block (one short lock): an I/O thread may call this.
  if (InTransaction()) {
    done(Write(Epoch::kKeep, [&](Connection& c) { return InsertIssued(c, jti, token); }));
    return;
  }
  issue_committer_.Submit(OwnedIssueItem{std::move(jti), std::move(token)}, std::move(done));
}

// The two group commits' item kinds (the header's AsyncGroupCommit calls the second).
template void SqlStore::RunIssueBatch(std::span<const IssueItem* const>, std::span<Status>);
template void SqlStore::RunIssueBatch(std::span<const OwnedIssueItem* const>, std::span<Status>);

}  // namespace cozeauth::store::sql
