#pragma once
// Reading and writing a spec by the catalogue's dotted paths ("sso.saml.entity_id").

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace idform::model {

// The value at `path`, or nullptr when any part is absent.
const nlohmann::json* find_path(const nlohmann::json& spec, std::string_view path);
// The strings of the list at `path`; empty when it is absent, null or not a list (other items
// are skipped).
std::vector<std::string> strings_at(const nlohmann::json& spec, std::string_view path);
// The string or boolean at `path`; `fallback` when it is absent, null or of another type (a live
// spec comes from a provider or a hand-edited sandbox file and is not schema-checked).
std::string string_at(const nlohmann::json& spec, std::string_view path, std::string fallback = "");
bool bool_at(const nlohmann::json& spec, std::string_view path, bool fallback = false);
// Sets the value at `path`, creating intermediate objects.
void set_path(nlohmann::json& spec, std::string_view path, nlohmann::json value);
// Removes the value at `path` if present.
void erase_path(nlohmann::json& spec, std::string_view path);

}  // namespace idform::model
