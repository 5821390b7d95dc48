// The JWT-bearer assertion check (src/oauth/jwt_bearer.hpp) against an in-memory store holding
// one app with one RSA key. The first input byte chooses the mode:
//   even: the rest is the assertion as sent — splitting, base64url, JSON, alg, kid, signature;
//   odd:  the rest is "<header JSON>\n<payload JSON>", which the harness signs with the app's
//         key, so that the claim checks after the signature (iss, aud, exp/iat arithmetic, jti
//         reuse) see arbitrary claims. {{KID}} and {{ISS}} in it become the key id and app id.
// Properties: an accepted assertion names the app and its key, is within the time bounds the
// header promises (0 ≤ iat < exp ≤ kMaxNumericDate, exp − iat ≤ the lifetime cap, exp > now −
// skew, iat ≤ now + skew), and is refused when presented again.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "base/crypto.hpp"
#include "credentials/oauth_app.hpp"
#include "fuzz_support.hpp"
#include "oauth/jwt_bearer.hpp"
#include "oauth/keys.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {
using namespace cozeauth;

constexpr int64_t kNow = 1'750'000'000;
const char* const kAppId = "7000000000000000001";

struct World {
  std::unique_ptr<store::Store> store = std::move(store::sqlite::Open(":memory:").value());
  std::shared_ptr<EVP_PKEY> key{EVP_RSA_gen(2048), EVP_PKEY_free};
  std::string kid;
  std::vector<std::string> aud = {"api.example.test:8080", "api.example.test"};

  World() {
    FUZZ_CHECK(store->CreateUser({"1001", "Ann", "ann@x.test", "h", 1}).has_value());
    FUZZ_CHECK(
        store->CreateAccount({"1001", domain::AccountKind::kPersonal, "Ann", "1001", "", false, 1})
            .has_value());
    credentials::OAuthApp app;
    app.id = app.client_id = kAppId;
    app.owner_account_id = app.owner_user_id = "1001";
    app.name = "fuzz";
    FUZZ_CHECK(store->CreateOAuthApp(app).has_value());
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key.get());
    char* pem = nullptr;
    const long len = BIO_get_mem_data(bio, &pem);
    auto parsed = oauth::ParsePublicKeyPem(std::string_view(pem, static_cast<size_t>(len)));
    BIO_free(bio);
    FUZZ_CHECK(parsed.has_value());
    kid = parsed->fingerprint;
    FUZZ_CHECK(store->AddAppPublicKey({kid, kAppId, parsed->spki_pem, 1}).has_value());
  }

  std::string Sign(const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(input.data());
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size());
    sig.resize(len);
    return sig;
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  if (size == 0) return 0;
  const std::string_view rest = fuzz::AsView(data + 1, size - 1);
  std::string jwt;
  if (data[0] % 2 == 0) {
    jwt = std::string(rest);
  } else {
    std::string text =
        fuzz::Substitute(fuzz::Substitute(std::string(rest), "KID", world.kid), "ISS", kAppId);
    const size_t nl = text.find('\n');
    if (nl == std::string::npos) return 0;
    const std::string input =
        Base64UrlEncode(text.substr(0, nl)) + "." + Base64UrlEncode(text.substr(nl + 1));
    jwt = input + "." + Base64UrlEncode(world.Sign(input));
  }
  auto claims = oauth::VerifyJwtBearer(*world.store, jwt, world.aud, kNow);
  if (!claims) return 0;
  FUZZ_CHECK(claims->app_id == kAppId);
  FUZZ_CHECK(claims->kid == world.kid);
  FUZZ_CHECK(!claims->jti.empty());
  FUZZ_CHECK(claims->exp > kNow - oauth::kJwtSkewSeconds);
  FUZZ_CHECK(claims->iat <= kNow + oauth::kJwtSkewSeconds);
  FUZZ_CHECK(claims->iat >= 0 && claims->iat < claims->exp &&
             claims->exp <= oauth::kMaxNumericDate);
  FUZZ_CHECK(claims->exp - claims->iat <= oauth::kJwtDefaultMaxLifetimeSeconds);
  // Single use: the same assertion again is refused.
  FUZZ_CHECK(!oauth::VerifyJwtBearer(*world.store, jwt, world.aud, kNow).has_value());
  return 0;
}
