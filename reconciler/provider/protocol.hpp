#pragma once
// The plugin protocol's JSON forms (docs/plugin-protocol.md, schemas/plugin/).
//
// A provider running out of process speaks JSON messages, one per line, over its stdin and
// stdout. This header holds what both sides need: the handshake's description of a plugin, error
// categories, and the codec between the provider contract's structs (provider.hpp) and their wire
// form. The wire form of a change is the protocol's own: what the provider must do and the ids it
// refers to, never the plan's internals (fingerprints, guards, dependencies).
// Every decoder is strict and never throws: a message that is not of the protocol's form is an
// Error naming the field.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/provider/plugin_info.hpp"
#include "reconciler/provider/provider.hpp"
#include "reconciler/util/result.hpp"

namespace idform::provider::protocol {

// What a failure was, so that the host can decide without reading the message text: the
// protocol sends the names of idform's own error categories (util/result.hpp).
using idform::category_from_name;
using idform::category_name;
using idform::ErrorCategory;

// A failure as it travels: category and retryability beside the contract's Error (decoding puts
// them into the Error too).
struct WireError {
  Error error;
  ErrorCategory category = ErrorCategory::internal;
  bool retryable = false;
};

nlohmann::json to_json(const PluginInfo& info);
Result<PluginInfo> plugin_info_from_json(const nlohmann::json& message);

nlohmann::json to_json(const model::Resource& resource, bool with_sources = false);
Result<model::Resource> resource_from_json(const nlohmann::json& value);
// The same, taking the spec out of `value` rather than copying it (a read's stream).
Result<model::Resource> resource_from_json(nlohmann::json&& value);
// A read's `resource` message as one line (without its newline): the same as
// {"type":"resource","request":N,"resource":to_json(resource)}, written without copying the spec.
std::string resource_message_line(long long request, const model::Resource& resource);
nlohmann::json to_json(const model::User& user);
Result<model::User> user_from_json(const nlohmann::json& value);

// The protocol's change form: action, kind, name, id, address, desired and live specs, and the
// attributes that changed.
nlohmann::json change_to_json(const plan::Change& change);
Result<plan::Change> change_from_json(const nlohmann::json& value);

// Requests: the message without "type" and "request" (the caller adds them).
// A read's baseline and keep_state travel too (incremental reads); the decoded request's
// `baseline` points into `baseline_storage`, which must outlive it.
nlohmann::json to_json(const ReadRequest& request);
Result<ReadRequest> read_request_from_json(const nlohmann::json& message, nlohmann::json* baseline_storage = nullptr);
// What read_done carries besides the counts: defaults, and for incremental reads the saved state,
// whether the baseline was used and why not.
nlohmann::json read_done_fields(const ReadResponse& response);
Result<void> read_done_into(const nlohmann::json& message, ReadResponse& response);
nlohmann::json to_json(const ApplyRequest& request);
Result<ApplyRequest> apply_request_from_json(const nlohmann::json& message);

nlohmann::json to_json(const WireError& error);
Result<WireError> wire_error_from_json(const nlohmann::json& message);
// A provider's Error with the category and retryability it carries.
WireError classify(const Error& error);

nlohmann::json to_json(const Error& diagnostic);
Result<Error> diagnostic_from_json(const nlohmann::json& value);

}  // namespace idform::provider::protocol
