#include "console/pages/points.hpp"

#include <utility>

namespace cozeauth::console {
namespace {

// Every point of the catalogue (policy/catalogue.cpp); points_test checks that none is missing.
constexpr std::pair<std::string_view, std::string_view> kChinese[] = {
    {"chat", "与智能体对话"},
    {"createBot", "在工作空间中创建智能体"},
    {"edit", "修改智能体"},
    {"publish", "发布智能体到渠道"},
    {"disconnectBot", "取消发布智能体"},
    {"listBot", "查看工作空间的智能体列表"},
    {"getMetadata", "查看智能体配置"},
    {"getPublishedBot", "查看已发布的智能体列表（旧版）"},
    {"listWorkspace", "查看工作空间列表"},
    {"createWorkspace", "创建工作空间"},
    {"Workspace.update", "修改工作空间"},
    {"readMember", "查看工作空间成员"},
    {"addMember", "添加工作空间成员"},
    {"removeMember", "移除工作空间成员"},
    {"run", "执行工作流"},
    {"listRunHistory", "查看工作流执行结果"},
    {"listWorkflow", "查看工作流列表"},
    {"getMetaData", "查看工作流元数据"},
    {"listApp", "查看工作空间的应用列表"},
    {"getChat", "查看对话"},
    {"cancelChat", "取消对话"},
    {"submitToolChat", "提交工具执行结果"},
    {"createConversation", "创建会话"},
    {"retrieveConversation", "查看会话"},
    {"listConversation", "查看会话列表"},
    {"editConversation", "重命名、删除或清空会话"},
    {"createMessage", "创建消息"},
    {"listMessage", "查看消息列表"},
    {"retrieveMessage", "查看消息"},
    {"modifyMessage", "修改消息"},
    {"deleteMessage", "删除消息"},
    {"feedback", "消息评价"},
    {"uploadFile", "上传文件"},
    {"retrieveFile", "查看文件信息"},
    {"listVoice", "查看音色列表"},
    {"createVoice", "复刻音色"},
    {"createSpeech", "语音合成"},
    {"createTranscription", "语音识别"},
    {"createRoom", "创建 RTC 房间"},
    {"readVariable", "读取用户变量"},
    {"updateVariable", "修改用户变量"},
    {"Connector.botChat", "渠道对话"},
    {"getBenefit", "查看企业权益"},
    {"Enterprise.batchAddPeople", "添加企业成员"},
    {"Enterprise.updatePeople", "修改企业成员"},
    {"Enterprise.removePeople", "移除企业成员"},
    {"Enterprise.listOrganization", "查看组织列表"},
    {"Enterprise.createOrganization", "创建组织"},
};

}  // namespace

std::string_view PointDescription(Lang lang, std::string_view point, std::string_view english) {
  if (lang != Lang::kZh) return english;
  for (const auto& [name, zh] : kChinese) {
    if (name == point) return zh;
  }
  return english;
}

}  // namespace cozeauth::console
