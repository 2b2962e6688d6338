// The differ pairs every desired resource with its live counterpart and compares them field by
// field, using the kind's field catalogue.
//
// Pairing: a pinned `id:` wins; otherwise (kind, name), and two live objects of one name is an
// error naming both ids, never a guess. Comparison covers only the fields the config states
// (absent = unmanaged; an explicit empty list = must be empty). Both sides are normalised first,
// set-like fields compare as sets, and member/assignment lists report the elements added and
// removed. Entries whose `expires:` date has passed are dropped from the desired side, so the
// live membership is removed and the plan says why. Most objects of a large config are
// unchanged, so that is decided first, on a few threads and without building normalised specs
// (is_unchanged); only the others are compared in full. Live objects nobody declares are unmanaged:
// counted, or deleted where `manage.<kind>.prune` allows. Finally, changes get dependencies
// (a reference to an object created in this plan; a delete waits for everything that still
// refers to the deleted object) and are ordered for apply.

#include "reconciler/plan/differ.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <regex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "reconciler/model/normalize.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/plan/ordering.hpp"
#include "reconciler/util/date.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::plan {
namespace {

using model::FieldType;
using model::Kind;
using model::Resource;

std::string fingerprint_of(const Resource& live, const nlohmann::json& normalized_spec) {
  nlohmann::json canonical = {{"kind", model::kind_prefix(live.kind)},
                              {"name", live.name},
                              {"id", live.id},
                              {"spec", normalized_spec}};
  return util::sha256_hex(canonical.dump());
}

bool is_set_type(FieldType type) {
  return type != FieldType::string && type != FieldType::boolean && type != FieldType::duration;
}

// The string elements of a list, sorted and unique (normalised lists already are).
std::vector<std::string_view> sorted_elements(const nlohmann::json* value) {
  std::vector<std::string_view> out;
  if (!value || !value->is_array()) return out;
  out.reserve(value->size());
  for (const auto& item : *value)
    if (item.is_string()) out.emplace_back(item.get_ref<const std::string&>());
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> elements_of(const nlohmann::json* value) {
  std::vector<std::string> out;
  if (!value || !value->is_array()) return out;
  for (const auto& item : *value)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// Removes expired member entries from a normalised desired spec; returns element -> note.
std::map<std::string, std::string> drop_expired(const Resource& desired, nlohmann::json& spec,
                                                const std::string& today) {
  std::map<std::string, std::string> expired;
  for (const char* path : {"members", "assignments"}) {
    const model::Field* field = model::find_field(desired.kind, path);
    const nlohmann::json* value = model::find_path(spec, path);
    if (!field || !value) continue;
    // Only entries with a date in the past matter; most entries have no date at all.
    std::map<std::string, std::string> past;
    for (const auto& [raw, info] : desired.entry_info)
      if (!info.expires.empty() && info.expires < today)
        past.emplace(model::normalize_element(field->type, raw), info.expires);
    if (past.empty()) continue;
    nlohmann::json kept = nlohmann::json::array();
    for (const std::string& element : elements_of(value)) {
      auto found = past.find(element);
      if (found == past.end()) {
        kept.push_back(element);
        continue;
      }
      expired[element] = "expired on " + found->second;
    }
    model::set_path(spec, path, std::move(kept));
  }
  return expired;
}

std::vector<AttributeChange> compare(const Resource& desired, const nlohmann::json& want,
                                     const nlohmann::json& have,
                                     const std::map<std::string, std::string>& expired) {
  std::vector<AttributeChange> changes;
  for (const model::Field& field : model::fields_of(desired.kind)) {
    const nlohmann::json* wanted = model::find_path(want, field.path);
    if (!wanted) continue;  // not stated in the config: not managed
    const nlohmann::json* current = model::find_path(have, field.path);
    AttributeChange change;
    change.path = std::string(field.path);
    if (!is_set_type(field.type)) {
      nlohmann::json before = current ? *current : nlohmann::json();
      if (before == *wanted) continue;
      change.before = std::move(before);
      change.after = *wanted;
      changes.push_back(std::move(change));
      continue;
    }
    std::vector<std::string_view> want_set = sorted_elements(wanted);
    std::vector<std::string_view> have_set = sorted_elements(current);
    change.is_set = true;
    std::vector<std::string_view> removed;
    std::size_t w = 0, h = 0;
    while (w < want_set.size() || h < have_set.size()) {
      if (h == have_set.size() || (w < want_set.size() && want_set[w] < have_set[h])) {
        change.added.emplace_back(want_set[w++]);
      } else if (w == want_set.size() || have_set[h] < want_set[w]) {
        removed.push_back(have_set[h++]);
      } else {
        ++w;
        ++h;
      }
    }
    bool additive = field.type == FieldType::members && desired.additive_members;
    for (std::string_view element_view : removed) {
      std::string element(element_view);
      auto note = expired.find(element);
      if (additive && note == expired.end()) continue;
      change.removed.push_back(element);
      if (note != expired.end()) change.notes[element] = note->second;
    }
    if (change.added.empty() && change.removed.empty()) continue;
    change.before = current ? *current : nlohmann::json::array();
    change.after = *wanted;
    changes.push_back(std::move(change));
  }
  return changes;
}

std::vector<AttributeChange> describe_create(const Resource& desired, const nlohmann::json& want) {
  std::vector<AttributeChange> changes;
  for (const model::Field& field : model::fields_of(desired.kind)) {
    const nlohmann::json* wanted = model::find_path(want, field.path);
    if (!wanted) continue;
    AttributeChange change;
    change.path = std::string(field.path);
    change.after = *wanted;
    if (is_set_type(field.type)) {
      change.is_set = true;
      change.added = elements_of(wanted);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

// Normalising leaves this element as it is: the case of every other string of a member or
// reference list, and of every element of a plain set.
bool already_normal(FieldType type, std::string_view element) {
  switch (type) {
    case FieldType::set: return true;
    case FieldType::members:
    case FieldType::reference_set:
      return !element.starts_with("user:") ||
             std::none_of(element.begin() + 5, element.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    default: return false;
  }
}

// The elements normalize_spec would give a list, sorted and unique, as views: of the element
// itself where normalising leaves it as it is, else of a normalised copy kept in `store`.
std::vector<std::string_view> normalized_elements(FieldType type, const nlohmann::json* value,
                                                  std::deque<std::string>& store) {
  std::vector<std::string_view> out;
  if (!value || !value->is_array()) return out;
  out.reserve(value->size());
  for (const auto& item : *value) {
    if (!item.is_string()) continue;
    const std::string& element = item.get_ref<const std::string&>();
    if (already_normal(type, element)) {
      out.emplace_back(element);
    } else {
      store.push_back(model::normalize_element(type, element));
      out.emplace_back(store.back());
    }
  }
  if (!std::is_sorted(out.begin(), out.end())) std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A value as normalize_spec leaves a field that is not a list.
nlohmann::json normalized_scalar(FieldType type, const nlohmann::json* value) {
  if (!value) return nullptr;
  if (type == FieldType::duration && value->is_string()) return model::normalize_duration(value->get<std::string>());
  return *value;
}

// The user a normalised element refers to by address, as check_users reads it; empty when none.
// A user written "id:<ID>" is not looked up: the tenant may know it only by id (a guest, a
// deleted user a policy still names), and the provider resolves it as it is.
std::string_view user_of(FieldType type, std::string_view element) {
  std::string_view user;
  switch (type) {
    case FieldType::set_ci: user = element; break;
    case FieldType::members:
    case FieldType::reference_set: user = element.starts_with("user:") ? element.substr(5) : std::string_view{}; break;
    case FieldType::assignments: {
      std::string_view principal = element.substr(0, element.find("|role:"));
      user = principal.starts_with("user:") ? principal.substr(5) : std::string_view{};
      break;
    }
    default: return {};
  }
  return user.starts_with("id:") ? std::string_view{} : user;
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
using UserSet = std::unordered_set<std::string, TransparentHash, std::equal_to<>>;

// The email a location key names ("members[user:Alice@x]" -> "alice@x",
// "assignments[user:bob@x|role:admin]" -> "bob@x", "owners[carol@x]" -> "carol@x"), or "".
std::string email_in_key(std::string_view key) {
  auto open = key.find('[');
  if (open == std::string_view::npos || !key.ends_with("]")) return {};
  std::string_view element = key.substr(open + 1, key.size() - open - 2);
  element = element.substr(0, element.find("|role:"));
  if (element.starts_with("user:")) element.remove_prefix(5);
  return util::to_lower(element);
}

// Users referenced by the config must exist in the tenant's directory. `want` is normalised, so
// user parts are lower case already. Where each unknown user was written is found with one pass
// over the resource's locations, however many users are unknown: a search of every location per
// unknown user made a group of 16,000 members new to the tenant take minutes.
void check_users(const Resource& desired, const nlohmann::json& want, const UserSet& known_users,
                 Diagnostics& errors) {
  std::vector<std::string> unknown;
  for (const model::Field& field : model::fields_of(desired.kind)) {
    const nlohmann::json* list = model::find_path(want, field.path);
    if (!list || !list->is_array()) continue;
    for (const auto& item : *list) {
      if (!item.is_string()) continue;
      std::string_view email = user_of(field.type, item.get_ref<const std::string&>());
      if (!email.empty() && !known_users.contains(email)) unknown.emplace_back(email);
    }
  }
  if (unknown.empty()) return;
  std::unordered_map<std::string, SourceLocation> written;  // email -> first place it was written
  for (const auto& [key, where] : desired.locations.entries())
    if (std::string email = email_in_key(key); !email.empty()) written.try_emplace(std::move(email), where);
  for (const std::string& email : unknown) {
    Error error{"user \"" + email + "\" does not exist in the tenant", {}, desired.address(), {}};
    auto found = written.find(email);
    error.where = found != written.end() ? found->second : desired.where;
    errors.push_back(std::move(error));
  }
}

bool states_no_field(const Resource& desired) {
  for (const model::Field& field : model::fields_of(desired.kind))
    if (model::find_path(desired.spec, field.path)) return false;
  return true;
}

class Differ {
 public:
  Differ(const model::LiveState& live, const DiffSettings& settings)
      : m_live(live), m_settings(settings) {
    for (const model::User& user : live.users) m_users.insert(util::to_lower(user.email));
    for (size_t i = 0; i < live.resources.size(); ++i) {
      const Resource& resource = live.resources[i];
      m_by_id[resource.id] = i;
      m_by_name[{resource.kind, resource.name}].push_back(i);
    }
  }

  DiffResult run(const model::DesiredState& desired) {
    m_result.plan.expiring_within_days = m_settings.expiring_within_days;
    std::vector<char> unchanged = find_unchanged(desired.resources);
    for (size_t i = 0; i < desired.resources.size(); ++i) visit(desired.resources[i], unchanged[i]);
    collect_unmanaged();
    for (const std::string& cycle : order_changes(m_result.plan.changes))
      m_result.errors.push_back({"the changes depend on each other in a cycle: " + cycle,
                                 "break the cycle in the config (an object cannot wait for itself)", "", {}});
    return std::move(m_result);
  }

 private:
  struct Match {
    const Resource* live = nullptr;
    bool failed = false;
  };

  // The live object match() pairs `desired` with when it finds exactly one, without reporting.
  const Resource* unique_live(const Resource& desired) const {
    if (!desired.id.empty()) {
      auto found = m_by_id.find(desired.id);
      if (found == m_by_id.end() || m_live.resources[found->second].kind != desired.kind) return nullptr;
      return &m_live.resources[found->second];
    }
    auto found = m_by_name.find({desired.kind, desired.name});
    if (found == m_by_name.end() || found->second.size() != 1) return nullptr;
    return &m_live.resources[found->second.front()];
  }

  // Which desired objects are certainly unchanged (is_unchanged). That is most of a large plan's
  // work, it only reads, and each object is decided alone, so it runs on a few threads, taking
  // blocks of objects in turn. An object whose check throws is left to the full path, which
  // throws as it always did.
  std::vector<char> find_unchanged(const std::vector<Resource>& desired) const {
    std::vector<char> out(desired.size(), 0);
    constexpr std::size_t kBlock = 64;
    unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    if (desired.size() < 4 * kBlock) threads = 1;
    util::for_each_index((desired.size() + kBlock - 1) / kBlock, threads, [&](std::size_t block) {
      const std::size_t begin = block * kBlock;
      for (std::size_t i = begin; i < std::min(begin + kBlock, desired.size()); ++i) {
        const Resource* live = unique_live(desired[i]);
        if (!live || live->read_only || desired[i].lifecycle != model::Lifecycle::present) continue;
        try {
          out[i] = is_unchanged(desired[i], *live);
        } catch (...) {
          out[i] = 0;
        }
      }
    });
    return out;
  }

  Match match(const Resource& desired) {
    if (!desired.id.empty()) {
      auto found = m_by_id.find(desired.id);
      if (found == m_by_id.end() || m_live.resources[found->second].kind != desired.kind) {
        m_result.errors.push_back({"id \"" + desired.id + "\" pinned by " + desired.address() +
                                       " does not exist in the tenant",
                                   "remove the id: to create a new object, or correct it",
                                   desired.address(), desired.where});
        return {nullptr, true};
      }
      return {&m_live.resources[found->second], false};
    }
    auto found = m_by_name.find({desired.kind, desired.name});
    if (found == m_by_name.end()) return {};
    if (found->second.size() > 1) {
      std::vector<std::string> ids;
      for (size_t index : found->second) ids.push_back(m_live.resources[index].id);
      m_result.errors.push_back({std::to_string(ids.size()) + " live " +
                                     std::string(model::kind_label(desired.kind)) + "s are named \"" +
                                     desired.name + "\" (ids " + util::join(ids, ", ") + ")",
                                 "pin the intended one with id: in the config", desired.address(),
                                 desired.where});
      // Neither is unmanaged: the config means one of them.
      for (size_t index : found->second) m_matched.insert(m_live.resources[index].id);
      return {nullptr, true};
    }
    return {&m_live.resources[found->second.front()], false};
  }

  // `known_unchanged`: find_unchanged found it so.
  void visit(const Resource& desired, bool known_unchanged) {
    auto [live, failed] = match(desired);
    if (failed) return;
    if (live) m_matched.insert(live->id);
    if (live && live->read_only) {
      // A document that states nothing but the object's name (and id) only declares it, so that
      // references to it resolve (idform import writes built-in objects other objects name so).
      if (desired.lifecycle == model::Lifecycle::present && states_no_field(desired)) return;
      m_result.errors.push_back({live->address() + " is built in to the identity provider and cannot be managed",
                                 "remove it from the configuration", desired.address(), desired.where});
      return;
    }

    Change change;
    change.address = desired.address();
    change.kind = desired.kind;
    change.name = desired.name;

    if (desired.lifecycle == model::Lifecycle::absent) {
      if (!live) return;  // already gone
      change.action = Action::delete_;
      change.reason = "state: absent";
      change.declared_absent = true;
      fill_live(change, *live);
      m_result.plan.changes.push_back(std::move(change));
      return;
    }

    if (live && known_unchanged) {
      record_grants(desired, nullptr);
      ++m_result.plan.unchanged;
      return;
    }
    nlohmann::json want = model::normalize_spec(desired.kind, desired.spec);
    auto expired = drop_expired(desired, want, m_settings.today);
    check_users(desired, want, m_users, m_result.errors);

    if (!live) {
      record_grants(desired, nullptr, false);
      change.action = Action::create;
      change.attributes = describe_create(desired, want);
      change.desired = std::move(want);
      m_result.plan.changes.push_back(std::move(change));
      return;
    }
    change.id = live->id;
    change.live = model::normalize_spec(live->kind, live->spec);
    change.attributes = compare(desired, want, change.live, expired);
    record_grants(desired, &change.live);
    if (live->name != desired.name) {
      AttributeChange rename;
      rename.path = "name";
      rename.before = live->name;
      rename.after = desired.name;
      change.attributes.insert(change.attributes.begin(), std::move(rename));
    }
    if (change.attributes.empty()) {
      ++m_result.plan.unchanged;
      return;
    }
    change.desired = std::move(want);
    change.fingerprint = fingerprint_of(*live, change.live);
    change.action = Action::update;
    m_result.plan.changes.push_back(std::move(change));
  }

  // Whether the full comparison below would find nothing to change and nothing to report,
  // decided without building the normalised specs: most objects of a large config are unchanged,
  // and building them copies every member twice. Only a sure "unchanged" counts; anything else
  // (a rename, an expiry passed, a user missing, a difference) goes the full way, which says what
  // and why.
  bool is_unchanged(const Resource& desired, const Resource& live) const {
    if (live.name != desired.name) return false;
    for (const auto& [element, info] : desired.entry_info)
      if (!info.expires.empty() && info.expires < m_settings.today) return false;
    std::deque<std::string> store;
    for (const model::Field& field : model::fields_of(desired.kind)) {
      const nlohmann::json* wanted = model::find_path(desired.spec, field.path);
      if (!wanted) continue;
      const nlohmann::json* current = model::find_path(live.spec, field.path);
      if (!is_set_type(field.type)) {
        if (wanted->is_array() || (current && current->is_array())) return false;
        if (normalized_scalar(field.type, current) != normalized_scalar(field.type, wanted)) return false;
        continue;
      }
      std::vector<std::string_view> want_set = normalized_elements(field.type, wanted, store);
      for (std::string_view element : want_set) {
        std::string_view email = user_of(field.type, element);
        if (!email.empty() && !m_users.contains(email)) return false;
      }
      std::vector<std::string_view> have_set = normalized_elements(field.type, current, store);
      bool additive = field.type == FieldType::members && desired.additive_members;
      bool same = additive ? std::includes(have_set.begin(), have_set.end(), want_set.begin(), want_set.end())
                           : want_set == have_set;
      if (!same) return false;
    }
    return true;
  }

  // The entries written with expires: or reason:, as this plan leaves them. `live_spec` is the
  // normalised live spec when known; without it every entry is kept (`in_tenant`) or added.
  void record_grants(const Resource& desired, const nlohmann::json* live_spec, bool in_tenant = true) {
    if (desired.entry_info.empty()) return;
    const char* path = desired.kind == Kind::application ? "assignments" : "members";
    const model::Field* field = model::find_field(desired.kind, path);
    if (!field) return;
    const nlohmann::json* have = live_spec ? model::find_path(*live_spec, path) : nullptr;
    for (const auto& [raw, info] : desired.entry_info) {
      Grant grant{desired.address(), model::normalize_element(field->type, raw), path, info.expires, info.reason, "", -1};
      if (!info.expires.empty()) grant.days_left = util::days_between(m_settings.today, info.expires).value_or(-1);
      bool present = live_spec ? have && have->is_array() && std::find(have->begin(), have->end(), grant.element) != have->end()
                               : in_tenant;
      if (!info.expires.empty() && info.expires < m_settings.today) grant.status = "expired";
      else grant.status = present ? "kept" : "added";
      if (grant.status == "expired" && !present) continue;  // gone already: nothing to say
      m_result.plan.grants.push_back(std::move(grant));
    }
  }

  void fill_live(Change& change, const Resource& live) {
    change.id = live.id;
    change.live = model::normalize_spec(live.kind, live.spec);
    change.fingerprint = fingerprint_of(live, change.live);
  }

  void collect_unmanaged() {
    for (const Resource& live : m_live.resources) {
      if (m_matched.contains(live.id)) continue;
      if (live.read_only || !prunable(live)) {
        m_result.plan.unmanaged.push_back({live.address(), live.id});
        continue;
      }
      Change change;
      change.address = live.address();
      change.kind = live.kind;
      change.name = live.name;
      change.action = Action::delete_;
      change.reason = "not in config (manage." + std::string(model::kind_plural(live.kind)) + ".prune)";
      fill_live(change, live);
      m_result.plan.changes.push_back(std::move(change));
    }
  }

  bool prunable(const Resource& live) {
    auto rule = m_settings.manage.find(live.kind);
    if (rule == m_settings.manage.end() || !rule->second.prune) return false;
    if (rule->second.match.empty()) return true;
    auto compiled = m_patterns.find(live.kind);
    if (compiled == m_patterns.end())
      compiled = m_patterns.emplace(live.kind, std::regex(rule->second.match)).first;
    return std::regex_search(live.name, compiled->second);
  }

  const model::LiveState& m_live;
  const DiffSettings& m_settings;
  std::map<Kind, std::regex> m_patterns;
  DiffResult m_result;
  UserSet m_users;
  std::map<std::string, size_t> m_by_id;
  std::map<std::pair<Kind, std::string>, std::vector<size_t>> m_by_name;
  std::set<std::string> m_matched;
};

}  // namespace

DiffResult diff(const model::DesiredState& desired, const model::LiveState& live,
                const DiffSettings& settings) {
  return Differ(live, settings).run(desired);
}

std::string fingerprint(const Resource& live) {
  return fingerprint_of(live, model::normalize_spec(live.kind, live.spec));
}

}  // namespace idform::plan
