// Checking a sandbox file's shape against the field catalogue (see sandbox_shape.hpp).

#include "providers/local/sandbox_shape.hpp"

#include "reconciler/model/kind.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers {
namespace {

using model::FieldType;
using nlohmann::json;

bool list_of_strings(const json& value) {
  if (!value.is_array()) return false;
  for (const json& item : value)
    if (!item.is_string()) return false;
  return true;
}

// What is wrong with `value` as a field of `type`, or "".
std::string problem(const json& value, FieldType type) {
  switch (type) {
    case FieldType::string:
    case FieldType::duration: return value.is_string() ? "" : "must be a string";
    case FieldType::boolean: return value.is_boolean() ? "" : "must be true or false";
    default: return list_of_strings(value) ? "" : "must be a list of strings";
  }
}

// The first problem of one object of `kind`, or "".
std::string object_problem(const json& object, model::Kind kind) {
  if (!object.is_object()) return "must be an object";
  for (const char* key : {"id", "name"})
    if (!object.contains(key) || !object[key].is_string()) return std::string(key) + " must be a string";
  for (const model::Field& field : model::fields_of(kind)) {
    const json* at = &object;
    std::string walked;
    bool present = true;
    for (const std::string& part : util::split(field.path, '.')) {
      if (!at->is_object()) return walked + " must be an object";
      walked += (walked.empty() ? "" : ".") + part;
      auto found = at->find(part);
      if (found == at->end() || found->is_null()) {
        present = false;
        break;
      }
      at = &*found;
    }
    if (!present) continue;
    if (std::string why = problem(*at, field.type); !why.empty()) return std::string(field.path) + " " + why;
  }
  return "";
}

std::string user_problem(const json& user) {
  if (!user.is_object()) return "must be an object";
  for (const char* key : {"id", "email"})
    if (!user.contains(key) || !user[key].is_string()) return std::string(key) + " must be a string";
  if (user.contains("display_name") && !user["display_name"].is_string()) return "display_name must be a string";
  return "";
}

}  // namespace

Result<void> check_sandbox_shape(const json& tenant, const std::string& file) {
  auto wrong = [&](const std::string& where, const std::string& why) {
    return fail("sandbox file " + file + ": " + where + " " + why, "fix or remove the entry; see docs/providers/local.md");
  };
  if (tenant.contains("users")) {
    if (!tenant["users"].is_array()) return wrong("users", "must be a list");
    for (size_t i = 0; i < tenant["users"].size(); ++i)
      if (std::string why = user_problem(tenant["users"][i]); !why.empty())
        return wrong("users[" + std::to_string(i) + "]", why);
  }
  for (model::Kind kind : model::kAllKinds) {
    std::string list_name(model::kind_plural(kind));
    if (!tenant.contains(list_name)) continue;
    const json& list = tenant[list_name];
    if (!list.is_array()) return wrong(list_name, "must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string why = object_problem(list[i], kind);
      if (why.empty()) continue;
      std::string where = list_name + "[" + std::to_string(i) + "]";
      if (list[i].is_object() && list[i].contains("name") && list[i]["name"].is_string())
        where += " (" + list[i]["name"].get<std::string>() + ")";
      return wrong(where, why);
    }
  }
  if (tenant.contains("faults")) {
    const json& faults = tenant["faults"];
    if (!faults.is_object()) return wrong("faults", "must be an object");
    for (const char* hook : {"fail_apply", "throw_apply", "pause_apply"})
      if (faults.contains(hook) && !list_of_strings(faults[hook]))
        return wrong("faults", std::string(hook) + " must be a list of strings");
    if (faults.contains("pause_read") && !faults["pause_read"].is_boolean())
      return wrong("faults", "pause_read must be true or false");
  }
  return {};
}

}  // namespace idform::providers
