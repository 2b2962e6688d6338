// The plugin protocol's codec: provider requests, responses, resources, changes and errors to and
// from their JSON wire form (docs/plugin-protocol.md). Decoders check every field they read and
// return an Error naming it; nothing here throws.

#include "reconciler/provider/protocol.hpp"

namespace idform::provider::protocol {

using nlohmann::json;

namespace {

std::unexpected<Error> bad(std::string_view field, std::string_view expected) {
  return fail("malformed protocol message: \"" + std::string(field) + "\" must be " + std::string(expected));
}

Result<std::string> string_at(const json& object, const char* key, bool required = true) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) {
    if (required) return bad(key, "a string");
    return std::string();
  }
  if (!found->is_string()) return bad(key, "a string");
  return found->get<std::string>();
}

Result<bool> bool_at(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end()) return false;
  if (!found->is_boolean()) return bad(key, "true or false");
  return found->get<bool>();
}

Result<std::vector<std::string>> strings_at(const json& object, const char* key) {
  auto found = object.find(key);
  std::vector<std::string> out;
  if (found == object.end()) return out;
  if (!found->is_array()) return bad(key, "an array of strings");
  for (const json& item : *found) {
    if (!item.is_string()) return bad(key, "an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<model::Kind> kind_at(const json& object, const char* key) {
  std::string name = IDFORM_TRY(string_at(object, key));
  auto kind = model::kind_from_document_name(name);
  if (!kind) return bad(key, "Group, Application, ConditionalAccessPolicy or NamedLocation");
  return *kind;
}

Result<plan::Action> action_from(std::string_view name) {
  for (plan::Action action : {plan::Action::create, plan::Action::update, plan::Action::delete_})
    if (plan::action_name(action) == name) return action;
  return bad("action", "create, update or delete");
}

json location_to_json(const SourceLocation& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

// A string or integer member, or the default when it is absent or of another type.
std::string text_or_empty(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

int integer_or_zero(const json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_number_integer() ? found->get<int>() : 0;
}

SourceLocation location_from(const json& value) {
  SourceLocation where;
  if (!value.is_object()) return where;
  where.file = text_or_empty(value, "file");
  where.line = integer_or_zero(value, "line");
  where.column = integer_or_zero(value, "column");
  return where;
}

json attribute_to_json(const plan::AttributeChange& attribute) {
  json out = {{"path", attribute.path}, {"set", attribute.is_set}};
  if (attribute.is_set) {
    out["added"] = attribute.added;
    out["removed"] = attribute.removed;
  } else {
    out["before"] = attribute.before;
    out["after"] = attribute.after;
  }
  return out;
}

Result<plan::AttributeChange> attribute_from(const json& value) {
  if (!value.is_object()) return bad("attributes", "an array of objects");
  plan::AttributeChange attribute;
  attribute.path = IDFORM_TRY(string_at(value, "path"));
  attribute.is_set = IDFORM_TRY(bool_at(value, "set"));
  attribute.added = IDFORM_TRY(strings_at(value, "added"));
  attribute.removed = IDFORM_TRY(strings_at(value, "removed"));
  attribute.before = value.value("before", json());
  attribute.after = value.value("after", json());
  return attribute;
}

}  // namespace

Capabilities full_capabilities(const std::vector<model::Kind>& kinds) {
  Capabilities capabilities;
  for (model::Kind kind : kinds) {
    KindCapability entry{kind, {}};
    for (const model::Field& field : model::fields_of(kind)) entry.fields.emplace_back(field.path);
    capabilities.kinds.push_back(std::move(entry));
  }
  return capabilities;
}

json to_json(const PluginInfo& info) {
  json kinds = json::array();
  for (const KindCapability& kind : info.capabilities.kinds)
    kinds.push_back({{"kind", model::kind_document_name(kind.kind)}, {"fields", kind.fields}});
  return {{"name", info.name},
          {"version", info.version},
          {"capabilities",
           {{"kinds", kinds},
            {"reads_every_user", info.capabilities.reads_every_user},
            {"incremental_read", info.capabilities.incremental_read},
            {"checks", info.capabilities.checks}}},
          {"settings_schema", info.settings_schema}};
}

Result<PluginInfo> plugin_info_from_json(const json& message) {
  if (!message.is_object()) return bad("handshake", "an object");
  PluginInfo info;
  info.name = IDFORM_TRY(string_at(message, "name"));
  info.version = IDFORM_TRY(string_at(message, "version"));
  auto capabilities = message.find("capabilities");
  if (capabilities == message.end() || !capabilities->is_object()) return bad("capabilities", "an object");
  info.capabilities.reads_every_user = IDFORM_TRY(bool_at(*capabilities, "reads_every_user"));
  info.capabilities.incremental_read = IDFORM_TRY(bool_at(*capabilities, "incremental_read"));
  info.capabilities.checks = IDFORM_TRY(bool_at(*capabilities, "checks"));
  auto kinds = capabilities->find("kinds");
  if (kinds == capabilities->end() || !kinds->is_array()) return bad("capabilities.kinds", "an array");
  for (const json& kind : *kinds) {
    if (!kind.is_object()) return bad("capabilities.kinds", "an array of objects");
    KindCapability entry;
    entry.kind = IDFORM_TRY(kind_at(kind, "kind"));
    entry.fields = IDFORM_TRY(strings_at(kind, "fields"));
    info.capabilities.kinds.push_back(std::move(entry));
  }
  auto schema = message.find("settings_schema");
  if (schema != message.end()) {
    if (!schema->is_object()) return bad("settings_schema", "a JSON Schema object");
    info.settings_schema = *schema;
  }
  return info;
}

json to_json(const model::Resource& resource, bool with_sources) {
  json out = {{"kind", model::kind_document_name(resource.kind)},
              {"name", resource.name},
              {"spec", resource.spec}};
  if (!resource.id.empty()) out["id"] = resource.id;
  if (resource.lifecycle == model::Lifecycle::absent) out["state"] = "absent";
  if (resource.read_only) out["read_only"] = true;
  if (resource.additive_members) out["membership"] = "additive";
  if (!with_sources) return out;
  if (resource.where.known()) out["where"] = location_to_json(resource.where);
  json locations = json::object();
  for (const auto& [key, where] : resource.locations.entries()) locations[key] = {where.line, where.column};
  if (!locations.empty()) out["locations"] = std::move(locations);
  json entries = json::object();
  for (const auto& [element, info] : resource.entry_info)
    entries[element] = {{"expires", info.expires}, {"reason", info.reason}};
  if (!entries.empty()) out["entries"] = std::move(entries);
  return out;
}

namespace {

// Everything of a resource but its spec, which the callers copy or move.
Result<model::Resource> resource_without_spec(const json& value) {
  if (!value.is_object()) return bad("resource", "an object");
  model::Resource resource;
  resource.kind = IDFORM_TRY(kind_at(value, "kind"));
  resource.name = IDFORM_TRY(string_at(value, "name"));
  resource.id = IDFORM_TRY(string_at(value, "id", false));
  std::string state = IDFORM_TRY(string_at(value, "state", false));
  if (!state.empty() && state != "present" && state != "absent") return bad("state", "present or absent");
  resource.lifecycle = state == "absent" ? model::Lifecycle::absent : model::Lifecycle::present;
  auto spec = value.find("spec");
  if (spec == value.end() || !spec->is_object()) return bad("spec", "an object");
  resource.read_only = IDFORM_TRY(bool_at(value, "read_only"));
  resource.additive_members = text_or_empty(value, "membership") == "additive";
  if (auto where = value.find("where"); where != value.end()) resource.where = location_from(*where);
  if (auto locations = value.find("locations"); locations != value.end() && locations->is_object()) {
    std::vector<model::Locations::Written> written;
    for (const auto& [key, at] : locations->items())
      if (at.is_array() && at.size() == 2 && at[0].is_number_integer() && at[1].is_number_integer())
        written.push_back({key, at[0].get<int>(), at[1].get<int>()});
    resource.locations = model::Locations(resource.where.file, std::move(written));
  }
  if (auto entries = value.find("entries"); entries != value.end() && entries->is_object())
    for (const auto& [element, info] : entries->items())
      if (info.is_object())
        resource.entry_info[element] = {text_or_empty(info, "expires"), text_or_empty(info, "reason"), {}};
  return resource;
}

}  // namespace

Result<model::Resource> resource_from_json(const json& value) {
  model::Resource resource = IDFORM_TRY(resource_without_spec(value));
  resource.spec = value["spec"];
  return resource;
}

Result<model::Resource> resource_from_json(json&& value) {
  model::Resource resource = IDFORM_TRY(resource_without_spec(value));
  resource.spec = std::move(value["spec"]);
  return resource;
}

std::string resource_message_line(long long request, const model::Resource& resource) {
  auto text = [](const std::string& value) { return json(value).dump(-1, ' ', false, json::error_handler_t::replace); };
  std::string out = "{\"type\":\"resource\",\"request\":" + std::to_string(request) + ",\"resource\":{\"kind\":\"" +
                    std::string(model::kind_document_name(resource.kind)) + "\",\"name\":" + text(resource.name);
  if (!resource.id.empty()) out += ",\"id\":" + text(resource.id);
  if (resource.lifecycle == model::Lifecycle::absent) out += ",\"state\":\"absent\"";
  if (resource.read_only) out += ",\"read_only\":true";
  if (resource.additive_members) out += ",\"membership\":\"additive\"";
  out += ",\"spec\":";
  out += resource.spec.dump(-1, ' ', false, json::error_handler_t::replace);
  out += "}}";
  return out;
}

json to_json(const model::User& user) {
  return {{"id", user.id}, {"email", user.email}, {"display_name", user.display_name}};
}

Result<model::User> user_from_json(const json& value) {
  if (!value.is_object()) return bad("user", "an object");
  model::User user;
  user.id = IDFORM_TRY(string_at(value, "id"));
  user.email = IDFORM_TRY(string_at(value, "email"));
  user.display_name = IDFORM_TRY(string_at(value, "display_name", false));
  return user;
}

json change_to_json(const plan::Change& change) {
  json attributes = json::array();
  for (const plan::AttributeChange& attribute : change.attributes) attributes.push_back(attribute_to_json(attribute));
  json out = {{"action", plan::action_name(change.action)},
              {"kind", model::kind_document_name(change.kind)},
              {"name", change.name},
              {"address", change.address},
              {"desired", change.desired},
              {"live", change.live},
              {"attributes", attributes}};
  if (!change.id.empty()) out["id"] = change.id;
  return out;
}

Result<plan::Change> change_from_json(const json& value) {
  if (!value.is_object()) return bad("change", "an object");
  plan::Change change;
  change.action = IDFORM_TRY(action_from(IDFORM_TRY(string_at(value, "action"))));
  change.kind = IDFORM_TRY(kind_at(value, "kind"));
  change.name = IDFORM_TRY(string_at(value, "name"));
  change.address = IDFORM_TRY(string_at(value, "address", false));
  if (change.address.empty()) change.address = model::make_address(change.kind, change.name);
  change.id = IDFORM_TRY(string_at(value, "id", false));
  if (change.action != plan::Action::create && change.id.empty()) return bad("id", "the live id for an update or delete");
  change.desired = value.value("desired", json());
  change.live = value.value("live", json());
  if (change.action != plan::Action::delete_ && !change.desired.is_object()) return bad("desired", "an object");
  if (auto attributes = value.find("attributes"); attributes != value.end()) {
    if (!attributes->is_array()) return bad("attributes", "an array");
    for (const json& attribute : *attributes) change.attributes.push_back(IDFORM_TRY(attribute_from(attribute)));
  }
  return change;
}

json to_json(const ReadRequest& request) {
  json kinds = json::array();
  for (model::Kind kind : request.kinds) kinds.push_back(model::kind_document_name(kind));
  json out = {{"kinds", kinds}, {"user_emails", request.user_emails}};
  if (request.baseline) out["baseline"] = *request.baseline;
  if (request.keep_state) out["keep_state"] = true;
  return out;
}

Result<ReadRequest> read_request_from_json(const json& message, json* baseline_storage) {
  ReadRequest request;
  request.keep_state = IDFORM_TRY(bool_at(message, "keep_state"));
  if (auto baseline = message.find("baseline"); baseline != message.end() && !baseline->is_null()) {
    if (!baseline->is_object()) return bad("baseline", "an object (the saved_state of an earlier read)");
    if (baseline_storage) {
      *baseline_storage = *baseline;
      request.baseline = baseline_storage;
    }
  }
  auto kinds = message.find("kinds");
  if (kinds != message.end()) {
    if (!kinds->is_array()) return bad("kinds", "an array of kind names");
    for (const json& kind : *kinds) {
      auto parsed = kind.is_string() ? model::kind_from_document_name(kind.get<std::string>()) : std::nullopt;
      if (!parsed) return bad("kinds", "an array of kind names");
      request.kinds.insert(*parsed);
    }
  }
  request.user_emails = IDFORM_TRY(strings_at(message, "user_emails"));
  return request;
}

json read_done_fields(const ReadResponse& response) {
  json defaults = json::object();
  for (const auto& [kind, spec] : response.defaults) defaults[std::string(model::kind_document_name(kind))] = spec;
  json out = {{"defaults", std::move(defaults)}};
  if (!response.saved_state.is_null()) out["saved_state"] = response.saved_state;
  if (response.incremental) out["incremental"] = true;
  if (!response.full_read_reason.empty()) out["full_read_reason"] = response.full_read_reason;
  return out;
}

Result<void> read_done_into(const json& message, ReadResponse& response) {
  if (auto defaults = message.find("defaults"); defaults != message.end()) {
    if (!defaults->is_object()) return bad("defaults", "an object of kind -> spec");
    for (const auto& [kind, spec] : defaults->items()) {
      auto parsed = model::kind_from_document_name(kind);
      if (!parsed || !spec.is_object()) return bad("defaults", "an object of kind -> spec");
      response.defaults[*parsed] = spec;
    }
  }
  if (auto saved = message.find("saved_state"); saved != message.end() && !saved->is_null()) {
    if (!saved->is_object()) return bad("saved_state", "an object");
    response.saved_state = *saved;
  }
  response.incremental = IDFORM_TRY(bool_at(message, "incremental"));
  response.full_read_reason = IDFORM_TRY(string_at(message, "full_read_reason", false));
  return {};
}

json to_json(const ApplyRequest& request) {
  return {{"change", change_to_json(request.change)}, {"ids", request.ids}};
}

Result<ApplyRequest> apply_request_from_json(const json& message) {
  ApplyRequest request;
  auto change = message.find("change");
  if (change == message.end()) return bad("change", "an object");
  request.change = IDFORM_TRY(change_from_json(*change));
  auto ids = message.find("ids");
  if (ids != message.end()) {
    if (!ids->is_object()) return bad("ids", "an object of reference -> id");
    for (const auto& [reference, id] : ids->items()) {
      if (!id.is_string()) return bad("ids", "an object of reference -> id");
      request.ids[reference] = id.get<std::string>();
    }
  }
  return request;
}

json to_json(const WireError& wire) {
  json out = {{"category", category_name(wire.category)},
              {"retryable", wire.retryable},
              {"summary", wire.error.summary}};
  if (!wire.error.detail.empty()) out["detail"] = wire.error.detail;
  if (!wire.error.address.empty()) out["address"] = wire.error.address;
  return out;
}

Result<WireError> wire_error_from_json(const json& message) {
  WireError wire;
  std::string category = IDFORM_TRY(string_at(message, "category"));
  auto parsed = category_from_name(category);
  if (!parsed)
    return bad("category", "auth, throttled, not_found, conflict, invalid, transient, internal or cancelled");
  wire.category = *parsed;
  wire.retryable = IDFORM_TRY(bool_at(message, "retryable"));
  wire.error.summary = IDFORM_TRY(string_at(message, "summary"));
  wire.error.detail = IDFORM_TRY(string_at(message, "detail", false));
  wire.error.address = IDFORM_TRY(string_at(message, "address", false));
  wire.error.category = wire.category;
  wire.error.retryable = wire.retryable;
  return wire;
}

WireError classify(const Error& error) { return WireError{error, error.category, error.retryable}; }

json to_json(const Error& diagnostic) {
  json out = {{"summary", diagnostic.summary}};
  if (!diagnostic.detail.empty()) out["detail"] = diagnostic.detail;
  if (!diagnostic.address.empty()) out["address"] = diagnostic.address;
  if (diagnostic.where.known() || !diagnostic.where.file.empty()) out["where"] = location_to_json(diagnostic.where);
  return out;
}

Result<Error> diagnostic_from_json(const json& value) {
  if (!value.is_object()) return bad("diagnostics", "an array of objects");
  Error error;
  error.summary = IDFORM_TRY(string_at(value, "summary"));
  error.detail = IDFORM_TRY(string_at(value, "detail", false));
  error.address = IDFORM_TRY(string_at(value, "address", false));
  if (auto where = value.find("where"); where != value.end()) error.where = location_from(*where);
  return error;
}

}  // namespace idform::provider::protocol
