#pragma once
// Conversions from stored account-level resources (domain) to their Coze JSON shapes (wire,
// coze-protocol.md §9.2–§9.3), shared by the conversation, message, chat and file routes.
// Pure functions; thread-safe.

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "domain/model.hpp"
#include "wire/openapi.hpp"

namespace cozeauth::api {

wire::Conversation ToWire(const domain::Conversation& c);
wire::Message ToWire(const domain::Message& m);
// completed_at and usage appear once the chat has completed (or was counted before cancel).
wire::Chat ToWire(const domain::Chat& c);
wire::File ToWire(const domain::File& f);

boost::json::array MessagesJson(const std::vector<domain::Message>& messages);

// meta_data is stored as serialized JSON; anything but an object reads back as {}.
boost::json::object MetaDataObject(const std::string& stored);
std::string MetaDataJson(const boost::json::object& meta);

}  // namespace cozeauth::api
