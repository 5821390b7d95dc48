#include "support/openapi_expect.hpp"

#include <openssl/evp.h>

#include <random>
#include <stdexcept>
#include <thread>

namespace cozeauth::it {
namespace json = boost::json;

namespace {

const json::value* Walk(const json::value& root, std::string_view dotted, std::string* missing) {
  const json::value* cur = &root;
  size_t pos = 0;
  while (pos <= dotted.size()) {
    size_t dot = dotted.find('.', pos);
    std::string_view step =
        dotted.substr(pos, dot == std::string_view::npos ? dotted.npos : dot - pos);
    if (const auto* o = cur->if_object()) {
      cur = o->if_contains(step);
    } else if (const auto* a = cur->if_array()) {
      size_t i = 0;
      bool numeric = !step.empty();
      for (char c : step) {
        if (c < '0' || c > '9')
          numeric = false;
        else
          i = i * 10 + static_cast<size_t>(c - '0');
      }
      cur = numeric && i < a->size() ? &(*a)[i] : nullptr;
    } else {
      cur = nullptr;
    }
    if (cur == nullptr) {
      if (missing)
        *missing = std::string(dotted.substr(0, dot == dotted.npos ? dotted.size() : dot));
      return nullptr;
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return cur;
}

std::string Snippet(const json::value& v) {
  std::string s = json::serialize(v);
  return s.size() > 400 ? s.substr(0, 400) + "…" : s;
}

}  // namespace

const json::value& Path(const json::value& root, std::string_view dotted) {
  std::string missing;
  const json::value* v = Walk(root, dotted, &missing);
  if (v == nullptr) {
    throw std::runtime_error("JSON has no '" + missing + "' (looking for '" + std::string(dotted) +
                             "') in " + Snippet(root));
  }
  return *v;
}

bool Has(const json::value& root, std::string_view dotted) {
  return Walk(root, dotted, nullptr) != nullptr;
}

std::string Str(const json::value& root, std::string_view dotted) {
  const auto& v = Path(root, dotted);
  if (!v.is_string()) {
    throw std::runtime_error("'" + std::string(dotted) + "' is not a string: " + Snippet(v));
  }
  return std::string(v.as_string());
}

int64_t Int(const json::value& root, std::string_view dotted) {
  const auto& v = Path(root, dotted);
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.as_uint64());
  throw std::runtime_error("'" + std::string(dotted) + "' is not an integer: " + Snippet(v));
}

::testing::AssertionResult IsId(const json::value& v) {
  if (!v.is_string()) return ::testing::AssertionFailure() << "not a JSON string: " << Snippet(v);
  std::string_view s = v.as_string();
  if (s.size() != 19) {
    return ::testing::AssertionFailure() << "\"" << s << "\" is not 19 digits";
  }
  for (char c : s) {
    if (c < '0' || c > '9')
      return ::testing::AssertionFailure() << "\"" << s << "\" has a non-digit";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult IsTimestamp(const json::value& v) {
  if (!v.is_int64() && !v.is_uint64()) {
    return ::testing::AssertionFailure() << "not a JSON integer: " << Snippet(v);
  }
  int64_t t = v.is_int64() ? v.as_int64() : static_cast<int64_t>(v.as_uint64());
  if (t < 1577836800 || t > 4102444800) {
    return ::testing::AssertionFailure() << t << " is not a Unix time in seconds";
  }
  return ::testing::AssertionSuccess();
}

namespace {

::testing::AssertionResult CheckEnvelope(const HttpResponse& res, int code, unsigned status) {
  if (res.status != status) {
    return ::testing::AssertionFailure()
           << "expected HTTP " << status << " with code " << code << ", got " << res.Describe();
  }
  if (res.Header("Content-Type").find("application/json") == std::string::npos) {
    return ::testing::AssertionFailure()
           << "Content-Type is '" << res.Header("Content-Type") << "': " << res.Describe();
  }
  boost::system::error_code ec;
  json::value body = json::parse(res.body, ec);
  if (ec || !body.is_object()) {
    return ::testing::AssertionFailure() << "body is not a JSON object: " << res.Describe();
  }
  const auto& o = body.as_object();
  const auto* c = o.if_contains("code");
  if (c == nullptr || !c->is_int64()) {
    return ::testing::AssertionFailure() << "no integer 'code': " << res.Describe();
  }
  if (c->as_int64() != code) {
    return ::testing::AssertionFailure() << "expected code " << code << ", got " << res.Describe();
  }
  const auto* msg = o.if_contains("msg");
  if (msg == nullptr || !msg->is_string()) {
    return ::testing::AssertionFailure() << "no string 'msg': " << res.Describe();
  }
  if (code == 0 && !msg->as_string().empty()) {
    return ::testing::AssertionFailure() << "success with non-empty msg: " << res.Describe();
  }
  if (code != 0 && msg->as_string().empty()) {
    return ::testing::AssertionFailure() << "error with empty msg: " << res.Describe();
  }
  const std::string header = res.Header("X-Tt-Logid");
  if (header.empty()) return ::testing::AssertionFailure() << "no X-Tt-Logid header";
  const auto* logid = Walk(body, "detail.logid", nullptr);
  if (logid == nullptr || !logid->is_string() || logid->as_string() != header) {
    return ::testing::AssertionFailure()
           << "detail.logid does not equal X-Tt-Logid '" << header << "': " << res.Describe();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

::testing::AssertionResult IsOk(const HttpResponse& res) { return CheckEnvelope(res, 0, 200); }

::testing::AssertionResult IsCozeError(const HttpResponse& res, int code, unsigned http_status) {
  return CheckEnvelope(res, code, http_status);
}

int CodeOf(const HttpResponse& res) {
  boost::system::error_code ec;
  json::value body = json::parse(res.body, ec);
  if (ec || !body.is_object()) return -1;
  const auto* c = body.as_object().if_contains("code");
  return c != nullptr && c->is_int64() ? static_cast<int>(c->as_int64()) : -1;
}

std::string OAuthErrorOf(const HttpResponse& res) {
  boost::system::error_code ec;
  json::value body = json::parse(res.body, ec);
  if (ec || !body.is_object()) return "";
  const auto* e = body.as_object().if_contains("error");
  return e != nullptr && e->is_string() ? std::string(e->as_string()) : "";
}

boost::json::value OkBody(const HttpResponse& res) {
  if (auto ok = IsOk(res); !ok) throw std::runtime_error(ok.message());
  return res.Json();
}

Polled PollForCode(const std::function<HttpResponse()>& request, int code,
                   std::chrono::milliseconds limit) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  Polled p;
  for (;;) {
    p.last = request();
    p.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
    if (CodeOf(p.last) == code) {
      p.reached = true;
      return p;
    }
    if (p.elapsed >= limit) return p;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

namespace {
std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}
}  // namespace

std::string RandomId() {
  std::uniform_int_distribution<int> digit(0, 9);
  std::string id(1, static_cast<char>('1' + digit(Rng()) % 9));  // no leading zero
  while (id.size() < 19) id += static_cast<char>('0' + digit(Rng()));
  return id;
}

std::string RandomAlnum(size_t n) {
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<size_t> pick(0, sizeof kChars - 2);
  std::string s;
  while (s.size() < n) s += kChars[pick(Rng())];
  return s;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace cozeauth::it
