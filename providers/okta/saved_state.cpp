// The saved state of an Okta read (incremental_read.hpp): the raw snapshot and the System Log
// cursor as JSON, for the snapshot cache. App objects can carry an OIDC client secret
// (credentials.oauthClient.client_secret); it is removed before anything is saved.
#include <exception>

#include "providers/okta/incremental_read.hpp"

namespace idform::providers::okta {
namespace {

void drop_secrets(nlohmann::json& value) {
  if (value.is_object()) {
    value.erase("client_secret");
    for (auto& [key, child] : value.items()) drop_secrets(child);
  } else if (value.is_array()) {
    for (auto& child : value) drop_secrets(child);
  }
}

}  // namespace

nlohmann::json encode_state(const TenantSnapshot& snapshot, const FeedCursors& cursors) {
  nlohmann::json users = nlohmann::json::object();
  for (const auto& [id, user] : snapshot.users) users[id] = {user.login, user.display_name};
  nlohmann::json apps = snapshot.apps;
  drop_secrets(apps);
  return {{"version", kStateVersion},
          {"groups", snapshot.groups},
          {"members", snapshot.members},
          {"apps", std::move(apps)},
          {"assignments", snapshot.assignments},
          {"policies", snapshot.policies},
          {"rules", snapshot.rules},
          {"zones", snapshot.zones},
          {"users", std::move(users)},
          {"cursors", {{"log_since", cursors.log_since}}}};
}

std::optional<std::pair<TenantSnapshot, FeedCursors>> decode_state(const nlohmann::json& state) {
  // nlohmann::json throws on a value of the wrong type: caught here, where the cache comes in.
  try {
    if (!state.is_object() || state.value("version", "") != kStateVersion) return std::nullopt;
    TenantSnapshot snapshot;
    snapshot.groups = state.at("groups").get<std::vector<nlohmann::json>>();
    snapshot.members = state.at("members").get<std::map<std::string, std::vector<std::string>>>();
    snapshot.apps = state.at("apps").get<std::vector<nlohmann::json>>();
    snapshot.assignments = state.at("assignments").get<std::map<std::string, std::vector<nlohmann::json>>>();
    snapshot.policies = state.at("policies").get<std::vector<nlohmann::json>>();
    snapshot.rules = state.at("rules").get<std::map<std::string, std::vector<nlohmann::json>>>();
    snapshot.zones = state.at("zones").get<std::vector<nlohmann::json>>();
    for (const auto& [id, user] : state.at("users").items())
      snapshot.users[id] = {id, user.at(0).get<std::string>(), user.at(1).get<std::string>()};
    FeedCursors cursors{state.at("cursors").at("log_since").get<std::string>()};
    return std::make_pair(std::move(snapshot), std::move(cursors));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace idform::providers::okta
