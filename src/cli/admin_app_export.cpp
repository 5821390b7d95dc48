// `cozeauth admin app export-config`: the JSON config the official SDKs load for an app
// (coze-py load_oauth_app_from_config, coze-go LoadOAuthAppFromConfig). A web app's --secret
// must be one of its live client secrets (oauth/client_secret.hpp); a service app's key id is
// given, derived from --private-key-file, or its only key. Written to stdout or, mode 0600, to
// --out: the file may hold a secret or a private key.

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "admin/oauth_apps.hpp"
#include "base/strings.hpp"
#include "cli/admin_common.hpp"
#include "cli/admin_print.hpp"
#include "oauth/client_secret.hpp"
#include "oauth/keys.hpp"

namespace cozeauth::cli {
namespace {

using credentials::ClientType;

struct ExportOptions {
  std::string app;
  std::string api_base;
  std::string www_base;
  std::string secret;
  std::string public_key_id;
  std::string private_key_file;
  std::string out;
};

Result<std::string> BaseUrl(const std::string& url, const char* field, const char* flag) {
  std::string u(Trim(url));
  const bool scheme = u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0;
  if (!scheme || u.size() <= u.find("://") + 3 || u.find_first_of(" \t\r\n") != std::string::npos) {
    return Error::BadRequest(field,
                             std::string(flag) + " must be an http(s) URL, not '" + url + "'");
  }
  while (u.size() > 1 && u.back() == '/') u.pop_back();
  return u;
}

// The `kid` of the public half of a PEM private key (unencrypted; never prompts).
Result<std::string> KidOfPrivateKey(const std::string& pem) {
  auto bad = [] {
    return Error::BadRequest("private_key",
                             "--private-key-file is not an unencrypted PEM RSA "
                             "private key");
  };
  std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!in) return bad();
  auto no_passphrase = [](char*, int, int, void*) -> int { return 0; };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, no_passphrase, nullptr), &EVP_PKEY_free);
  if (!key) return bad();
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (!out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) return bad();
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  auto parsed = oauth::ParsePublicKeyPem(std::string_view(data, static_cast<size_t>(n)));
  if (!parsed) {
    return Error::BadRequest("private_key", "--private-key-file: " + parsed.error().message);
  }
  return parsed->fingerprint;
}

// Writes `text` to `path`, readable by its owner only (it may hold a secret or a private key).
Status WriteConfigFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error::BadRequest("out", "--out: cannot write '" + path + "': " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Error::Make(Errc::kInternal, "--out: writing '" + path + "' failed: " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return Error::Make(Errc::kInternal, "--out: writing '" + path + "' failed");
  }
  return {};
}

// Fills the service-app fields: the key id (given, derived from the private key, or the app's
// only key) and the private key.
Status AddJwtFields(admin::Env& env, const ExportOptions& o, const std::string& private_key,
                    boost::json::object& config) {
  auto keys = env.store.ListAppPublicKeys(o.app);
  if (!keys) return keys.error();
  auto registered = [&](const std::string& kid) {
    return std::any_of(keys->begin(), keys->end(),
                       [&](const credentials::AppPublicKey& k) { return k.fingerprint == kid; });
  };
  std::string kid = o.public_key_id;
  if (!kid.empty() && !registered(kid)) {
    return Error::BadRequest("public_key_id",
                             "--public-key-id " + kid + " is not a public key of app " + o.app);
  }
  if (!private_key.empty()) {
    auto derived = KidOfPrivateKey(private_key);
    if (!derived) return derived.error();
    if (!kid.empty() && *derived != kid) {
      return Error::BadRequest("private_key", "--private-key-file does not match --public-key-id " +
                                                  kid + " (its public key is " + *derived + ")");
    }
    if (!registered(*derived)) {
      return Error::BadRequest("private_key", "the public half of --private-key-file (" + *derived +
                                                  ") is not registered on app " + o.app +
                                                  "; run `admin app key add` first");
    }
    kid = *derived;
  }
  if (kid.empty()) {
    if (keys->size() == 1) {
      kid = keys->front().fingerprint;
    } else if (keys->size() > 1) {
      return Error::BadRequest("public_key_id", "app " + o.app + " has " +
                                                    std::to_string(keys->size()) +
                                                    " public keys; pass --public-key-id");
    } else {
      std::fprintf(stderr, "warning: app %s has no public key yet; public_key_id left out\n",
                   o.app.c_str());
    }
  }
  if (!kid.empty()) config["public_key_id"] = kid;
  if (!private_key.empty()) {
    config["private_key"] = private_key;
  } else {
    std::fprintf(stderr, "warning: no --private-key-file; add \"private_key\" before use\n");
  }
  return {};
}

// The JSON config the official SDKs load (coze-py load_oauth_app_from_config, coze-go
// LoadOAuthAppFromConfig): client_type web|pkce|device|jwt, client_id, the type's secrets, bases.
Result<boost::json::object> BuildConfig(admin::Env& env, const ExportOptions& o,
                                        const std::string& api_base, const std::string& www_base,
                                        const std::string& private_key) {
  auto app = admin::LiveApp(env, o.app);
  if (!app) return app.error();
  const ClientType type = app->client_type;
  if (!o.secret.empty() && type != ClientType::kWeb) {
    return Error::BadRequest("secret", "--secret is for web apps only");
  }
  if ((!o.public_key_id.empty() || !private_key.empty()) && type != ClientType::kService) {
    return Error::BadRequest("public_key_id",
                             "--public-key-id and --private-key-file are for service apps only");
  }
  boost::json::object config;
  config["client_type"] = type == ClientType::kService ? "jwt" : credentials::ToString(type);
  config["client_id"] = app->client_id;
  if (type == ClientType::kWeb) {
    if (o.secret.empty()) {
      std::fprintf(stderr,
                   "warning: no --secret; add \"client_secret\" before use "
                   "(`admin app secret create` prints a new one)\n");
    } else {
      auto live = oauth::IsLiveClientSecret(env.store, o.app, o.secret);
      if (!live) return live.error();
      if (!live.value()) {
        return Error::BadRequest("secret", "--secret is not a live client secret of app " + o.app);
      }
      config["client_secret"] = o.secret;
    }
  }
  if (type == ClientType::kService) {
    if (auto s = AddJwtFields(env, o, private_key, config); !s) return s.error();
  }
  config["coze_api_base"] = api_base;
  config["coze_www_base"] = www_base;
  return config;
}

}  // namespace

void SetupAppExportCommand(CLI::App& group, Cli& cli) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* cmd = AddAdminLeaf(group, "export-config",
                               "Write the SDKs' JSON config of an app (always JSON)", cli);
  cmd->add_option("--app", o->app, "App id")->required();
  cmd->add_option("--api-base", o->api_base, "OpenAPI base URL, e.g. http://127.0.0.1:8080")
      ->required();
  cmd->add_option("--www-base", o->www_base,
                  "Web (authorize/consent) base URL (default: --api-base)");
  cmd->add_option("--secret", o->secret, "Web apps: a client secret's plaintext to include");
  cmd->add_option("--public-key-id", o->public_key_id,
                  "Service apps: the kid (default: the private key's, or the app's only key)");
  cmd->add_option("--private-key-file", o->private_key_file,
                  "Service apps: PEM private key whose content becomes private_key");
  cmd->add_option("--out", o->out, "Write to this file (mode 0600) instead of stdout");
  cmd->callback([o, &cli, cmd] {
    auto api_base = BaseUrl(o->api_base, "api_base", "--api-base");
    if (!api_base) return cli.Fail(api_base.error());
    auto www_base = o->www_base.empty() ? api_base : BaseUrl(o->www_base, "www_base", "--www-base");
    if (!www_base) return cli.Fail(www_base.error());
    std::string private_key;
    if (!o->private_key_file.empty()) {
      auto pem = ReadTextFile(o->private_key_file, "private_key", "--private-key-file");
      if (!pem) return cli.Fail(pem.error());
      private_key = std::move(*pem);
    }
    WithAdminEnv(cli, *cmd, [&](admin::Env& env) {
      auto config = BuildConfig(env, *o, *api_base, *www_base, private_key);
      if (!config) return cli.Fail(config.error());
      if (o->out.empty()) return PrintJson(*config);
      if (auto s = WriteConfigFile(o->out, boost::json::serialize(*config) + "\n"); !s) {
        return cli.Fail(s.error());
      }
      if (cli.json) {
        return PrintJson(boost::json::object{{"app_id", o->app}, {"out", o->out}});
      }
      std::printf("wrote the config of app %s to %s\n", o->app.c_str(), o->out.c_str());
    });
  });
}

}  // namespace cozeauth::cli
