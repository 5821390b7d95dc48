#pragma once
// FakeTransport: an HttpTransport that records requests and answers from a queue of canned
// responses (or a transport failure). Streams deliver the body in chunks of `chunk_size`.
// Not thread-safe; one test owns it.

#include <coze/transport.hpp>
#include <deque>
#include <variant>

namespace coze::test {

class FakeTransport : public HttpTransport {
 public:
  void Reply(int status, std::string body, HeaderList headers = {}) {
    replies_.push_back(HttpResponse{status, std::move(headers), std::move(body)});
  }
  void ReplyJson(int status, std::string body, HeaderList headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    Reply(status, std::move(body), std::move(headers));
  }
  void Fail(std::string message) {
    replies_.push_back(Error{kClientErrorCode, std::move(message), {}, 0});
  }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    requests.push_back(request);
    return Next();
  }
  Result<HttpResponse> Stream(const HttpRequest& request, const ChunkCallback& on_chunk) override {
    requests.push_back(request);
    auto reply = Next();
    if (!reply) return reply;
    HttpResponse head = *reply;
    head.body.clear();
    const std::string& body = reply->body;
    for (size_t pos = 0; pos < body.size(); pos += chunk_size) {
      if (!on_chunk(head, std::string_view(body).substr(pos, chunk_size))) break;
    }
    return head;
  }

  std::vector<HttpRequest> requests;
  size_t chunk_size = 7;

 private:
  Result<HttpResponse> Next() {
    if (replies_.empty()) return Error{kClientErrorCode, "fake: no reply queued", {}, 0};
    auto next = std::visit([](auto& v) -> Result<HttpResponse> { return v; }, replies_.front());
    replies_.pop_front();
    return next;
  }
  std::deque<std::variant<HttpResponse, Error>> replies_;
};

}  // namespace coze::test
