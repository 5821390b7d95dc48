// Migration cost against workspace size (issue 4): a workspace holding 10 bots and 10
// conversations and one holding 100,000 of each are migrated into an enterprise organization on
// a real SQLite file; the two times must be within 2x (the migration moves ownership, it copies
// nothing). Each size is measured on several workspaces and the median is reported.
//
//   ./build/release/bench/migration_bench [--big 100000] [--small 10] [--repeat 3] [--db URL]
//
// --db runs it on another store (e.g. an empty PostgreSQL database, postgresql://…; the URL's
// password is never printed); the default is a fresh SQLite file in a temporary directory.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "admin/operations.hpp"
#include "api/migration_json.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "migration/migration.hpp"
#include "store/store.hpp"

namespace {

using namespace cozeauth;

[[noreturn]] void Die(const std::string& what, const Error& e) {
  std::fprintf(stderr, "migration_bench: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r) Die(what, r.error());
  return std::move(r).value();
}

// A personal workspace of `owner` with n published bots and n conversations (one per bot),
// written in one transaction.
std::string Populate(admin::Env& env, const domain::User& owner, int n) {
  auto ws = Must(admin::CreateWorkspace(env, owner.id, owner.id, "W" + std::to_string(n)),
                 "create workspace");
  const int64_t now = env.clock.NowSeconds();
  Status s = env.store.Transaction([&]() -> Status {
    for (int i = 0; i < n; ++i) {
      domain::Bot b;
      b.id = env.ids.Next();
      b.workspace_id = ws.id;
      b.name = "bot " + std::to_string(i);
      b.owner_user_id = owner.id;
      b.is_published = true;
      b.connector_ids = {"1024"};
      b.created_at = b.updated_at = now;
      if (auto st = env.store.CreateBot(b); !st) return st;
      domain::Conversation c;
      c.id = env.ids.Next();
      c.owner_account_id = owner.id;
      c.bot_id = b.id;
      c.creator_id = owner.id;
      c.created_at = c.updated_at = now;
      if (auto st = env.store.CreateConversation(c); !st) return st;
    }
    return {};
  });
  if (!s) Die("populate", s.error());
  return ws.id;
}

double MigrateMillis(admin::Env& env, const std::string& ws, const std::string& org,
                     const std::string& actor) {
  const auto start = std::chrono::steady_clock::now();
  Must(migration::Migrate(env, {ws, org, domain::MigrationMode::kCut, actor}, api::PlanRecord),
       "migrate");
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int big = 100000, small = 10, repeat = 5;
  std::string db;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--db") db = argv[i + 1];
    if (flag == "--big")
      big = value;
    else if (flag == "--small")
      small = value;
    else if (flag == "--repeat")
      repeat = value;
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cozeauth-migration-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  if (db.empty()) db = "sqlite:" + (dir / "bench.db").string();
  std::printf("store: %s\n", store::RedactedUrl(db).c_str());
  auto store = Must(store::OpenStore(db), "open store");
  Clock& clock = SystemClock::Instance();
  SecureRandom& random = OsRandom::Instance();
  IdGenerator ids(clock, random);
  admin::Env env{*store, clock, random, ids};

  auto owner =
      Must(admin::CreateUser(env, "owner", "owner@bench.test", "Bench-passw0rd"), "create user");
  auto ent = Must(admin::CreateEnterprise(env, "Bench", owner.id, domain::Edition::kTeam),
                  "create enterprise");
  // A personal PAT reaching every workspace: the plan has a credential row to work out.
  admin::TokenSpec pat;
  pat.kind = credentials::TokenKind::kPat;
  pat.user_id = owner.id;
  pat.name = "personal";
  pat.days = 30;
  pat.workspace_permissions = {"chat", "getMetadata"};
  pat.all_workspaces = true;
  Must(admin::CreateToken(env, pat), "create pat");

  // Populate everything first, then migrate alternately: the WAL checkpoint that follows a big
  // insert then lands in the warm-up, not in whichever migration happens to commit next.
  std::vector<std::string> smalls, bigs;
  for (int r = 0; r < repeat; ++r) {
    smalls.push_back(Populate(env, owner, small));
    bigs.push_back(Populate(env, owner, big));
  }
  MigrateMillis(env, Populate(env, owner, small), ent.default_org.id, owner.id);  // warm-up
  std::vector<double> small_ms, big_ms;
  for (int r = 0; r < repeat; ++r) {
    small_ms.push_back(MigrateMillis(env, smalls[r], ent.default_org.id, owner.id));
    big_ms.push_back(MigrateMillis(env, bigs[r], ent.default_org.id, owner.id));
  }
  const double s = Median(small_ms), b = Median(big_ms);
  std::printf("migrate a workspace with %d bots + %d conversations: %.3f ms (median of %d)\n",
              small, small, s, repeat);
  std::printf("migrate a workspace with %d bots + %d conversations: %.3f ms (median of %d)\n", big,
              big, b, repeat);
  std::printf("ratio big/small: %.2f (target: within 2x)\n", b / s);
  store.reset();
  std::filesystem::remove_all(dir);
  return b / s <= 2.0 ? 0 : 2;
}
