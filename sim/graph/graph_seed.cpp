// Seeding the Graph tenant from vendor-native JSON (the convention is documented in
// docs/idp-sim.md, "Seed directories"):
//  1. Files are read recursively in path order. `*-request.json` files (request bodies) are
//     skipped; files under `_sim/` configure the simulator itself (trusted OIDC issuers, clients).
//  2. A file's meaning comes from, in order: its path when it mirrors a Graph URL
//     (`groups/{id}/members.json`, `servicePrincipals/{id}/appRoleAssignedTo.json`, `users.json`),
//     its @odata.context (`$metadata#groups(...)`, `servicePrincipals('x')/appRoleAssignedTo`,
//     `microsoft.graph.applicationServicePrincipal`, ...), its file-name prefix (`group-get.json`
//     -> groups), and finally each item's @odata.type.
//  3. An object may appear in several files (a full GET and a $select-ed list): the copies are
//     merged property by property, the later file (in path order) winning a conflict.
//  4. Objects without an id (a $select that left it out) get a deterministic one derived from the
//     file and position; delta pages are skipped (they describe changes, not state).
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/crypto.hpp"
#include "core/seed_files.hpp"
#include "graph/csdl.hpp"
#include "graph/entity_sets.hpp"
#include "graph/graph_flavor.hpp"

namespace idp_sim::graph {

namespace {

struct PendingObject {
  const EntitySet* set;
  Json object;
  std::string source;
};

struct PendingLink {
  std::string relation;
  std::string parent;
  std::string child;
  std::string child_kind;
};

struct Loader {
  std::vector<PendingObject> objects;
  std::vector<PendingLink> links;
  SeedReport& report;

  std::string synthetic_id(const std::string& source, std::size_t index) {
    std::string digest = sha256(source + "#" + std::to_string(index));
    std::string hex;
    static const char* kHex = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) {
      auto c = static_cast<unsigned char>(digest[static_cast<std::size_t>(i)]);
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20, 12);
  }

  void add_object(const EntitySet* set, Json object, const std::string& source, std::size_t index) {
    if (!object.is_object()) {
      report.warnings.push_back(source + ": item " + std::to_string(index) + " is not an object; skipped");
      return;
    }
    object.erase("@odata.context");
    if (!object.contains("id") || !object["id"].is_string()) {
      std::string id = synthetic_id(source, index);
      Json with_id = Json::object();
      with_id["id"] = id;
      for (const auto& [key, value] : object.items()) with_id[key] = value;
      object = std::move(with_id);
      report.warnings.push_back(source + ": item " + std::to_string(index) + " has no id; using " + id);
    }
    objects.push_back({set, std::move(object), source});
  }

  const EntitySet* set_for_type(const Json& item) {
    if (!item.is_object() || !item.contains("@odata.type") || !item["@odata.type"].is_string()) return nullptr;
    return entity_set_by_type(CsdlModel::strip_namespace(item["@odata.type"].get<std::string>()));
  }

  // Items of a relation file: each is an object of its own type and a link from the parent.
  void add_related(const std::string& relation, const std::string& parent, const std::vector<Json>& items,
                   const std::string& source, const EntitySet* default_set) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const EntitySet* set = set_for_type(items[i]);
      if (!set) set = default_set;
      if (!set) {
        report.warnings.push_back(source + ": item " + std::to_string(i) +
                                  " has no @odata.type, so its object type is unknown; skipped");
        continue;
      }
      add_object(set, items[i], source, i);
      if (!relation.empty()) {
        links.push_back({relation, parent, objects.back().object["id"].get<std::string>(), set->name});
      }
    }
  }

  // Items of a collection file.
  void add_items(const EntitySet* set, const std::vector<Json>& items, const std::string& source) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const EntitySet* item_set = set;
      if (const EntitySet* typed = set_for_type(items[i])) {
        if (!set || typed->name == set->name || set->directory_object) item_set = typed;
      }
      if (!item_set) {
        report.warnings.push_back(source + ": item " + std::to_string(i) +
                                  " has no @odata.type and the file does not say what it holds; skipped");
        continue;
      }
      add_object(item_set, items[i], source, i);
    }
  }
};

std::string quoted_key(const std::string& text, std::size_t open) {
  // "servicePrincipals('abc')" -> abc
  auto start = text.find('\'', open);
  auto end = start == std::string::npos ? std::string::npos : text.find('\'', start + 1);
  if (end == std::string::npos) return {};
  return text.substr(start + 1, end - start - 1);
}

const EntitySet* set_from_prefix(const std::string& name) {
  static const std::vector<std::pair<std::string, const EntitySet*>> prefixes = {
      {"groups", &groups_set()},
      {"group", &groups_set()},
      {"users", &users_set()},
      {"user", &users_set()},
      {"applications", &applications_set()},
      {"application", &applications_set()},
      {"servicePrincipals", &service_principals_set()},
      {"servicePrincipal", &service_principals_set()},
      {"conditionalAccessPolicies", &ca_policies_set()},
      {"conditionalAccessPolicy", &ca_policies_set()},
      {"namedLocations", &named_locations_set()},
      {"namedLocation", &named_locations_set()},
      {"appRoleAssignments", &app_role_assignments_set()},
      {"appRoleAssignment", &app_role_assignments_set()},
      {"appRoleAssignedTo", &app_role_assignments_set()},
      {"federatedIdentityCredentials", &federated_credentials_set()},
      {"federatedIdentityCredential", &federated_credentials_set()},
  };
  for (const auto& [prefix, set] : prefixes) {
    if (name == prefix) return set;
  }
  return nullptr;
}

// Interprets a document by its path: "users.json", "groups/x.json", "groups/{id}/members.json".
bool load_by_path(Loader& loader, const SeedDocument& document) {
  std::string path = document.relative_path.substr(0, document.relative_path.size() - 5);  // drop .json
  auto parts = split(path, '/');
  if (parts.size() == 3) {
    const EntitySet* parent = set_from_prefix(parts[0]);
    if (!parent) return false;
    const std::string& parent_id = parts[1];
    const std::string& navigation = parts[2];
    if (parent->type == "group" && (navigation == "members" || navigation == "owners")) {
      loader.add_related("groups." + navigation, parent_id, document.items(), document.relative_path, &users_set());
      return true;
    }
    if (navigation == "appRoleAssignedTo" || navigation == "appRoleAssignments") {
      loader.add_items(&app_role_assignments_set(), document.items(), document.relative_path);
      return true;
    }
    if (parent->type == "application" && navigation == "federatedIdentityCredentials") {
      loader.add_related("applications.federatedIdentityCredentials", parent_id, document.items(),
                         document.relative_path, &federated_credentials_set());
      return true;
    }
    return false;
  }
  if (parts.size() <= 2) {
    const EntitySet* set = set_from_prefix(parts[0]);
    if (set && (parts.size() == 2 || set->name == parts[0])) {
      loader.add_items(set, document.items(), document.relative_path);
      return true;
    }
  }
  return false;
}

// Interprets a document by its @odata.context.
bool load_by_context(Loader& loader, const SeedDocument& document) {
  if (!document.json.is_object() || !document.json.contains("@odata.context") ||
      !document.json["@odata.context"].is_string()) {
    return false;
  }
  std::string context = document.json["@odata.context"].get<std::string>();
  auto hash = context.find('#');
  if (hash == std::string::npos) return false;
  std::string fragment = context.substr(hash + 1);
  for (const char* prefix : {"identity/"}) {
    if (fragment.rfind(prefix, 0) == 0) fragment = fragment.substr(std::string(prefix).size());
  }
  const std::string& source = document.relative_path;
  if (fragment.rfind("microsoft.graph.applicationServicePrincipal", 0) == 0) {
    if (document.json.contains("application")) loader.add_items(&applications_set(), {document.json["application"]}, source);
    if (document.json.contains("servicePrincipal")) {
      loader.add_items(&service_principals_set(), {document.json["servicePrincipal"]}, source + "#servicePrincipal");
    }
    return true;
  }
  // Navigation: servicePrincipals('x')/appRoleAssignedTo, groups('x')/appRoleAssignments, ...
  auto open = fragment.find("('");
  if (open != std::string::npos) {
    std::string parent_set = fragment.substr(0, open);
    std::string parent_id = quoted_key(fragment, open);
    auto slash = fragment.find('/', open);
    std::string navigation = slash == std::string::npos ? "" : fragment.substr(slash + 1);
    navigation = navigation.substr(0, navigation.find('/'));
    navigation = navigation.substr(0, navigation.find('('));
    if (navigation == "appRoleAssignedTo" || navigation == "appRoleAssignments") {
      loader.add_items(&app_role_assignments_set(), document.items(), source);
      return true;
    }
    if (parent_set == "applications" && navigation == "federatedIdentityCredentials") {
      loader.add_related("applications.federatedIdentityCredentials", parent_id, document.items(), source,
                         &federated_credentials_set());
      return true;
    }
    if (parent_set == "groups" && (navigation == "members" || navigation == "owners")) {
      loader.add_related("groups." + navigation, parent_id, document.items(), source, nullptr);
      return true;
    }
    return false;
  }
  std::string head = fragment.substr(0, fragment.find_first_of("(/"));
  if (head == "conditionalAccess") {
    std::string rest = fragment.substr(std::string("conditionalAccess/").size());
    head = rest.substr(0, rest.find_first_of("(/"));
    head = head == "policies" ? "conditionalAccessPolicies" : head;
  }
  if (head == "directoryObjects") {
    loader.add_items(nullptr, document.items(), source);
    return true;
  }
  if (const EntitySet* set = set_from_prefix(head)) {
    loader.add_items(set, document.items(), source);
    return true;
  }
  return false;
}

bool load_by_file_name(Loader& loader, const SeedDocument& document) {
  std::string name = document.path.filename().string();
  std::string prefix = name.substr(0, name.find_first_of("-."));
  const EntitySet* set = set_from_prefix(prefix);
  if (!set) return false;
  loader.add_items(set, document.items(), document.relative_path);
  return true;
}

void load_sim_config(const SeedDocument& document, SeedReport& report) {
  std::string name = document.path.filename().string();
  if (name == "oidc-issuers.json") {
    for (const auto& entry : document.items()) {
      std::string issuer = entry.value("issuer", "");
      std::string error;
      std::optional<OidcIssuer> parsed;
      if (entry.contains("jwks")) {
        parsed = GraphAuth::issuer_from_text(issuer, entry["jwks"].dump(), error);
      } else if (entry.contains("certificate") && entry["certificate"].is_string()) {
        parsed = GraphAuth::issuer_from_text(issuer, entry["certificate"].get<std::string>(), error);
      } else {
        error = "needs 'jwks' or 'certificate'";
      }
      if (!parsed || issuer.empty()) {
        throw SeedError(document.relative_path + ": issuer '" + issuer + "': " + (issuer.empty() ? "no issuer" : error));
      }
      report.issuers.push_back(std::move(*parsed));
    }
  } else if (name == "clients.json") {
    for (const auto& entry : document.items()) {
      std::string app_id = entry.value("appId", "");
      if (app_id.empty()) throw SeedError(document.relative_path + ": every client needs an appId");
      for (const auto& secret : entry.value("secrets", Json::array())) {
        if (secret.is_string()) report.client_secrets.emplace_back(app_id, secret.get<std::string>());
      }
      for (const auto& pem : entry.value("certificates", Json::array())) {
        std::string error;
        auto certificate = pem.is_string() ? certificate_from_text(pem.get<std::string>(), error) : std::nullopt;
        if (!certificate) throw SeedError(document.relative_path + ": client " + app_id + ": " + error);
        report.client_certificates.emplace_back(app_id, *certificate);
      }
    }
  } else {
    report.warnings.push_back(document.relative_path + ": unknown idp-sim configuration file; skipped");
  }
}

bool is_delta_page(const Json& json) {
  if (!json.is_object()) return false;
  if (json.contains("@odata.deltaLink")) return true;
  if (json.contains("@odata.nextLink") && json["@odata.nextLink"].is_string()) {
    return json["@odata.nextLink"].get<std::string>().find("/delta") != std::string::npos;
  }
  return false;
}

// Merges copies of one object: later copy wins per property; key order of the largest copy.
Json merge_copies(const std::vector<const Json*>& copies) {
  const Json* largest = copies.front();
  for (const auto* copy : copies) {
    if (copy->size() > largest->size()) largest = copy;
  }
  Json merged = Json::object();
  for (const auto& [key, value] : largest->items()) merged[key] = value;
  for (const auto* copy : copies) {
    for (const auto& [key, value] : copy->items()) merged[key] = value;
  }
  return merged;
}

}  // namespace

SeedReport load_graph_seed(const std::filesystem::path& directory, TenantData& data) {
  SeedReport report;
  Loader loader{{}, {}, report};
  for (const auto& document : read_seed_documents(directory)) {
    const std::string& path = document.relative_path;
    std::string file_name = document.path.filename().string();
    if (path.rfind("_sim/", 0) == 0) {
      load_sim_config(document, report);
      continue;
    }
    if (file_name.size() > 13 && file_name.compare(file_name.size() - 13, 13, "-request.json") == 0) continue;
    if (is_delta_page(document.json)) {
      report.warnings.push_back(path + ": delta page (changes, not state); skipped");
      continue;
    }
    if (load_by_path(loader, document) || load_by_context(loader, document) || load_by_file_name(loader, document)) {
      continue;
    }
    // Last resort: every item names its own type.
    bool typed = true;
    for (const auto& item : document.items()) typed = typed && loader.set_for_type(item);
    if (typed && !document.items().empty()) {
      loader.add_items(nullptr, document.items(), path);
    } else {
      report.warnings.push_back(path + ": cannot tell which Graph objects this file holds; skipped");
    }
  }

  // Group copies of the same object, keep first-seen order, merge, then store.
  std::map<std::string, std::vector<const PendingObject*>> copies;
  std::vector<std::string> order;
  std::map<std::string, std::string> type_of_id;
  for (const auto& pending : loader.objects) {
    std::string id = to_lower(pending.object["id"].get<std::string>());
    std::string key = pending.set->name + "/" + id;
    if (!copies.count(key)) order.push_back(key);
    copies[key].push_back(&pending);
    if (pending.set->directory_object) {
      auto [it, inserted] = type_of_id.emplace(id, pending.set->name);
      if (!inserted && it->second != pending.set->name) {
        report.warnings.push_back("id " + id + " is used by both " + it->second + " and " + pending.set->name +
                                  " (directory object ids are unique in a real tenant)");
      }
    }
  }
  for (const auto& key : order) {
    const auto& group = copies[key];
    std::vector<const Json*> jsons;
    for (const auto* pending : group) jsons.push_back(&pending->object);
    Json merged = merge_copies(jsons);
    const EntitySet* set = group.front()->set;
    std::string id = merged["id"].get<std::string>();
    data.collection(set->name).insert(id, std::move(merged), data.take_sequence(), 0);
    ++report.objects;
  }
  for (const auto& link : loader.links) {
    Link stored;
    stored.child_id = link.child;
    stored.child_kind = link.child_kind;
    stored.sequence = data.take_sequence();
    data.relation(link.relation).add(link.parent, stored);
    ++report.links;
  }
  return report;
}

}  // namespace idp_sim::graph
