// The saved state of an Entra read (incremental_read.hpp): the raw snapshot and the feed cursors
// as JSON, for the snapshot cache. Holds only what a read returns ($select lists without
// credentials), so never a secret. Every member or owner id is saved once, in `objects`, and each
// member or owner list is one string of positions in it ("0 17 23"); each user is saved once in
// `users`, and the type of every other member or owner once in `object_types`. A large tenant's
// half a million memberships are then 5,000 short strings, not 20 MB of ids nor half a million
// JSON numbers to build, write and parse again.
#include <algorithm>
#include <charconv>
#include <exception>
#include <stdexcept>
#include <unordered_map>

#include "providers/entra/incremental_read.hpp"

namespace idform::providers::entra {
namespace {

using IdLists = std::map<std::string, std::vector<std::string>>;

// Each id of the lists once, in order of first appearance, and the lists as positions in it.
class ObjectTable {
 public:
  nlohmann::json positions(const IdLists& lists) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [owner, ids] : lists) {
      std::string text;
      text.reserve(ids.size() * 7);
      for (const auto& id : ids) {
        if (!text.empty()) text += ' ';
        text += std::to_string(position(id));
      }
      out[owner] = std::move(text);
    }
    return out;
  }
  nlohmann::json take_ids() { return std::move(m_ids); }

 private:
  std::size_t position(const std::string& id) {
    auto [found, added] = m_positions.try_emplace(id, m_ids.size());
    if (added) m_ids.push_back(id);
    return found->second;
  }
  std::unordered_map<std::string, std::size_t> m_positions;
  nlohmann::json m_ids = nlohmann::json::array();
};

// The lists back from positions into `objects`; anything but positions in it, one space apart,
// is a damaged cache (thrown, and refused where the state comes in).
IdLists resolve_positions(const nlohmann::json& lists, const std::vector<std::string>& objects) {
  IdLists out;
  for (const auto& [owner, positions] : lists.items()) {
    const std::string& text = positions.get_ref<const std::string&>();
    std::vector<std::string>& ids = out[owner];
    ids.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ')) + 1);
    const char* at = text.data();
    const char* end = at + text.size();
    while (at != end) {
      std::size_t position = 0;
      auto [next, error] = std::from_chars(at, end, position);
      if (error != std::errc{} || (next != end && *next != ' ') || (next != end && next + 1 == end))
        throw std::invalid_argument("a member list that is not positions");
      ids.push_back(objects.at(position));
      at = next == end ? end : next + 1;
    }
  }
  return out;
}

}  // namespace

nlohmann::json encode_state(const TenantSnapshot& snapshot, const FeedCursors& cursors) {
  nlohmann::json users = nlohmann::json::object();
  for (const auto& [id, user] : snapshot.users) users[id] = {user.user_principal_name, user.display_name};
  ObjectTable table;
  nlohmann::json members = table.positions(snapshot.members);
  nlohmann::json owners = table.positions(snapshot.owners);
  return {{"version", kStateVersion},
          {"groups", snapshot.groups},
          {"objects", table.take_ids()},
          {"members", std::move(members)},
          {"owners", std::move(owners)},
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
    const auto objects = state.at("objects").get<std::vector<std::string>>();
    snapshot.members = resolve_positions(state.at("members"), objects);
    snapshot.owners = resolve_positions(state.at("owners"), objects);
    snapshot.object_types = state.at("object_types").get<std::map<std::string, std::string>>();
    snapshot.applications = state.at("applications").get<std::vector<nlohmann::json>>();
    snapshot.service_principals = state.at("service_principals").get<std::map<std::string, nlohmann::json>>();
    snapshot.assignments = state.at("assignments").get<std::map<std::string, std::vector<nlohmann::json>>>();
    snapshot.policies = state.at("policies").get<std::vector<nlohmann::json>>();
    snapshot.locations = state.at("locations").get<std::vector<nlohmann::json>>();
    for (const auto& [id, user] : state.at("users").items())
      snapshot.users[id] = {id, user.at(0).get<std::string>(), user.at(1).get<std::string>()};
    std::optional<FeedCursors> feeds = decode_cursors(state.at("cursors"));
    if (!feeds) return std::nullopt;
    return std::make_pair(std::move(snapshot), std::move(*feeds));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<FeedCursors> decode_cursors(const nlohmann::json& cursors) {
  try {
    FeedCursors feeds{cursors.at("groups").get<std::string>(), cursors.at("applications").get<std::string>(),
                      cursors.at("service_principals").get<std::string>(),
                      cursors.at("audits_since").get<std::string>()};
    if (feeds.groups.empty() || feeds.applications.empty() || feeds.service_principals.empty()) return std::nullopt;
    return feeds;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace idform::providers::entra
