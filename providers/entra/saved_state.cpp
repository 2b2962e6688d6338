// The saved state of an Entra read (incremental_read.hpp): the raw snapshot and the feed cursors
// as JSON, for the snapshot cache. Holds only what a read returns ($select lists without
// credentials), so never a secret. Members and owners are saved as ids, with each user once in
// `users` and the type of every other member or owner once in `object_types`: a large tenant's
// half a million memberships are half a million ids, not half a million directory objects.
#include <exception>

#include "providers/entra/incremental_read.hpp"

namespace idform::providers::entra {

nlohmann::json encode_state(const TenantSnapshot& snapshot, const FeedCursors& cursors) {
  nlohmann::json users = nlohmann::json::object();
  for (const auto& [id, user] : snapshot.users) users[id] = {user.user_principal_name, user.display_name};
  return {{"version", kStateVersion},
          {"groups", snapshot.groups},
          {"members", snapshot.members},
          {"owners", snapshot.owners},
          {"applications", snapshot.applications},
          {"service_principals", snapshot.service_principals},
          {"assignments", snapshot.assignments},
          {"policies", snapshot.policies},
          {"locations", snapshot.locations},
          {"users", std::move(users)},
          {"object_types", snapshot.object_types},
          {"cursors",
           {{"groups", cursors.groups},
            {"applications", cursors.applications},
            {"service_principals", cursors.service_principals},
            {"audits_since", cursors.audits_since}}}};
}

std::optional<std::pair<TenantSnapshot, FeedCursors>> decode_state(const nlohmann::json& state) {
  // nlohmann::json throws on a value of the wrong type: caught here, where the cache comes in.
  try {
    if (!state.is_object() || state.value("version", "") != kStateVersion) return std::nullopt;
    TenantSnapshot snapshot;
    snapshot.groups = state.at("groups").get<std::vector<nlohmann::json>>();
    snapshot.members = state.at("members").get<std::map<std::string, std::vector<std::string>>>();
    snapshot.owners = state.at("owners").get<std::map<std::string, std::vector<std::string>>>();
    snapshot.object_types = state.at("object_types").get<std::map<std::string, std::string>>();
    snapshot.applications = state.at("applications").get<std::vector<nlohmann::json>>();
    snapshot.service_principals = state.at("service_principals").get<std::map<std::string, nlohmann::json>>();
    snapshot.assignments = state.at("assignments").get<std::map<std::string, std::vector<nlohmann::json>>>();
    snapshot.policies = state.at("policies").get<std::vector<nlohmann::json>>();
    snapshot.locations = state.at("locations").get<std::vector<nlohmann::json>>();
    for (const auto& [id, user] : state.at("users").items())
      snapshot.users[id] = {id, user.at(0).get<std::string>(), user.at(1).get<std::string>()};
    const nlohmann::json& cursors = state.at("cursors");
    FeedCursors feeds{cursors.at("groups").get<std::string>(), cursors.at("applications").get<std::string>(),
                      cursors.at("service_principals").get<std::string>(),
                      cursors.at("audits_since").get<std::string>()};
    if (feeds.groups.empty() || feeds.applications.empty() || feeds.service_principals.empty()) return std::nullopt;
    return std::make_pair(std::move(snapshot), std::move(feeds));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace idform::providers::entra
