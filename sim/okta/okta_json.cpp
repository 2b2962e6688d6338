// Small JSON helpers the Okta handlers share.
#include "okta/okta_json.hpp"

#include <cctype>

namespace idp_sim::okta {

void overlay(Json& base, const Json& patch) {
  if (!base.is_object() || !patch.is_object()) {
    base = patch;
    return;
  }
  for (const auto& [key, value] : patch.items()) {
    if (base.contains(key) && base[key].is_object() && value.is_object()) {
      overlay(base[key], value);
    } else {
      base[key] = value;
    }
  }
}

Json object_at(const Json& object, const std::string& key) {
  if (object.is_object() && object.contains(key) && object[key].is_object()) return object[key];
  return Json::object();
}

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out.empty() ? "app" : out;
}

std::string linked_id(const Json& object, const std::string& link) {
  if (!object.is_object() || !object.contains("_links") || !object["_links"].is_object()) return {};
  const Json& links = object["_links"];
  if (!links.contains(link) || !links[link].is_object() || !links[link].contains("href") ||
      !links[link]["href"].is_string()) {
    return {};
  }
  std::string href = links[link]["href"].get<std::string>();
  std::string id = href.substr(href.rfind('/') + 1);
  // Okta's documentation examples write placeholders such as "{policyId}"; read them as the bare name.
  if (id.size() > 2 && id.front() == '{' && id.back() == '}') id = id.substr(1, id.size() - 2);
  return id;
}

}  // namespace idp_sim::okta
