#include "console/safe_redirect.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cozeauth::console {
namespace {

struct Case {
  std::string in;
  std::string want;  // "/" when refused
};

TEST(SafeRedirectPath, KeepsOriginRelativePathsAndRefusesEverythingElse) {
  const std::string long_path = "/" + std::string(kMaxRedirectLength, 'a');
  const Case cases[] = {
      // kept
      {"/", "/"},
      {"/ok", "/ok"},
      {"/ok?a=b", "/ok?a=b"},
      {"/console/tokens#list", "/console/tokens#list"},
      {"/a%2Fb", "/a%2Fb"},
      {"/api/permission/oauth2/authorize?client_id=1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb"
       "&state=a%20b",
       "/api/permission/oauth2/authorize?client_id=1&redirect_uri=https%3A%2F%2Fapp.test%2Fcb"
       "&state=a%20b"},
      // header injection / response splitting
      {"/x%0D%0ASet-Cookie:a=b", "/"},
      {"/x\r\nSet-Cookie:a=b", "/"},
      {"/x%0D%0A%0D%0A<html>", "/"},
      {"/ok?a=%0D%0ASet-Cookie:a=b", "/"},
      {"/ok#%0A", "/"},
      {"/x%00", "/"},
      {"/x%7F", "/"},
      // open redirect
      {"/%09/evil.example", "/"},
      {"/\t/evil.example", "/"},
      {"//evil.example", "/"},
      {"///evil.example", "/"},
      {"/\\evil", "/"},
      {"/%5Cevil", "/"},
      {"/%5C%5Cevil", "/"},
      {"https://evil", "/"},
      {"http:/evil", "/"},
      {"javascript:alert(1)", "/"},
      {"/%2F/evil", "/"},
      {"/%2f/evil", "/"},
      {"/%20/evil", "/"},
      {"/ /evil", "/"},
      {"/./%2Fevil", "/"},
      {"/.//evil", "/"},
      {"/a/..//evil", "/"},
      {"/a%2F..%2F%2Fevil", "/"},
      {"/a//b", "/"},
      {"/../x", "/"},
      {"/%2E%2E/x", "/"},
      {"/%C2%A0/evil", "/"},
      {"evil.example", "/"},
      {"", "/"},
      {"?a=b", "/"},
      {"#x", "/"},
      {"/caf\xC3\xA9", "/"},
      {long_path, "/"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SafeRedirectPath(c.in), c.want) << "input: " << c.in;
  }
}

}  // namespace
}  // namespace cozeauth::console
