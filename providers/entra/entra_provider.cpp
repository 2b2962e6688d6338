// The Entra ID provider: reads and applies the four kinds over Microsoft Graph v1.0.
#include "providers/entra/entra_provider.hpp"

#include <future>
#include <optional>
#include <set>

#include "providers/common/apply_dispatch.hpp"
#include "providers/entra/application_mapping.hpp"
#include "providers/entra/capabilities.hpp"
#include "providers/entra/group_mapping.hpp"
#include "providers/entra/incremental_read.hpp"
#include "providers/entra/location_mapping.hpp"
#include "providers/entra/policy_mapping.hpp"
#include "providers/entra/references.hpp"
#include "providers/entra/writers.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {

EntraProvider::EntraProvider(EntraSettings settings, std::shared_ptr<http::Transport> transport, util::Clock& clock)
    : m_settings(std::move(settings)),
      m_graph(std::make_unique<GraphClient>(m_settings, std::move(transport), clock)) {}

Result<void> EntraProvider::connect(const TokenSourceHooks& hooks) { return m_graph->authenticate(hooks); }

Diagnostics EntraProvider::check(const model::DesiredState& desired) const { return check_expressible(desired); }

model::LiveState to_live_state(const TenantSnapshot& snapshot, const ReadScope& scope) {
  model::LiveState state;
  NameIndex names(snapshot);
  if (scope.wants(model::Kind::named_location))
    for (const auto& location : snapshot.locations) state.resources.push_back(location_resource(location));
  if (scope.wants(model::Kind::group))
    for (const auto& group : snapshot.groups) state.resources.push_back(group_resource(group, snapshot, names));
  if (scope.wants(model::Kind::application))
    for (const auto& application : snapshot.applications)
      state.resources.push_back(application_resource(application, snapshot, names));
  if (scope.wants(model::Kind::conditional_access_policy))
    for (const auto& policy : snapshot.policies) state.resources.push_back(policy_resource(policy, names));
  // Every user the read met, not only those asked for: removing a member needs the member's id.
  for (const auto& [id, user] : snapshot.users)
    state.users.push_back({id, util::to_lower(user.user_principal_name), user.display_name});
  return state;
}

std::map<model::Kind, nlohmann::json> entra_defaults() {
  using nlohmann::json;
  const json none = json::array();
  return {
      {model::Kind::group, {{"description", ""}}},
      {model::Kind::application,
       {{"description", ""},
        {"roles", none},
        {"sso",
         {{"oidc",
           {{"spa_redirect_uris", none},
            {"public_client_redirect_uris", none},
            {"id_token_issuance", false},
            {"access_token_issuance", false}}}}}}},
      {model::Kind::conditional_access_policy,
       {{"users", {{"exclude", none},
                   {"include_guests_or_external_users", {{"types", none}}},
                   {"exclude_guests_or_external_users", {{"types", none}}}}},
        {"applications", {{"exclude", none}, {"include_user_actions", none}, {"include_authentication_contexts", none}}},
        {"locations", {{"include", none}, {"exclude", none}}},
        {"platforms", {{"include", none}, {"exclude", none}}},
        {"client_app_types", json::array({"all"})},
        {"client_applications", {{"include", none}, {"exclude", none}}},
        {"authentication_flows", none},
        {"sign_in_risk", none},
        {"user_risk", none},
        {"insider_risk", none},
        {"service_principal_risk", none},
        {"grant", {{"terms_of_use", none}, {"custom_authentication_factors", none}}},
        {"session", {{"app_enforced_restrictions", false},
                     {"sign_in_frequency_authentication", "primary_and_secondary"},
                     {"cloud_app_security", "none"},
                     {"disable_resilience_defaults", false},
                     {"secure_sign_in_session", false}}}}},
      {model::Kind::named_location, {{"trusted", false}, {"include_unknown_countries", false}}},
  };
}

std::string EntraProvider::state_version() const { return kStateVersion; }

namespace {

// The live state of a snapshot and, with cursors, its saved state: the two are made side by side
// (each costs a large tenant's half a million member ids once).
Result<model::LiveState> live_and_saved(const TenantSnapshot& snapshot, const FeedCursors* cursors,
                                        const ReadScope& scope, nlohmann::json& saved_state) {
  std::future<Result<nlohmann::json>> saving;
  if (cursors)
    saving = util::start_guarded("saving the state of the read", [&snapshot, cursors]() -> Result<nlohmann::json> {
      return encode_state(snapshot, *cursors);
    });
  model::LiveState state = to_live_state(snapshot, scope);
  if (saving.valid()) saved_state = IDFORM_TRY(saving.get());
  return state;
}

}  // namespace

// As soon as the cache's header is read: the feeds are fetched while the state is parsed and
// decoded, which for a large tenant takes longer than the requests.
void EntraProvider::start_feeds(const nlohmann::json& cursors) {
  if (m_early_feeds.valid()) return;
  std::optional<FeedCursors> from = decode_cursors(cursors);
  if (!from) return;
  m_early_feeds = util::start_guarded("reading the change feeds since the cached read",
                                      [this, from = *from] { return fetch_feeds(*m_graph, from); });
}

std::optional<FeedRounds> EntraProvider::take_early_feeds() {
  if (!m_early_feeds.valid()) return std::nullopt;
  Result<FeedRounds> rounds = m_early_feeds.get();
  if (!rounds) return std::nullopt;
  return std::move(*rounds);
}

// The changes since a saved state (or why it cannot be used), for the users `scope` names.
Result<IncrementalRead> EntraProvider::changes_since(const nlohmann::json& baseline, const ReadScope& scope) {
  auto saved = decode_state(baseline);
  std::optional<FeedRounds> fetched = take_early_feeds();
  if (!saved) return IncrementalRead{{}, {}, "the cached state is not one this provider version reads"};
  return read_changes(*m_graph, std::move(saved->first), saved->second, scope, std::move(fetched));
}

// While the config loads, the feeds are read, the cached state brought up to date and mapped to
// live state; only the users the config names are not known yet, and read() looks those up.
void EntraProvider::start_reading_from(std::shared_ptr<const nlohmann::json> baseline) {
  if (!baseline || m_early_changes.valid()) return;
  m_early_baseline = std::move(baseline);
  m_early_changes = util::start_guarded("reading the changes since the cached read", [this]() -> Result<EarlyRead> {
    EarlyRead early;
    early.changes = IDFORM_TRY(changes_since(*m_early_baseline, ReadScope{}));
    if (early.changes.refused.empty())
      early.live = IDFORM_TRY(live_and_saved(early.changes.snapshot, &early.changes.cursors, ReadScope{}, early.saved_state));
    return early;
  });
}

std::optional<Result<EntraProvider::EarlyRead>> EntraProvider::take_early_changes(const nlohmann::json* baseline) {
  if (!m_early_changes.valid()) return std::nullopt;
  Result<EarlyRead> changes = m_early_changes.get();
  const bool same = baseline == m_early_baseline.get();
  m_early_baseline.reset();
  if (!same) return std::nullopt;
  return changes;
}

// A full read, or with a baseline the changes since it (incremental_read.hpp). Only reads of
// every kind are saved, so that a baseline always holds everything a plan needs.
Result<provider::ReadResponse> EntraProvider::read(const provider::ReadRequest& request) {
  util::ProgressScope progress(m_graph->progress(), request.progress);
  ReadScope scope{request.kinds, request.user_emails};
  const bool whole = request.kinds.empty() || request.kinds.size() == 4;
  provider::ReadResponse response;
  response.defaults = entra_defaults();
  std::optional<Result<EarlyRead>> early = take_early_changes(request.baseline);
  if (request.baseline && whole) {
    IncrementalRead changes;
    if (early) {
      EarlyRead read = IDFORM_TRY(std::move(*early));
      changes = std::move(read.changes);
      if (changes.refused.empty()) {
        const std::size_t users = changes.snapshot.users.size();
        IDFORM_TRY(resolve_referenced_users(*m_graph, scope, changes.snapshot));
        // The users the config names but the tenant's objects do not refer to (only such are
        // looked up now) leave the mapping as it was; any other change maps it again.
        if (read.live && changes.snapshot.users.size() == users) {
          response.state = std::move(*read.live);
          if (request.keep_state) response.saved_state = std::move(read.saved_state);
          response.incremental = true;
          return response;
        }
      }
    } else {
      changes = IDFORM_TRY(changes_since(*request.baseline, scope));
    }
    if (changes.refused.empty()) {
      response.state = IDFORM_TRY(live_and_saved(changes.snapshot, request.keep_state ? &changes.cursors : nullptr,
                                                 scope, response.saved_state));
      response.incremental = true;
      return response;
    }
    response.full_read_reason = changes.refused;
  }
  std::optional<FeedCursors> cursors;
  if (request.keep_state && whole) cursors = IDFORM_TRY(latest_cursors(*m_graph));
  TenantSnapshot snapshot = IDFORM_TRY(read_tenant(*m_graph, scope));
  response.state = IDFORM_TRY(live_and_saved(snapshot, cursors ? &*cursors : nullptr, scope, response.saved_state));
  return response;
}

Result<provider::ApplyResponse> EntraProvider::apply(const provider::ApplyRequest& request) {
  util::ProgressScope progress(m_graph->progress(), request.progress);
  auto lookup = [&](const std::set<std::string>& emails) -> Result<common::UserIds> {
    TenantSnapshot found;
    IDFORM_TRY(resolve_users(*m_graph, "userPrincipalName", {emails.begin(), emails.end()}, found));
    common::UserIds ids;
    for (const auto& [id, user] : found.users) ids["user:" + util::to_lower(user.user_principal_name)] = id;
    return ids;
  };
  return common::apply_change(
      request, lookup,
      {.group = [&](const provider::ApplyRequest& r) { return apply_group(*m_graph, r); },
       .application = [&](const provider::ApplyRequest& r) { return apply_application(*m_graph, r); },
       .policy = [&](const provider::ApplyRequest& r) { return apply_policy(*m_graph, r); },
       .location = [&](const provider::ApplyRequest& r) { return apply_location(*m_graph, r); }});
}

Result<std::unique_ptr<provider::Provider>> make_entra_provider(const provider::TargetContext& context) {
  EntraSettings settings = IDFORM_TRY(parse_settings(context));
  http::TransportOptions options;
  options.ca_bundle = settings.ca_bundle;
  auto provider = std::make_unique<EntraProvider>(std::move(settings), http::make_curl_transport(options));
  IDFORM_TRY(provider->connect());
  return std::unique_ptr<provider::Provider>(std::move(provider));
}

}  // namespace idform::providers::entra
