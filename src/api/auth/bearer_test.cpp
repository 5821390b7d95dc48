// BearerToken: the scheme matched ignoring case, one space required after it, surrounding
// blanks trimmed; anything else — other schemes, glued or truncated schemes, hostile bytes in
// the scheme — yields no token.
#include "api/auth/bearer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cozeauth::api {
namespace {

struct Case {
  std::string header;
  std::string token;  // "" = no token
};

TEST(BearerToken, Table) {
  const std::string nul_token = std::string("pat_a\0b", 7);
  const Case cases[] = {
      // The RFC 6750 §2.1 form, and the scheme in any case (RFC 9110 §11.1).
      {"Bearer pat_abc", "pat_abc"},
      {"bearer pat_abc", "pat_abc"},
      {"BEARER pat_abc", "pat_abc"},
      {"bEaReR pat_abc", "pat_abc"},
      // Surrounding blanks and extra spaces after the scheme are trimmed.
      {"  Bearer pat_abc  ", "pat_abc"},
      {"\tBearer   pat_abc\t", "pat_abc"},
      // The token is returned as sent: judging it is the verifier's job.
      {"Bearer a b", "a b"},
      {"Bearer pat_" + std::string(4096, 'x'), "pat_" + std::string(4096, 'x')},
      {"Bearer " + nul_token, nul_token},
      // No token.
      {"", ""},
      {"   ", ""},
      {"Bearer", ""},
      {"Bearer ", ""},
      {"Bearer    \t ", ""},
      {"Bearerpat_abc", ""},    // no space after the scheme
      {"Bearer\tpat_abc", ""},  // the separator is a space (RFC 6750 §2.1)
      {"Bearer:pat_abc", ""},
      {"Bear pat_abc", ""},
      {"Beare", ""},
      {"Basic cGF0X2FiYzo=", ""},
      {"Token pat_abc", ""},
      {"pat_abc", ""},
      {"XBearer pat_abc", ""},
      {"Bearer\r\npat_abc", ""},  // header injection leftovers
      {std::string("Bearer\0 pat_abc", 15), ""},
      {"B\xc3\xa9\x61rer pat_abc", ""},  // non-ASCII look-alike scheme
      {"\xef\xbb\xbf"
       "Bearer pat_abc",
       ""},  // a BOM before the scheme
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.header));
    EXPECT_EQ(std::string(BearerToken(c.header)), c.token);
  }
}

TEST(BearerToken, TheTokenIsAViewIntoTheHeader) {
  const std::string header = "Bearer pat_abc";
  const std::string_view token = BearerToken(header);
  ASSERT_EQ(token, "pat_abc");
  EXPECT_EQ(token.data(), header.data() + 7);  // no copy
}

}  // namespace
}  // namespace cozeauth::api
