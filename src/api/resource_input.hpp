#pragma once
// Strict reading of message input shared by conversation create, message create/modify and
// /v3/chat (coze-protocol.md §9.1–§9.3): roles, message types, content types and the
// EnterMessage object. Errors are kBadRequest naming the field (e.g. "messages[2].role"), or
// kMetaDataTooLarge for meta_data limits. Pure functions; thread-safe.

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "domain/model.hpp"

namespace cozeauth::api {

// A message supplied by the caller (EnterMessage), validated and with defaults applied.
struct EnterMessage {
  std::string role;  // user | assistant
  std::string type;  // question for user, answer for assistant, unless given
  std::string content;
  std::string content_type = "text";  // text | object_string | card
  boost::json::object meta_data;
};

// "user" | "assistant".
Status ValidateRole(std::string_view role, std::string_view field);
// "text" | "object_string" | "card".
Status ValidateContentType(std::string_view content_type, std::string_view field);
// For a valid content type: object_string content must be a non-empty JSON array of objects
// whose "type" is text, image, file or audio (coze-protocol.md §9.2); other content is free.
Status ValidateContent(std::string_view content_type, std::string_view content,
                       std::string_view field);
// The default message type of a role: question (user) or answer (assistant).
std::string DefaultType(std::string_view role);

// One EnterMessage object; `field` prefixes error names ("" for a request body).
Result<EnterMessage> ParseEnterMessage(const boost::json::value& v, const std::string& field);
// The optional array `key` of EnterMessages (absent or null → empty).
Result<std::vector<EnterMessage>> ParseEnterMessages(const boost::json::object& body,
                                                     std::string_view key);
// Optional meta_data object `key`, validated; absent → {}.
Result<boost::json::object> ParseMetaData(const boost::json::object& body, std::string_view key,
                                          std::string_view field);

// The stored form of `in`, in the conversation's current section; `chat_id` may be empty.
domain::Message NewMessage(const EnterMessage& in, const domain::Conversation& conv,
                           std::string_view bot_id, std::string_view chat_id, std::string id,
                           int64_t now);

// The text a runtime reads from a message: the content itself, or for object_string the text
// items joined by a space.
std::string InputText(std::string_view content_type, std::string_view content);

}  // namespace cozeauth::api
