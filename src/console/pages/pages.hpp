#pragma once
// The console's page groups, each in its own file, registered by RegisterConsolePages
// (console/pages/page.hpp) in this order. Registration only, at start-up.

#include "api/deps.hpp"
#include "http/router.hpp"

namespace cozeauth::console {

// `/` (personal overview and the guide's path), `/enterprise/{id}` (enterprise overview),
// `/account` (账号设置: UID, password), POST /console/logout. (home_pages.cpp)
void RegisterHomePages(http::Router& router, api::Deps& deps);
// 个人访问令牌 and 服务身份及凭证, personal and enterprise. (token_pages.cpp)
void RegisterTokenPages(http::Router& router, api::Deps& deps);
// OAuth 应用: list, create, edit, secrets, keys, share link, status; own OBO authorizations.
// (app_pages.cpp)
void RegisterAppPages(http::Router& router, api::Deps& deps);
// 应用安装管理, 成员与角色, 个人账号资源授权. (enterprise_pages.cpp)
void RegisterEnterprisePages(http::Router& router, api::Deps& deps);
// 迁移空间到团队或企业 (the wizard), 线上观测 (chart), 审计日志. (migration_pages.cpp)
void RegisterMigrationPages(http::Router& router, api::Deps& deps);

}  // namespace cozeauth::console
