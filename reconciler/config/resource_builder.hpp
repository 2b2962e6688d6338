#pragma once
// Turns a schema-valid resource document into a model::Resource.
//
// The spec keeps the config language's own shape minus the identity fields (kind, name, id,
// membership, and state except for policies, whose enabled/disabled/report-only is managed), with
// list entries normalised to the catalogue's element forms so that the differ compares like with
// like: members become "user:EMAIL" (lower-cased) or "group:NAME", assignments "group:NAME" or
// "user:EMAIL" plus "|role:ROLE", owners lower-cased emails, user references lower-cased, country
// codes upper-cased. Source locations are kept for every field and every list entry, except that
// with a `completer` the entries of plain member lists are left to it (see model::Locations).

#include "reconciler/config/yaml_document.hpp"
#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::config {

// Checks the schema cannot express (real calendar dates, IPv6 syntax, entries that repeat once
// normalised) are reported into `diagnostics`; the resource is returned either way.
model::Resource build_resource(const YamlDocument& document, model::Kind kind,
                               Diagnostics& diagnostics, model::Locations::Completer completer = {});

// The JSON Pointer of a catalogue path: "sso.saml.entity_id" -> "/sso/saml/entity_id".
JsonPointer field_pointer(std::string_view path);

}  // namespace idform::config
