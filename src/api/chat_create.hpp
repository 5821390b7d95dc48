#pragma once
// POST /v3/chat (coze-protocol.md §9.2), point `chat`: a workspace-level point whose target is
// the bot's workspace (unknown bot → 4006; not published to the requested connector, default
// domain::kApiConnectorId "1024" → 4015). A ?conversation_id= is a secondary, account-level
// target the credential must reach (unknown → 4002, another account's → 4101); without one a
// conversation owned by the acting account is created.
//
// The built-in runtime (runtime/bot_runtime.hpp) answers synchronously, so the chat, the caller's
// additional messages (tagged with the chat id) and the answer are stored in one transaction
// with status "completed" before anything is sent: a non-stream call returns the completed Chat
// and a later /v3/chat/retrieve shows it completed; a stream replays the stages as events
// (chat_stream.hpp). Every error is therefore a JSON envelope, never an SSE event.

#include "api/openapi_route.hpp"

namespace cozeauth::api {

http::Response CreateChat(Call& c);

}  // namespace cozeauth::api
