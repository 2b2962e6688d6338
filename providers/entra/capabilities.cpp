// The Entra capability check: every field Graph v1.0 cannot express is an error naming it.
#include "providers/entra/capabilities.hpp"

#include "providers/common/settings_schema.hpp"
#include "providers/entra/directory_roles.hpp"
#include "providers/entra/first_party_apps.hpp"
#include "reconciler/model/spec_path.hpp"

namespace idform::providers::entra {
namespace {

struct Unsupported {
  model::Kind kind;
  std::string_view path;
  std::string_view why;
};

constexpr Unsupported kUnsupportedFields[] = {
    {model::Kind::application, "sso.saml.name_id_format",
     "Graph v1.0 has no NameID format setting (it exists only in the beta customClaimsPolicy); Entra sends the "
     "format the service provider requests"},
    {model::Kind::application, "sso.oidc.post_logout_redirect_uris",
     "Entra has no separate post-logout redirect list; post-logout redirects must be among the redirect URIs"},
    {model::Kind::application, "sso.oidc.grant_types",
     "Entra has no per-application list of grant types; the implicit flow is set with id_token_issuance and "
     "access_token_issuance"},
};

// Keywords Graph accepts on one side of a condition only.
struct Keyword {
  std::string_view path;
  std::string_view word;
  std::string_view why;
};

constexpr Keyword kUnsupportedKeywords[] = {
    {"users.exclude", "all", "excludeUsers cannot be All"},
    {"users.exclude", "none", "excludeUsers cannot be None"},
    {"applications.exclude", "all", "excludeApplications cannot be All"},
    {"applications.exclude", "none", "excludeApplications cannot be None"},
    {"locations.exclude", "any", "excludeLocations cannot be All"},
};

SourceLocation location_of(const model::Resource& resource, const std::string& key) {
  auto found = resource.locations.find(key);
  return found != resource.locations.end() ? found->second : resource.where;
}

Error problem(const model::Resource& resource, const std::string& key, const std::string& what, std::string_view why) {
  return Error{what + ": provider \"entra\" cannot express this", std::string(why), resource.address(),
               location_of(resource, key)};
}

void check_policy(const model::Resource& resource, Diagnostics& out) {
  for (const Keyword& keyword : kUnsupportedKeywords) {
    const nlohmann::json* list = model::find_path(resource.spec, keyword.path);
    if (!list || !list->is_array()) continue;
    for (const auto& item : *list)
      if (item == keyword.word) {
        std::string key = std::string(keyword.path) + "[" + std::string(keyword.word) + "]";
        out.push_back(problem(resource, key, std::string(keyword.path) + ": " + std::string(keyword.word), keyword.why));
      }
  }
  for (const char* side : {"users.include", "users.exclude"}) {
    const nlohmann::json* list = model::find_path(resource.spec, side);
    if (!list || !list->is_array()) continue;
    for (const auto& item : *list) {
      model::Reference ref = model::Reference::parse(item.get<std::string>());
      if (ref.type != "role" || ref.value.starts_with("id:") || role_template_id(ref.value)) continue;
      std::string key = std::string(side) + "[" + ref.to_string() + "]";
      out.push_back(Error{std::string(side) + ": \"" + ref.value + "\" is not a Microsoft Entra built-in role known to provider \"entra\"",
                          "use the role's display name as Microsoft lists it, such as role:Global Administrator",
                          resource.address(), location_of(resource, key)});
    }
  }
}

}  // namespace

Diagnostics check_expressible(const model::DesiredState& desired) {
  Diagnostics out;
  for (const model::Resource& resource : desired.resources) {
    if (resource.lifecycle == model::Lifecycle::absent) continue;
    for (const Unsupported& field : kUnsupportedFields)
      if (field.kind == resource.kind && model::find_path(resource.spec, field.path))
        out.push_back(problem(resource, std::string(field.path), std::string(field.path), field.why));
    if (resource.kind == model::Kind::conditional_access_policy) check_policy(resource, out);
    if (resource.kind == model::Kind::conditional_access_policy) check_external_apps(resource, out);
  }
  return out;
}

nlohmann::json settings_schema() { return providers::settings_schema("entra"); }

}  // namespace idform::providers::entra
