// The credentials file of the client commands (client_credentials.hpp).

#include "cli/client_credentials.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <coze/oauth.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wire/json_read.hpp"

namespace cozeauth::cli {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

constexpr int64_t kFormatVersion = 1;

json::object ToJson(const Credentials& c) {
  json::object o{{"version", kFormatVersion}, {"type", c.type}, {"base_url", c.base_url}};
  if (c.type != "token") o["client_id"] = c.client_id;
  if (c.type == "jwt") {
    o["config_file"] = c.config_file;
    return o;
  }
  o["access_token"] = c.access_token;
  if (c.type == "device") {
    o["refresh_token"] = c.refresh_token;
    o["expires_in"] = c.expires_in;
  }
  return o;
}

// Creates the missing directories of `dir` with mode 0700.
coze::Status MakeDirs(const fs::path& dir) {
  fs::path at;
  for (const auto& part : dir) {
    at /= part;
    if (::mkdir(at.c_str(), 0700) != 0 && errno != EEXIST) {
      return LocalError("cannot create " + at.string() + ": " + std::strerror(errno));
    }
  }
  return coze::Ok{};
}

coze::OAuthToken ToToken(const Credentials& c) {
  return {c.access_token, c.expires_in, c.refresh_token, "Bearer"};
}

}  // namespace

coze::Error LocalError(std::string msg) {
  return coze::Error{coze::kClientErrorCode, std::move(msg), {}, 0};
}

std::string DefaultCredentialsPath() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  std::string base = xdg != nullptr ? xdg : "";
  if (base.empty() || base[0] != '/') {  // XDG: a relative path is ignored
    const char* env_home = std::getenv("HOME");
    std::string home = env_home != nullptr ? env_home : "";
    if (home.empty()) {
      if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
    }
    base = home + "/.config";
  }
  return base + "/cozeauth/credentials.json";
}

coze::Result<std::optional<Credentials>> ReadCredentials(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<Credentials>();
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return LocalError("cannot read " + path);
  json::value v = json::parse(text.str(), ec);
  const auto bad = [&](const std::string& why) {
    return LocalError(path + " is not a cozeauth credentials file (" + why +
                      "); run `cozeauth login` again");
  };
  if (ec || !v.is_object()) return bad("not a JSON object");
  const json::object& o = v.as_object();
  const json::value* version = o.if_contains("version");
  if (version == nullptr || !version->is_int64() || version->as_int64() != kFormatVersion) {
    return bad("version is not 1");
  }
  Credentials c;
  c.type = wire::StringMember(o, "type");
  c.base_url = wire::StringMember(o, "base_url");
  c.client_id = wire::StringMember(o, "client_id");
  c.access_token = wire::StringMember(o, "access_token");
  c.refresh_token = wire::StringMember(o, "refresh_token");
  c.config_file = wire::StringMember(o, "config_file");
  if (const json::value* e = o.if_contains("expires_in"); e != nullptr && e->is_int64()) {
    c.expires_in = e->as_int64();
  }
  const bool complete = (c.type == "token" && !c.access_token.empty()) ||
                        (c.type == "device" && !c.client_id.empty() && !c.refresh_token.empty()) ||
                        (c.type == "jwt" && !c.config_file.empty());
  if (!complete) return bad("unknown type or missing fields");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    std::fprintf(stderr, "warning: %s is accessible by other users (mode %03o); chmod 600 it\n",
                 path.c_str(), static_cast<unsigned>(st.st_mode & 0777));
  }
  return std::optional<Credentials>(std::move(c));
}

coze::Status WriteCredentials(const std::string& path, const Credentials& c) {
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    if (auto made = MakeDirs(parent); !made) return made;
  }
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return LocalError("cannot write " + tmp + ": " + std::strerror(errno));
  const std::string text = json::serialize(ToJson(c)) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(ok ? errno : err);
    ::unlink(tmp.c_str());
    return LocalError("cannot write " + path + ": " + why);
  }
  return coze::Ok{};
}

CredentialsLock::CredentialsLock(const std::string& path)
    : fd_(::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (fd_ >= 0) ::flock(fd_, LOCK_EX);
}

CredentialsLock::~CredentialsLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::shared_ptr<coze::Auth> StoredDeviceAuth(const std::string& path, const Credentials& stored) {
  coze::OAuthClientOptions options;
  options.client_id = stored.client_id;
  options.base_url = stored.base_url;
  coze::DeviceOAuthClient device(options);
  auto refresh = [device, path,
                  stored](const std::string& spent) -> coze::Result<coze::OAuthToken> {
    CredentialsLock lock(path);
    Credentials next = stored;
    if (auto current = ReadCredentials(path); current && *current && (*current)->type == "device") {
      next = **current;
      // Another command rotated the pair since this one read it: take its result.
      if (next.refresh_token != spent && next.expires_in - coze::SystemUnixSeconds() > 60) {
        return ToToken(next);
      }
    }
    auto fresh = device.RefreshToken(spent);
    if (!fresh) return fresh;
    next.access_token = fresh->access_token;
    next.refresh_token = fresh->refresh_token;
    next.expires_in = fresh->expires_in;
    if (auto saved = WriteCredentials(path, next); !saved) {
      std::fprintf(stderr, "warning: the refreshed token is not saved (%s); log in again later\n",
                   saved.error().msg.c_str());
    }
    return fresh;
  };
  return std::make_shared<coze::OAuthAuth>(ToToken(stored), refresh);
}

}  // namespace cozeauth::cli
