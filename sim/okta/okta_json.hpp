#pragma once
// Small JSON helpers shared by the Okta handlers.
#include <string>

#include "core/json.hpp"

namespace idp_sim::okta {

// Recursively copies `patch` over `base`: objects are merged key by key, anything else replaces.
void overlay(Json& base, const Json& patch);
// The object at `key` of `object`, or an empty object when absent or not an object.
Json object_at(const Json& object, const std::string& key);
// "Example Custom SAML 2.0 App" -> "examplecustomsaml20app".
std::string slug(const std::string& text);
// The last path segment of the href at `_links.<link>.href` ("" when absent).
std::string linked_id(const Json& object, const std::string& link);

}  // namespace idp_sim::okta
