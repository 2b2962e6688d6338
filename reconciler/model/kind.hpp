#pragma once
// The four kinds of object idform manages, and the catalogue of their fields.
//
// A resource's managed attributes live in a JSON object (`spec`) in the config language's own
// snake_case form. The catalogue says, for every field path of every kind, how values compare:
// as a scalar, as a set, case-insensitively, as CIDRs or as durations. The differ, the
// normaliser, the renderers and the providers all read the same catalogue, so a new field is one
// line here plus its JSON Schema.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace idform::model {

enum class Kind { group, application, conditional_access_policy, named_location };

inline constexpr Kind kAllKinds[] = {Kind::named_location, Kind::group, Kind::application,
                                     Kind::conditional_access_policy};

// "Group", "Application", "ConditionalAccessPolicy", "NamedLocation" (the YAML `kind:`).
std::string_view kind_document_name(Kind kind);
std::optional<Kind> kind_from_document_name(std::string_view name);
// "group", "app", "policy", "location": the prefix of addresses and references.
std::string_view kind_prefix(Kind kind);
std::optional<Kind> kind_from_prefix(std::string_view prefix);
// "groups", "applications", "conditional_access_policies", "named_locations" (idform.yaml `manage:`).
std::string_view kind_plural(Kind kind);
std::optional<Kind> kind_from_plural(std::string_view plural);
// "group", "application", "conditional access policy", "named location": for messages.
std::string_view kind_label(Kind kind);

enum class FieldType {
  string,        // compared exactly
  boolean,
  duration,      // "8h", "1d", "30m": normalised to the largest exact unit
  set,           // unordered list of strings, compared exactly
  set_ci,        // unordered, compared case-insensitively (emails, UPNs)
  reference_set, // unordered typed references ("group:x", "user:a@b", keywords); user: parts case-insensitive
  cidr_set,      // unordered CIDR ranges, normalised ("10.0.0.1" -> "10.0.0.1/32")
  country_set,   // unordered ISO 3166-1 alpha-2 codes, upper-cased
  members,       // group members: user emails and nested groups, with optional expiry
  assignments,   // application assignments: group or user, optional role
};

struct Field {
  std::string_view path;  // dotted path inside spec, e.g. "sso.saml.entity_id"
  FieldType type;
  bool sensitive = false;  // never shown or stored; redacted everywhere
};

std::span<const Field> fields_of(Kind kind);
const Field* find_field(Kind kind, std::string_view path);

}  // namespace idform::model
