// The Okta provider: reads and applies the four kinds over the Okta management API v1.
#include "providers/okta/okta_provider.hpp"

#include <optional>
#include <set>

#include "providers/common/apply_dispatch.hpp"
#include "providers/okta/application_mapping.hpp"
#include "providers/okta/incremental_read.hpp"
#include "providers/okta/capabilities.hpp"
#include "providers/okta/group_mapping.hpp"
#include "providers/okta/json_fields.hpp"
#include "providers/okta/location_mapping.hpp"
#include "providers/okta/policy_mapping.hpp"
#include "providers/okta/references.hpp"
#include "providers/okta/writers.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::okta {

OktaProvider::OktaProvider(OktaSettings settings, std::shared_ptr<http::Transport> transport, util::Clock& clock)
    : m_client(std::make_unique<OktaClient>(std::move(settings), std::move(transport), clock)) {}

Result<void> OktaProvider::connect(const TokenSourceHooks& hooks) { return m_client->authenticate(hooks); }

Diagnostics OktaProvider::check(const model::DesiredState& desired) const { return check_expressible(desired); }

model::LiveState to_live_state(const TenantSnapshot& snapshot, const ReadScope& scope) {
  model::LiveState state;
  NameIndex names(snapshot);
  if (scope.wants(model::Kind::named_location))
    for (const auto& zone : snapshot.zones) state.resources.push_back(location_resource(zone));
  if (scope.wants(model::Kind::group))
    for (const auto& group : snapshot.groups) state.resources.push_back(group_resource(group, snapshot, names));
  if (scope.wants(model::Kind::application))
    for (const auto& app : snapshot.apps) state.resources.push_back(application_resource(app, snapshot, names));
  if (scope.wants(model::Kind::conditional_access_policy)) {
    std::map<std::string, std::vector<std::string>> apps_of;  // policy id -> apps using it
    for (const auto& app : snapshot.apps)
      if (std::string policy = linked_id(app, "accessPolicy"); !policy.empty()) apps_of[policy].push_back(text(app, "id"));
    static const std::vector<nlohmann::json> kNoRules;
    for (const auto& policy : snapshot.policies) {
      std::string id = text(policy, "id");
      auto rules = snapshot.rules.find(id);
      const auto& rule_list = rules == snapshot.rules.end() ? kNoRules : rules->second;
      if (unfinished_policy(policy, rule_list, apps_of[id])) continue;  // a create to finish, not a policy
      state.resources.push_back(policy_resource(policy, rule_list, apps_of[id], names));
    }
  }
  // Every user the read met, not only those asked for: removing a member needs the member's id.
  for (const auto& [id, user] : snapshot.users) state.users.push_back({id, util::to_lower(user.login), user.display_name});
  return state;
}

std::map<model::Kind, nlohmann::json> okta_defaults() {
  using nlohmann::json;
  const json none = json::array();
  return {
      {model::Kind::group, {{"description", ""}}},
      {model::Kind::application,
       {{"description", ""},
        {"sso",
         {{"saml", {{"name_id_format", "unspecified"}}},
          {"oidc",
           {{"redirect_uris", none},
            {"spa_redirect_uris", none},
            {"public_client_redirect_uris", none},
            {"post_logout_redirect_uris", none},
            {"grant_types", json::array({"authorization_code"})},
            {"id_token_issuance", false},
            {"access_token_issuance", false}}}}}}},
      {model::Kind::conditional_access_policy,
       {{"users", {{"exclude", none}}},
        {"applications", {{"exclude", none}}},
        {"locations", {{"include", json::array({"any"})}, {"exclude", none}}},
        {"platforms", {{"include", json::array({"all"})}, {"exclude", none}}},
        {"client_app_types", json::array({"all"})},
        {"sign_in_risk", none},
        {"user_risk", none},
        {"grant", {{"operator", "or"}, {"controls", none}}},
        {"session", {{"app_enforced_restrictions", false}}}}},
      {model::Kind::named_location, {{"trusted", false}, {"include_unknown_countries", false}}},
  };
}

std::string OktaProvider::state_version() const { return kStateVersion; }
std::string OktaProvider::target_identity() const { return m_client->settings().org_url; }

// A full read, or with a baseline the changes since it (incremental_read.hpp). Only reads of
// every kind are saved, so that a baseline always holds everything a plan needs.
Result<provider::ReadResponse> OktaProvider::read(const provider::ReadRequest& request) {
  util::ProgressScope progress(m_client->progress(), request.progress);
  ReadScope scope{request.kinds, request.user_emails};
  const bool whole = request.kinds.empty() || request.kinds.size() == 4;
  provider::ReadResponse response;
  response.defaults = okta_defaults();
  TenantSnapshot snapshot;
  FeedCursors cursors;
  std::optional<std::pair<TenantSnapshot, FeedCursors>> saved;
  if (request.baseline && whole) {
    saved = decode_state(*request.baseline);
    if (!saved) response.full_read_reason = "the cached state is not one this provider version reads";
  }
  if (saved) {
    IncrementalRead changes = IDFORM_TRY(read_changes(*m_client, std::move(saved->first), saved->second, scope));
    response.full_read_reason = changes.refused;
    if (changes.refused.empty()) {
      snapshot = std::move(changes.snapshot);
      cursors = std::move(changes.cursors);
      response.incremental = true;
    }
  }
  if (!response.incremental) {
    cursors = cursors_from_now();
    snapshot = IDFORM_TRY(read_tenant(*m_client, scope));
  }
  for (const auto& app : snapshot.apps)
    if (is_okta_own_app(app)) m_okta_apps["app:okta:" + text(app, "name")] = text(app, "id");
  response.state = to_live_state(snapshot, scope);
  if (request.keep_state && whole) response.saved_state = encode_state(snapshot, cursors);
  return response;
}

Result<provider::ApplyResponse> OktaProvider::apply(const provider::ApplyRequest& request) {
  util::ProgressScope progress(m_client->progress(), request.progress);
  auto lookup = [&](const std::set<std::string>& emails) -> Result<common::UserIds> {
    TenantSnapshot found;
    IDFORM_TRY(resolve_users(*m_client, "profile.login", {emails.begin(), emails.end()}, found));
    common::UserIds ids;
    for (const auto& [id, user] : found.users) ids["user:" + util::to_lower(user.login)] = id;
    return ids;
  };
  provider::ApplyRequest resolved = request;
  for (const auto& [reference, id] : m_okta_apps) resolved.ids.emplace(reference, id);
  return common::apply_change(
      resolved, lookup,
      {.group = [&](const provider::ApplyRequest& r) { return apply_group(*m_client, r); },
       .application = [&](const provider::ApplyRequest& r) { return apply_application(*m_client, r); },
       .policy = [&](const provider::ApplyRequest& r) { return apply_policy(*m_client, r); },
       .location = [&](const provider::ApplyRequest& r) { return apply_location(*m_client, r); }});
}

Result<std::unique_ptr<provider::Provider>> make_okta_provider(const provider::TargetContext& context) {
  OktaSettings settings = IDFORM_TRY(parse_settings(context));
  http::TransportOptions options;
  options.ca_bundle = settings.ca_bundle;
  auto provider = std::make_unique<OktaProvider>(std::move(settings), http::make_curl_transport(options));
  IDFORM_TRY(provider->connect());
  return std::unique_ptr<provider::Provider>(std::move(provider));
}

}  // namespace idform::providers::okta
