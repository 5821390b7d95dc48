// Micro-benchmarks of token issuance (issue 10, target 2), below HTTP: the JWT-bearer grant
// (oauth::ExchangeJwtBearer: verify an RS256 assertion, read the app and its authorization, write
// the jti and the token) and the refresh grant (oauth::RefreshTokens: rotate a PKCE app's
// refresh token), on a SQLite file in WAL mode as `cozeauth serve` uses it, so every grant is
// durable. ->Threads(n) issues from n threads at once: concurrent JWT grants share commits
// (store.hpp IssueJwtToken); the counters say how many grants a commit held on average.
//   build/release/bench/issuance_bench [--benchmark_filter=Jwt]
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "admin/oauth_apps.hpp"
#include "admin/operations.hpp"
#include "base/crypto.hpp"
#include "oauth/jwt_grant.hpp"
#include "oauth/obo.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace cozeauth {
namespace {

constexpr int kGrantsPerThread = 2000;  // JWT iterations per thread (assertions are pre-signed)
constexpr char kAud[] = "api.bench.test";

std::string Sign(EVP_PKEY* key, const std::string& input) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  sig.resize(len);
  return sig;
}

// A store file with a user, a service app with a key authorized in the user's account, and a
// PKCE app, shared by every benchmark of the process.
struct World {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("issuance_bench_" + std::to_string(getpid()));
  std::unique_ptr<store::sql::SqlStore> store;
  IdGenerator ids{SystemClock::Instance(), OsRandom::Instance()};
  std::unique_ptr<admin::Env> admin;
  std::string user_id, service_id, kid, pkce_client_id;
  std::shared_ptr<EVP_PKEY> key;
  std::atomic<int> next_jti{0};

  World() {
    std::filesystem::remove_all(dir);
    store = std::move(store::sqlite::Open((dir / "bench.db").string()).value());
    admin = std::make_unique<admin::Env>(
        admin::Env{*store, SystemClock::Instance(), OsRandom::Instance(), ids});
    user_id = admin::CreateUser(*admin, "bench", "bench@example.com", "benchpass1").value().id;
    admin::AppSpec service;
    service.owner_account_id = service.owner_user_id = user_id;
    service.name = "bench-service";
    service.account_permissions = {"listWorkspace"};
    service_id = admin::CreateApp(*admin, service).value().id;
    auto generated = admin::GenerateKeyPair(*admin, service_id).value();
    kid = generated.key.fingerprint;
    BIO* bio = BIO_new_mem_buf(generated.private_pem.data(),
                               static_cast<int>(generated.private_pem.size()));
    key.reset(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
    BIO_free(bio);
    admin::AuthorizeSpec authorize;
    authorize.app_id = service_id;
    authorize.actor_user_id = user_id;
    authorize.account_id = user_id;
    admin::AuthorizeApp(*admin, authorize).value();
    admin::AppSpec pkce = service;
    pkce.name = "bench-pkce";
    pkce.client_type = credentials::ClientType::kPkce;
    pkce.redirect_uris = {"http://localhost:8080/cb"};
    pkce_client_id = admin::CreateApp(*admin, pkce).value().client_id;
  }
  ~World() {
    store.reset();
    std::filesystem::remove_all(dir);
  }

  std::string Assertion() {
    const int64_t now = SystemClock::Instance().NowSeconds();
    const std::string header = R"({"alg":"RS256","typ":"JWT","kid":")" + kid + R"("})";
    const std::string payload = R"({"iss":")" + service_id + R"(","aud":")" + kAud + R"(","iat":)" +
                                std::to_string(now) + R"(,"exp":)" + std::to_string(now + 3600) +
                                R"(,"jti":"bench-)" + std::to_string(next_jti.fetch_add(1)) +
                                R"("})";
    const std::string input = Base64UrlEncode(header) + "." + Base64UrlEncode(payload);
    return input + "." + Base64UrlEncode(Sign(key.get(), input));
  }

  oauth::Env Env() {
    return oauth::Env{*store, SystemClock::Instance(), OsRandom::Instance(), ids};
  }
};

World& TheWorld() {
  static World* world = new World();  // shared by every thread and benchmark of the run
  return *world;
}

void BM_JwtGrant(benchmark::State& state) {
  World& w = TheWorld();
  std::vector<std::string> assertions;
  for (int i = 0; i < kGrantsPerThread; ++i) assertions.push_back(w.Assertion());
  oauth::Env env = w.Env();
  oauth::JwtGrantRequest req;
  req.aud_hosts = {kAud};
  const size_t batches0 = w.store->IssueBatches(), calls0 = w.store->IssueBatchedCalls();
  size_t i = 0;
  for (auto _ : state) {
    req.jwt = assertions[i++];
    auto issued = oauth::ExchangeJwtBearer(env, req);
    if (!issued) state.SkipWithError(issued.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const double batches = static_cast<double>(w.store->IssueBatches() - batches0);
    const double calls = static_cast<double>(w.store->IssueBatchedCalls() - calls0);
    state.counters["grants_per_commit"] = batches > 0 ? calls / batches : 0;
  }
}
BENCHMARK(BM_JwtGrant)
    ->Iterations(kGrantsPerThread)
    ->Threads(1)
    ->Threads(2)
    ->Threads(4)
    ->Threads(8)
    ->UseRealTime();

// A PKCE consent, its code exchanged: the first refresh token of a chain that the loop rotates.
std::string FirstRefreshToken(World& w) {
  oauth::Env env = w.Env();
  auto app = w.store->FindOAuthAppByClientId(w.pkce_client_id).value();
  auto grant = oauth::Consent(env, app, w.user_id, "personal", "").value();
  const std::string verifier(64, 'v');
  const Sha256Digest challenge = Sha256(verifier);
  oauth::AuthorizeParams p{"code",
                           app.client_id,
                           "http://localhost:8080/cb",
                           "st",
                           Base64UrlEncode(std::string_view(
                               reinterpret_cast<const char*>(challenge.data()), challenge.size())),
                           "S256",
                           ""};
  oauth::TokenRequest code;
  code.grant_type = "authorization_code";
  code.client_id = app.client_id;
  code.code = oauth::IssueAuthorizationCode(env, grant, p).value();
  code.redirect_uri = p.redirect_uri;
  code.code_verifier = verifier;
  return oauth::ExchangeAuthorizationCode(env, code).value().refresh_token;
}

void BM_RefreshGrant(benchmark::State& state) {
  World& w = TheWorld();
  oauth::Env env = w.Env();
  oauth::TokenRequest req;
  req.grant_type = "refresh_token";
  req.client_id = w.pkce_client_id;
  req.refresh_token = FirstRefreshToken(w);
  for (auto _ : state) {
    auto issued = oauth::RefreshTokens(env, req);
    if (!issued) {
      state.SkipWithError(issued.error().message.c_str());
      break;
    }
    req.refresh_token = std::move(issued->refresh_token);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RefreshGrant)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace cozeauth

BENCHMARK_MAIN();
