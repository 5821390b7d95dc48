// Every permission point has a zh-CN description on the console pages (console/pages/points.hpp).
#include "console/pages/points.hpp"

#include <gtest/gtest.h>

#include "policy/catalogue.hpp"

namespace cozeauth::console {
namespace {

TEST(PointDescription, EveryCatalogueEntryHasAChineseOne) {
  for (const auto& p : policy::Catalogue()) {
    const std::string_view zh = PointDescription(Lang::kZh, p.name, p.description);
    EXPECT_NE(zh, p.description) << p.name << " has no zh-CN description";
    EXPECT_FALSE(zh.empty()) << p.name;
    EXPECT_EQ(PointDescription(Lang::kEn, p.name, p.description), p.description);
  }
  EXPECT_EQ(PointDescription(Lang::kZh, "noSuchPoint", "fallback"), "fallback");
}

}  // namespace
}  // namespace cozeauth::console
