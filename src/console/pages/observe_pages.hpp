#pragma once
// 线上观测 (/enterprise/{enterprise_id}/observe) and 审计日志 (/enterprise/{enterprise_id}/audit),
// for the enterprise's super_admins and admins (observe_pages.cpp). Registered by
// RegisterMigrationPages (pages.hpp), whose group they belong to.

#include "api/deps.hpp"
#include "http/router.hpp"

namespace cozeauth::console {

void RegisterObservePages(http::Router& router, api::Deps& deps);

}  // namespace cozeauth::console
