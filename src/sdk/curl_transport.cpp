// libcurl implementation of HttpTransport. Easy handles are pooled: curl_easy_reset keeps a
// handle's connection cache, so a handle taken from the pool reuses its keep-alive connection,
// and concurrent requests each get their own handle.

#include <curl/curl.h>

#include <algorithm>
#include <coze/transport.hpp>
#include <cstring>
#include <mutex>
#include <vector>

namespace coze {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  HttpResponse head;
  const ChunkCallback* on_chunk = nullptr;  // null: buffer into head.body
  bool stopped = false;                     // the callback asked to stop
  CURL* handle = nullptr;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    x->head.headers.clear();  // a new response head (after 100-continue or a redirect)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    x->head.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (x->on_chunk == nullptr) {
    x->head.body.append(data, n);
    return n;
  }
  long status = 0;
  curl_easy_getinfo(x->handle, CURLINFO_RESPONSE_CODE, &status);
  x->head.status = static_cast<int>(status);
  if (!(*x->on_chunk)(x->head, std::string_view(data, n))) {
    x->stopped = true;
    return 0;  // makes curl_easy_perform fail with CURLE_WRITE_ERROR
  }
  return n;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlOptions options) : options_(options) { GlobalInit(); }
  ~CurlTransport() override {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    return Perform(request, nullptr);
  }
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk) override {
    return Perform(request, &on_chunk);
  }

 private:
  CURL* Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* h) {
    curl_easy_reset(h);
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  Result<HttpResponse> Perform(const HttpRequest& request, const ChunkCallback* on_chunk) {
    CURL* h = Acquire();
    if (h == nullptr) return Error{kClientErrorCode, "curl_easy_init failed", {}, 0};
    Exchange x;
    x.on_chunk = on_chunk;
    x.handle = h;
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    // curl would otherwise send "Expect: 100-continue" for larger bodies and wait for it.
    headers = curl_slist_append(headers, "Expect:");
    char error_buffer[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // thread safety: no SIGALRM for timeouts
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    if (on_chunk == nullptr) {
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    } else {
      // A stream may legitimately last long; fail it only when it goes quiet.
      const long idle_s = std::max<long>(1, static_cast<long>(request.timeout.count() / 1000));
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, idle_s);
    }
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
    if (request.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (!request.body.empty() || request.method != "DELETE") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      }
    }

    const CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    Release(h);

    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && x.stopped)) {
      std::string msg = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
      return Error{kClientErrorCode, "transport: " + msg, x.head.Header("X-Tt-Logid"), 0};
    }
    x.head.status = static_cast<int>(status);
    return std::move(x.head);
  }

  const CurlOptions options_;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::shared_ptr<HttpTransport> MakeCurlTransport(CurlOptions options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace coze
