// The sandbox provider: a tenant in a JSON file, so idform works offline.
#include "providers/local/local_provider.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "providers/common/settings_schema.hpp"
#include "providers/local/sandbox_shape.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/parallel.hpp"
#include "reconciler/util/private_file.hpp"

namespace idform::providers {
namespace {

using model::FieldType;
using model::Kind;

constexpr const char* kFormat = "idform-sandbox/1";

bool is_reference_field(FieldType type) {
  return type == FieldType::members || type == FieldType::reference_set ||
         type == FieldType::assignments || type == FieldType::set_ci;
}

// Rewrites every reference element of a spec with `map`, which returns nullopt when it cannot.
template <typename Map>
Result<nlohmann::json> map_references(Kind kind, nlohmann::json spec, Map map) {
  for (const model::Field& field : model::fields_of(kind)) {
    if (!is_reference_field(field.type)) continue;
    const nlohmann::json* value = model::find_path(spec, field.path);
    if (!value || !value->is_array()) continue;
    nlohmann::json mapped = nlohmann::json::array();
    for (const auto& item : *value) {
      std::string text = item.get<std::string>();
      std::string role;
      if (field.type == FieldType::assignments) {
        model::AssignmentElement element = model::AssignmentElement::parse(text);
        text = element.principal.to_string();
        role = element.role;
      }
      if (field.type == FieldType::set_ci) text = "user:" + text;  // owners are users
      model::Reference ref = model::Reference::parse(text);
      std::string out = text;
      if (ref.type == "group" || ref.type == "user" || ref.type == "app" || ref.type == "location") {
        auto replaced = map(ref);
        if (!replaced) return fail("cannot resolve " + ref.to_string());
        out = ref.type + ":" + *replaced;
      }
      if (field.type == FieldType::set_ci) out = out.substr(5);
      if (!role.empty()) out += "|role:" + role;
      mapped.push_back(out);
    }
    model::set_path(spec, field.path, std::move(mapped));
  }
  return spec;
}

nlohmann::json& objects_of(nlohmann::json& tenant, Kind kind) {
  nlohmann::json& list = tenant[std::string(model::kind_plural(kind))];
  if (!list.is_array()) list = nlohmann::json::array();
  return list;
}

template <typename Map>
Result<std::vector<std::string>> map_elements(Kind kind, const std::string& path,
                                              const std::vector<std::string>& elements, Map map) {
  nlohmann::json spec;
  model::set_path(spec, path, elements);
  nlohmann::json mapped = IDFORM_TRY(map_references(kind, std::move(spec), map));
  return model::find_path(mapped, path)->get<std::vector<std::string>>();
}

// Like a real directory, deleting an object removes it from group memberships and app
// assignments (but not from policies: the plan updates those first).
void remove_memberships_of(nlohmann::json& tenant, Kind kind, const std::string& id) {
  const std::string member = std::string(model::kind_prefix(kind)) + ":" + id;
  for (auto& group : objects_of(tenant, Kind::group))
    if (group.contains("members")) std::erase(group["members"].get_ref<nlohmann::json::array_t&>(), member);
  for (auto& app : objects_of(tenant, Kind::application)) {
    if (!app.contains("assignments")) continue;
    auto& assignments = app["assignments"].get_ref<nlohmann::json::array_t&>();
    std::erase_if(assignments, [&](const nlohmann::json& entry) {
      return model::AssignmentElement::parse(entry.get<std::string>()).principal.to_string() == member;
    });
  }
}

// Journal entries: {"put": "groups", "object": {...}} stores an object whole (replacing the one
// with its id); {"delete": "groups", "id": "g-1"} removes one as apply does. Replaying an entry
// twice changes nothing.
nlohmann::json put_entry(Kind kind, const nlohmann::json& object) {
  return {{"put", model::kind_plural(kind)}, {"object", object}};
}

nlohmann::json delete_entry(Kind kind, const std::string& id) {
  return {{"delete", model::kind_plural(kind)}, {"id", id}};
}

nlohmann::json::iterator find_object(nlohmann::json& objects, const std::string& id) {
  return std::find_if(objects.begin(), objects.end(), [&](const nlohmann::json& object) {
    auto found = object.find("id");
    return found != object.end() && found->is_string() && found->get_ref<const std::string&>() == id;
  });
}

void delete_object(nlohmann::json& tenant, Kind kind, const std::string& id) {
  nlohmann::json& objects = objects_of(tenant, kind);
  if (auto existing = find_object(objects, id); existing != objects.end()) objects.erase(existing);
  remove_memberships_of(tenant, kind, id);
}

// False for an entry idform does not write (a damaged journal): nothing of it is applied.
bool replay(nlohmann::json& tenant, const nlohmann::json& entry) {
  auto kind_named = [&](const char* key) -> std::optional<Kind> {
    auto found = entry.find(key);
    if (found == entry.end() || !found->is_string()) return std::nullopt;
    return model::kind_from_plural(found->get<std::string>());
  };
  if (!entry.is_object()) return false;
  if (auto kind = kind_named("put")) {
    auto object = entry.find("object");
    if (object == entry.end() || !object->is_object() || !object->contains("id") || !(*object)["id"].is_string())
      return false;
    nlohmann::json& objects = objects_of(tenant, *kind);
    auto existing = find_object(objects, (*object)["id"].get<std::string>());
    if (existing != objects.end()) *existing = *object;
    else objects.push_back(*object);
    return true;
  }
  if (auto deleted = kind_named("delete")) {
    auto id = entry.find("id");
    if (id == entry.end() || !id->is_string()) return false;
    delete_object(tenant, *deleted, id->get<std::string>());
    return true;
  }
  return false;
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
using NameIndex = std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>>;

// What map_references does with a lookup in `name_of` (a dangling id stays visible as the id
// itself rather than disappearing from the diff), in place and without the copies: a large
// tenant has a million and more member references.
void name_references(Kind kind, nlohmann::json& spec, const NameIndex& name_of) {
  static constexpr std::string_view kMapped[] = {"group", "user", "app", "location"};
  std::string out;
  std::string owner;
  for (const model::Field& field : model::fields_of(kind)) {
    if (!is_reference_field(field.type)) continue;
    auto* value = const_cast<nlohmann::json*>(model::find_path(spec, field.path));
    if (!value || !value->is_array()) continue;
    for (auto& item : *value) {
      if (!item.is_string()) (void)item.get<std::string>();  // throws as map_references would
      std::string& text = item.get_ref<std::string&>();
      std::string_view principal = text;
      std::string_view role;
      if (field.type == FieldType::assignments) {
        auto bar = principal.find("|role:");
        if (bar != std::string_view::npos) role = principal.substr(bar + 6);
        principal = principal.substr(0, bar);
      }
      if (field.type == FieldType::set_ci) {  // owners are users
        owner.assign("user:").append(text);
        principal = owner;
      }
      auto colon = principal.find(':');
      std::string_view type = principal.substr(0, colon == std::string_view::npos ? 0 : colon);
      bool mapped = colon != std::string_view::npos &&
                    std::find(std::begin(kMapped), std::end(kMapped), type) != std::end(kMapped);
      if (!mapped && field.type != FieldType::assignments) continue;  // unchanged
      if (field.type == FieldType::members || field.type == FieldType::reference_set) {
        // Most references of a large tenant: the type stays, only the id after it is replaced.
        auto found = name_of.find(principal);
        if (found != name_of.end()) text.replace(colon + 1, std::string::npos, found->second);
        continue;
      }
      if (mapped) {
        auto found = name_of.find(principal);
        out.assign(type).append(":").append(found != name_of.end() ? std::string_view(found->second)
                                                                   : principal.substr(colon + 1));
      } else {
        out.assign(principal);
      }
      if (field.type == FieldType::set_ci) out.erase(0, 5);
      if (!role.empty()) out.append("|role:").append(role);
      text = out;
    }
  }
}

}  // namespace

LocalProvider::LocalProvider(std::filesystem::path file) : m_file(file), m_journal(std::move(file)) {}

LocalProvider::~LocalProvider() {
  // On failure the journal stays, still matching the untouched file, and the next read replays it.
  if (!m_journal.started()) return;
  try {
    // A read since the last apply moved the tenant into its response: load it again (the file
    // plus the journal) before writing, or the file would be written empty.
    if (!m_loaded && !load()) return;
    (void)save();
  } catch (const std::exception&) {
  }
}

Result<void> LocalProvider::load() {
  IDFORM_TRY(m_lock.acquire(m_file, lock_wait()));
  m_tenant = {{"format", kFormat}, {"users", nlohmann::json::array()}};
  m_loaded = true;
  m_base.reset();
  std::error_code ec;
  if (!std::filesystem::exists(m_file, ec)) return {};  // an empty tenant
  m_base = FileIdentity::of(m_file);
  // Parsed from the stream through a large buffer rather than from the whole text in memory: a
  // large tenant's file is as big as a good part of what the plan holds at its peak.
  std::vector<char> buffer(1 << 20);
  std::ifstream in;
  in.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  in.open(m_file, std::ios::binary);
  if (!in) return fail("cannot read sandbox file " + m_file.string());
  try {
    m_tenant = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    m_loaded = false;
    return fail("sandbox file " + m_file.string() + " is not valid JSON", error.what());
  }
  // Compared as JSON: value("format", "") would throw on a format that is not a string.
  if (!m_tenant.is_object() || !m_tenant.contains("format") || m_tenant["format"] != kFormat) {
    m_loaded = false;
    return fail("sandbox file " + m_file.string() + " is not an idform sandbox",
                std::string("expected \"format\": \"") + kFormat + "\"");
  }
  if (auto shape = check_sandbox_shape(m_tenant, m_file.string()); !shape) {
    m_loaded = false;
    return shape;
  }
  if (!m_base) return {};
  const std::vector<nlohmann::json> entries = m_journal.entries_for(*m_base);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!replay(m_tenant, entries[i])) {
      m_loaded = false;
      return fail("sandbox journal " + m_file.string() + ".journal is damaged",
                  "entry " + std::to_string(i + 1) + " is not a change idform wrote; move the journal aside to "
                  "read the sandbox file as it is");
    }
  }
  // What the journal put back must have the shape the file was checked for.
  if (!entries.empty()) {
    if (auto shape = check_sandbox_shape(m_tenant, m_file.string() + ".journal"); !shape) {
      m_loaded = false;
      return shape;
    }
  }
  return {};
}

Result<void> LocalProvider::save() {
  std::error_code ec;
  std::filesystem::create_directories(m_file.parent_path(), ec);
  std::filesystem::path temporary = m_file;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::filesystem::remove(temporary, ec);
    IDFORM_TRY(util::prepare_private_file(temporary, true));
    std::ofstream out(temporary, std::ios::trunc);
    out << m_tenant.dump(2) << "\n";
    if (!out.flush()) return fail("cannot write sandbox file " + temporary.string());
  }
  // The replacement keeps the file's mode (a 0600 sandbox stays 0600); a new one is 0600.
  auto status = std::filesystem::status(m_file, ec);
  if (!ec && std::filesystem::exists(status))
    std::filesystem::permissions(temporary, status.permissions(), std::filesystem::perm_options::replace, ec);
  std::filesystem::rename(temporary, m_file, ec);
  if (ec) return fail("cannot replace sandbox file " + m_file.string(), ec.message());
  m_journal.discard();
  m_base = FileIdentity::of(m_file);
  return {};
}

Result<void> LocalProvider::record(const nlohmann::json& entry) {
  if (!m_base || FileIdentity::of(m_file) != m_base) return save();
  IDFORM_TRY(m_journal.append(*m_base, entry));
  // Rewriting once the journal outgrows the file keeps replaying it cheap.
  if (m_journal.appended_bytes() > m_base->size) return save();
  return {};
}

std::string LocalProvider::new_id(Kind kind) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::ostringstream id;
  id << model::kind_prefix(kind)[0] << "-" << std::hex << random();
  return id.str();
}

void LocalProvider::start_reading() {
  if (m_started.valid()) return;
  m_started = util::start_guarded("reading the sandbox file", [this] {
    std::lock_guard lock(m_mutex);
    return read_all();
  });
}

// A stand-in for a slow call (the interruption tests): the sandbox file's faults.pause_read, or an
// address in faults.pause_apply, makes the call wait until it is cancelled (two minutes at most).
// The caller holds m_mutex.
Result<void> LocalProvider::pause_if_asked(const std::string& fault, const std::string& address,
                                           const std::atomic<bool>* cancelled) {
  bool asked = false;
  const nlohmann::json faults =
      m_tenant.is_object() ? m_tenant.value("faults", nlohmann::json::object()) : nlohmann::json();
  if (faults.is_object() && faults.contains(fault)) {
    const nlohmann::json& value = faults[fault];
    asked = address.empty() ? value == true
                            : value.is_array() && std::find(value.begin(), value.end(), address) != value.end();
  }
  if (!asked) return {};
  // Real time on purpose, not util::Clock: the interruption tests signal a real idform meanwhile.
  auto until = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (!provider::is_cancelled(cancelled) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return {};
}

// The users are every user in the file, whatever the request names (reads_every_user).
Result<provider::ReadResponse> LocalProvider::read(const provider::ReadRequest& request) {
  Result<provider::ReadResponse> response;
  if (m_started.valid()) {
    response = m_started.get();
  } else {
    std::lock_guard lock(m_mutex);
    response = read_all();
  }
  if (!response) return response;
  {
    std::lock_guard lock(m_mutex);
    IDFORM_TRY(pause_if_asked("pause_read", "", request.cancelled));
  }
  if (provider::is_cancelled(request.cancelled)) return fail(provider::cancelled_error("reading the sandbox"));
  if (request.kinds.empty()) return response;
  std::erase_if(response->state.resources,
                [&](const model::Resource& resource) { return !request.kinds.contains(resource.kind); });
  return response;
}

Result<provider::ReadResponse> LocalProvider::read_all() {
  IDFORM_TRY(load());
  provider::ReadResponse response;
  NameIndex name_of;  // "group:<id>" -> "<name>", "user:<id>" -> "<email>"
  const nlohmann::json& users = m_tenant["users"];
  response.state.users.reserve(users.size());
  for (const auto& user : users) {
    model::User entry{user.value("id", ""), user.value("email", ""), user.value("display_name", "")};
    name_of.insert_or_assign("user:" + entry.id, entry.email);
    response.state.users.push_back(std::move(entry));
  }
  for (Kind kind : model::kAllKinds) {
    // A name shared by several objects cannot identify one: refer to those by id.
    std::map<std::string, int> uses;
    for (const auto& object : objects_of(m_tenant, kind)) ++uses[object.value("name", "")];
    for (const auto& object : objects_of(m_tenant, kind)) {
      std::string id = object.value("id", "");
      std::string name = object.value("name", "");
      name_of.insert_or_assign(std::string(model::kind_prefix(kind)) + ":" + id, uses[name] > 1 ? "id:" + id : name);
    }
  }

  // The objects move into the response; apply reads the file again if it needs it.
  for (Kind kind : model::kAllKinds) {
    for (auto& object : objects_of(m_tenant, kind)) {
      model::Resource resource;
      resource.kind = kind;
      resource.id = object.value("id", "");
      resource.name = object.value("name", "");
      object.erase("id");
      object.erase("name");
      resource.spec = std::move(object);
      name_references(kind, resource.spec, name_of);
      response.state.resources.push_back(std::move(resource));
    }
  }
  m_tenant = nlohmann::json();
  m_loaded = false;
  return response;
}

Result<provider::ApplyResponse> LocalProvider::apply(const provider::ApplyRequest& request) {
  std::lock_guard lock(m_mutex);
  if (!m_loaded) IDFORM_TRY(load());
  const plan::Change& change = request.change;

  const nlohmann::json& faults = m_tenant.value("faults", nlohmann::json::object());
  for (const auto& address : faults.value("fail_apply", nlohmann::json::array()))
    if (address == change.address) return fail("injected failure for " + change.address);
  // A defect's stand-in: an exception out of a provider call, which the applier's barrier must
  // turn into a failed change.
  for (const auto& address : faults.value("throw_apply", nlohmann::json::array()))
    if (address == change.address) throw std::runtime_error("injected exception for " + change.address);
  IDFORM_TRY(pause_if_asked("pause_apply", change.address, request.cancelled));
  // Cancelled before anything was written: nothing is.
  if (provider::is_cancelled(request.cancelled)) return fail(provider::cancelled_error("applying " + change.address));

  auto to_id = [&](const model::Reference& ref) -> std::optional<std::string> {
    auto found = request.ids.find(ref.to_string());
    if (found == request.ids.end()) return std::nullopt;
    return found->second;
  };
  nlohmann::json& objects = objects_of(m_tenant, change.kind);
  auto existing = find_object(objects, change.id);
  nlohmann::json entry;

  provider::ApplyResponse response;
  switch (change.action) {
    case plan::Action::create: {
      nlohmann::json object = IDFORM_TRY(map_references(change.kind, change.desired, to_id));
      response.id = new_id(change.kind);
      object["id"] = response.id;
      object["name"] = change.name;
      entry = put_entry(change.kind, object);
      objects.push_back(std::move(object));
      break;
    }
    case plan::Action::update: {
      if (existing == objects.end()) return fail(change.address + " (id " + change.id + ") no longer exists");
      for (const plan::AttributeChange& attribute : change.attributes) {
        if (attribute.path == "name") {
          (*existing)["name"] = attribute.after;
          continue;
        }
        if (!attribute.is_set) {
          if (attribute.after.is_null()) model::erase_path(*existing, attribute.path);
          else model::set_path(*existing, attribute.path, attribute.after);
          continue;
        }
        // Apply the delta, not the whole list: what the plan showed is exactly what changes.
        auto added = map_elements(change.kind, attribute.path, attribute.added, to_id);
        auto removed = map_elements(change.kind, attribute.path, attribute.removed, to_id);
        if (!added) return fail(change.address + ": " + added.error().summary);
        if (!removed) return fail(change.address + ": " + removed.error().summary);
        const nlohmann::json* current = model::find_path(*existing, attribute.path);
        std::vector<std::string> elements;
        if (current && current->is_array()) elements = current->get<std::vector<std::string>>();
        for (const std::string& element : *removed) std::erase(elements, element);
        for (const std::string& element : *added)
          if (std::find(elements.begin(), elements.end(), element) == elements.end()) elements.push_back(element);
        model::set_path(*existing, attribute.path, elements);
      }
      entry = put_entry(change.kind, *existing);
      response.id = change.id;
      break;
    }
    case plan::Action::delete_: {
      delete_object(m_tenant, change.kind, change.id);
      entry = delete_entry(change.kind, change.id);
      response.id = change.id;
      break;
    }
    case plan::Action::no_op:
      return response;
  }
  IDFORM_TRY(record(entry));
  return response;
}

std::chrono::milliseconds LocalProvider::lock_wait() {
  // How long a second idform waits for the first to finish with the sandbox.
  const char* text = std::getenv("IDFORM_SANDBOX_LOCK_WAIT_MS");
  if (text && *text) {
    char* end = nullptr;
    long long value = std::strtoll(text, &end, 10);
    if (end && *end == '\0' && value >= 0) return std::chrono::milliseconds(value);
  }
  return std::chrono::milliseconds(60000);
}

Result<std::unique_ptr<provider::Provider>> make_local_provider(const provider::TargetContext& context) {
  std::filesystem::path file = context.settings.value("path", ".idform/sandbox.json");
  if (file.is_relative()) file = std::filesystem::path(context.config_root) / file;
  return std::make_unique<LocalProvider>(file);
}

}  // namespace idform::providers

namespace idform::providers {

provider::protocol::PluginInfo local_plugin_info() {
  provider::protocol::PluginInfo info;
  info.name = "local";
  info.capabilities = provider::protocol::full_capabilities({std::begin(model::kAllKinds), std::end(model::kAllKinds)});
  info.capabilities.reads_every_user = true;
  info.settings_schema = settings_schema("local");
  return info;
}

}  // namespace idform::providers
