#include "api/multipart.hpp"

#include <gtest/gtest.h>

namespace cozeauth::api {
namespace {

constexpr std::string_view kBoundary = "----cozeBoundary7MA4YWxk";

// A body from lines joined with `eol`.
std::string Body(std::initializer_list<std::string_view> lines, std::string_view eol = "\r\n") {
  std::string out;
  for (auto l : lines) {
    out += l;
    out += eol;
  }
  return out;
}

TEST(MultipartBoundary, ReadsQuotedAndBareBoundaries) {
  struct {
    std::string_view content_type, boundary;
  } cases[] = {
      {"multipart/form-data; boundary=abc", "abc"},
      {"multipart/form-data;boundary=abc", "abc"},
      {"Multipart/Form-Data; BOUNDARY=\"a b;c\"", "a b;c"},
      {"multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundaryX",
       "----WebKitFormBoundaryX"},
  };
  for (const auto& c : cases) {
    auto b = MultipartBoundary(c.content_type);
    ASSERT_TRUE(b.has_value()) << c.content_type;
    EXPECT_EQ(b.value(), c.boundary);
  }
}

TEST(MultipartBoundary, RejectsOtherTypesAndMissingBoundaries) {
  for (std::string_view ct : {"", "application/json", "multipart/form-data",
                              "multipart/form-data; boundary=", "multipart/form-data; boundary=\"",
                              "multipart/mixed; boundary=abc"}) {
    auto b = MultipartBoundary(ct);
    ASSERT_FALSE(b.has_value()) << ct;
    EXPECT_EQ(b.error().code, Errc::kBadRequest);
  }
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')));
  EXPECT_TRUE(MultipartBoundary("multipart/form-data; boundary=" + std::string(70, 'x')));
}

TEST(ParseMultipart, ReadsPartsWithCrlf) {
  std::string body = Body(
      {"--" + std::string(kBoundary), "Content-Disposition: form-data; name=\"purpose\"", "",
       "chat", "--" + std::string(kBoundary),
       "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"",
       "Content-Type: text/plain", "", "line1\r\nline2", "--" + std::string(kBoundary) + "--"});
  auto parts = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "purpose");
  EXPECT_FALSE((*parts)[0].has_filename);
  EXPECT_EQ((*parts)[0].data, "chat");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_TRUE((*parts)[1].has_filename);
  EXPECT_EQ((*parts)[1].filename, "a.txt");
  EXPECT_EQ((*parts)[1].content_type, "text/plain");
  // CRLFs inside the data are kept; only the one before the delimiter is dropped.
  EXPECT_EQ((*parts)[1].data, "line1\r\nline2");
}

TEST(ParseMultipart, AcceptsBareLfAndPreambleAndEpilogue) {
  std::string body = "preamble text\n" +
                     Body({"--" + std::string(kBoundary),
                           "content-disposition: form-data; name=file; filename=x.bin", "",
                           "payload", "--" + std::string(kBoundary) + "--"},
                          "\n") +
                     "epilogue";
  auto parts = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].filename, "x.bin");
  EXPECT_EQ((*parts)[0].data, "payload");
}

TEST(ParseMultipart, KeepsBinaryDataAndBoundaryLookalikes) {
  const std::string data = std::string("\0\r\n--", 5) + std::string(kBoundary) + "X\r\n\xff";
  std::string body = "--" + std::string(kBoundary) +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b\"\r\n\r\n" +
                     data + "\r\n--" + std::string(kBoundary) + "--\r\n";
  auto parts = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, data);
}

TEST(ParseMultipart, ReadsQuotedAndExtendedFilenames) {
  struct {
    std::string_view disposition, filename;
  } cases[] = {
      {"form-data; name=\"file\"; filename=\"my file;1.txt\"", "my file;1.txt"},
      {"form-data; name=\"file\"; filename=\"say \\\"hi\\\".txt\"", "say \"hi\".txt"},
      {"form-data; name=\"file\"; filename=\"C:\\Users\\me\\doc.pdf\"", "doc.pdf"},
      {"form-data; name=\"file\"; filename=\"../../etc/passwd\"", "passwd"},
      {"form-data; name=\"file\"; filename=\"fallback.txt\"; filename*=UTF-8''%E4%B8%AD.txt",
       "中.txt"},
      {"form-data; name=\"file\"; filename=\"\"", ""},
  };
  for (const auto& c : cases) {
    std::string body =
        Body({"--b", "Content-Disposition: " + std::string(c.disposition), "", "x", "--b--"});
    auto parts = ParseMultipart(body, "b");
    ASSERT_TRUE(parts.has_value()) << c.disposition << ": " << parts.error().message;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_TRUE((*parts)[0].has_filename);
    EXPECT_EQ((*parts)[0].filename, c.filename) << c.disposition;
  }
}

TEST(ParseMultipart, TreatsTextBeforeTheFirstDelimiterAsPreamble) {
  // "--bjunk" is not a delimiter of boundary "b", so everything up to "--b--" is preamble.
  auto parts = ParseMultipart(
      Body({"--bjunk", "Content-Disposition: form-data; name=\"f\"", "", "x", "--b--"}), "b");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  EXPECT_TRUE(parts->empty());
}

TEST(ParseMultipart, ReadsEmptyParts) {
  auto parts = ParseMultipart(
      Body({"--b", "Content-Disposition: form-data; name=\"file\"", "", "", "--b--"}), "b");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "");
  // A close delimiter straight after the header block (no line end before it).
  parts = ParseMultipart("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n--b--", "b");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "");
  // No parts at all.
  parts = ParseMultipart("--b--\r\n", "b");
  ASSERT_TRUE(parts.has_value());
  EXPECT_TRUE(parts->empty());
}

TEST(ParseMultipart, RejectsMalformedAndTruncatedBodies) {
  const std::string good =
      Body({"--b", "Content-Disposition: form-data; name=\"file\"", "", "data", "--b--"});
  ASSERT_TRUE(ParseMultipart(good, "b").has_value());
  struct {
    std::string_view why;
    std::string body;
  } cases[] = {
      {"empty body", ""},
      {"no delimiter", "just some bytes\r\n"},
      {"other boundary",
       Body({"--c", "Content-Disposition: form-data; name=\"f\"", "", "x", "--c--"})},
      {"no closing boundary",
       Body({"--b", "Content-Disposition: form-data; name=\"file\"", "", "data"})},
      {"cut inside data", good.substr(0, good.find("data") + 2)},
      {"cut inside headers", "--b\r\nContent-Disposition: form-da"},
      {"cut after headers", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n"},
      {"cut at the close delimiter", good.substr(0, good.size() - 4)},
      {"delimiter only", "--b"},
      {"header without colon", Body({"--b", "Content-Disposition form-data", "", "x", "--b--"})},
      {"no disposition", Body({"--b", "Content-Type: text/plain", "", "x", "--b--"})},
      {"not form-data",
       Body({"--b", "Content-Disposition: attachment; name=\"file\"", "", "x", "--b--"})},
      {"no name",
       Body({"--b", "Content-Disposition: form-data; filename=\"a\"", "", "x", "--b--"})},
      // Found by fuzz/fuzz_multipart: a bare `name` parameter gave a part with an empty name.
      {"empty name", Body({"--b", "Content-Disposition: form-data; name", "", "x", "--b--"})},
      {"empty quoted name",
       Body({"--b", "Content-Disposition: form-data; name=\"\"", "", "x", "--b--"})},
      {"unterminated quote",
       Body({"--b", "Content-Disposition: form-data; name=\"file", "", "x", "--b--"})},
      {"junk on the delimiter line",
       Body({"--b x", "Content-Disposition: form-data; name=\"f\"", "", "x", "--b--"})},
  };
  for (const auto& c : cases) {
    auto parts = ParseMultipart(c.body, "b");
    ASSERT_FALSE(parts.has_value()) << c.why;
    EXPECT_EQ(parts.error().code, Errc::kBadRequest) << c.why;
    EXPECT_NE(parts.error().message.find("malformed multipart body"), std::string::npos) << c.why;
  }
}

}  // namespace
}  // namespace cozeauth::api
