// Files (coze-protocol.md §9.1): account-level, owned by the account the credential acts in.
// The bytes live in Deps::files_dir/<id>; the store keeps the metadata. The 8 MiB body limit is
// the HTTP layer's (4302 is never reached here). Unknown file → 4200; another account's → 4101.
// Files carry no JWT session of their own, so session-bound credentials see their account's
// files regardless of session.

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>

#include "api/json_input.hpp"
#include "api/multipart.hpp"
#include "api/openapi_route.hpp"
#include "api/resource_wire.hpp"
#include "api/routes.hpp"
#include "base/crypto.hpp"

namespace cozeauth::api {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace {

Error WriteFault(const std::string& what, const fs::path& path) {
  return Error::Make(Errc::kInternal, what + " " + path.string());
}

// Writes `bytes` to `path` durably: a temporary file in the same directory, fsync, rename, so a
// reader never sees a partial file under the final name.
Status WriteAtomically(const fs::path& path, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return WriteFault("cannot create directory for", path);
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return WriteFault("cannot create", tmp);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool ok = done == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (ok) fs::rename(tmp, path, ec);
  if (!ok || ec) {
    fs::remove(tmp, ec);
    return WriteFault("cannot write", path);
  }
  return {};
}

// The single part named "file" of a multipart/form-data upload.
Result<FormPart> UploadedFile(const http::Request& req) {
  auto boundary = MultipartBoundary(req.Header("content-type"));
  if (!boundary) return boundary.error();
  auto parts = ParseMultipart(req.body, boundary.value());
  if (!parts) return parts.error();
  std::optional<FormPart> file;
  for (auto& part : parts.value()) {
    if (part.name != "file") continue;
    if (file) return Error::Make(Errc::kFileTooMany, "more than one part named \"file\"");
    file = std::move(part);
  }
  if (!file) {
    return Error::BadRequest("file", "malformed multipart body: no part named \"file\"");
  }
  if (file->data.empty()) return Error::Make(Errc::kFileEmpty, "the uploaded file is empty");
  return std::move(*file);
}

http::Response Upload(Call& c) {
  auto part = UploadedFile(c.req);
  if (!part) return c.Fail(part.error());
  if (c.deps.files_dir.empty()) {
    return c.Fail(Error::Make(Errc::kInternal, "no files directory configured"));
  }
  domain::File f;
  f.id = c.deps.ids.Next();
  f.owner_account_id = c.principal.acting_account_id();
  f.file_name = part->filename.empty() ? "file" : part->filename;
  f.bytes = static_cast<int64_t>(part->data.size());
  f.sha256_hex = Sha256Hex(part->data);
  f.created_at = c.deps.clock.NowSeconds();
  const fs::path path = fs::path(c.deps.files_dir) / f.id;
  if (auto s = WriteAtomically(path, part->data); !s) return c.Fail(s.error());
  if (auto s = c.deps.store.CreateFile(f); !s) {
    std::error_code ec;
    fs::remove(path, ec);  // no metadata, no bytes
    return c.Fail(s.error());
  }
  return c.Ok(json::value_from(ToWire(f)));
}

http::Response Retrieve(Call& c) {
  auto id = RequiredQueryId(c.req, "file_id");
  if (!id) return c.Fail(id.error());
  auto found = c.deps.store.GetFile(id.value());
  if (!found && found.error().code != Errc::kNotFound) return c.Fail(found.error());
  policy::AccountTarget target =
      found ? c.AccountTarget(true, found->owner_account_id, c.principal.session_name)
            : c.AccountTarget(false, "", "");
  if (auto denied = c.Authorize(target, Errc::kNotFound)) return *denied;
  return c.Ok(json::value_from(ToWire(found.value())));
}

}  // namespace

void RegisterFileRoutes(http::Router& router, Deps& deps) {
  AddOpenApi(router, deps, http::Verb::post, "/v1/files/upload", "uploadFile", Upload);
  AddOpenApi(router, deps, http::Verb::get, "/v1/files/retrieve", "retrieveFile", Retrieve);
}

}  // namespace cozeauth::api
