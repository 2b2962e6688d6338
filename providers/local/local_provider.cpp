#include "providers/local/local_provider.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "reconciler/model/spec_path.hpp"

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

nlohmann::json spec_of(const nlohmann::json& object) {
  nlohmann::json spec = object;
  spec.erase("id");
  spec.erase("name");
  return spec;
}

}  // namespace

LocalProvider::LocalProvider(std::filesystem::path file) : m_file(std::move(file)) {}

Result<void> LocalProvider::load() {
  m_tenant = {{"format", kFormat}, {"users", nlohmann::json::array()}};
  m_loaded = true;
  std::error_code ec;
  if (!std::filesystem::exists(m_file, ec)) return {};  // an empty tenant
  std::ifstream in(m_file);
  if (!in) return fail("cannot read sandbox file " + m_file.string());
  try {
    in >> m_tenant;
  } catch (const nlohmann::json::exception& error) {
    m_loaded = false;
    return fail("sandbox file " + m_file.string() + " is not valid JSON", error.what());
  }
  if (!m_tenant.is_object() || m_tenant.value("format", "") != kFormat) {
    m_loaded = false;
    return fail("sandbox file " + m_file.string() + " is not an idform sandbox",
                std::string("expected \"format\": \"") + kFormat + "\"");
  }
  return {};
}

Result<void> LocalProvider::save() {
  std::error_code ec;
  std::filesystem::create_directories(m_file.parent_path(), ec);
  std::filesystem::path temporary = m_file;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << m_tenant.dump(2) << "\n";
    if (!out.flush()) return fail("cannot write sandbox file " + temporary.string());
  }
  std::filesystem::rename(temporary, m_file, ec);
  if (ec) return fail("cannot replace sandbox file " + m_file.string(), ec.message());
  return {};
}

std::string LocalProvider::new_id(Kind kind) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  std::ostringstream id;
  id << model::kind_prefix(kind)[0] << "-" << std::hex << random();
  return id.str();
}

Result<provider::ReadResponse> LocalProvider::read(const provider::ReadRequest& request) {
  std::lock_guard lock(m_mutex);
  IDFORM_TRY(load());
  provider::ReadResponse response;
  std::map<std::string, std::string> name_of;  // "group:<id>" -> "group:<name>"
  for (const auto& user : m_tenant["users"]) {
    model::User entry{user.value("id", ""), user.value("email", ""), user.value("display_name", "")};
    name_of["user:" + entry.id] = entry.email;
    response.state.users.push_back(std::move(entry));
  }
  for (Kind kind : model::kAllKinds) {
    // A name shared by several objects cannot identify one: refer to those by id.
    std::map<std::string, int> uses;
    for (const auto& object : objects_of(m_tenant, kind)) ++uses[object.value("name", "")];
    for (const auto& object : objects_of(m_tenant, kind)) {
      std::string id = object.value("id", "");
      std::string name = object.value("name", "");
      name_of[std::string(model::kind_prefix(kind)) + ":" + id] = uses[name] > 1 ? "id:" + id : name;
    }
  }

  for (Kind kind : model::kAllKinds) {
    if (!request.kinds.empty() && !request.kinds.contains(kind)) continue;
    for (const auto& object : objects_of(m_tenant, kind)) {
      model::Resource resource;
      resource.kind = kind;
      resource.id = object.value("id", "");
      resource.name = object.value("name", "");
      // A dangling id stays visible as the id itself rather than disappearing from the diff.
      auto spec = map_references(kind, spec_of(object), [&](const model::Reference& ref) {
        auto found = name_of.find(ref.to_string());
        return std::optional<std::string>(found != name_of.end() ? found->second : ref.value);
      });
      if (!spec) return fail(resource.address() + ": " + spec.error().summary);
      resource.spec = std::move(*spec);
      response.state.resources.push_back(std::move(resource));
    }
  }
  return response;
}

Result<provider::ApplyResponse> LocalProvider::apply(const provider::ApplyRequest& request) {
  std::lock_guard lock(m_mutex);
  if (!m_loaded) IDFORM_TRY(load());
  const plan::Change& change = request.change;

  const nlohmann::json& faults = m_tenant.value("faults", nlohmann::json::object());
  for (const auto& address : faults.value("fail_apply", nlohmann::json::array()))
    if (address == change.address) return fail("injected failure for " + change.address);

  auto to_id = [&](const model::Reference& ref) -> std::optional<std::string> {
    auto found = request.ids.find(ref.to_string());
    if (found == request.ids.end()) return std::nullopt;
    return found->second;
  };
  nlohmann::json& objects = objects_of(m_tenant, change.kind);
  auto existing = std::find_if(objects.begin(), objects.end(),
                               [&](const nlohmann::json& object) { return object.value("id", "") == change.id; });

  provider::ApplyResponse response;
  switch (change.action) {
    case plan::Action::create: {
      nlohmann::json object = IDFORM_TRY(map_references(change.kind, change.desired, to_id));
      response.id = new_id(change.kind);
      object["id"] = response.id;
      object["name"] = change.name;
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
      response.id = change.id;
      break;
    }
    case plan::Action::delete_: {
      if (existing != objects.end()) objects.erase(existing);
      remove_memberships_of(m_tenant, change.kind, change.id);
      response.id = change.id;
      break;
    }
    case plan::Action::no_op:
      return response;
  }
  IDFORM_TRY(save());
  return response;
}

Result<std::unique_ptr<provider::Provider>> make_local_provider(const provider::TargetContext& context) {
  std::filesystem::path file = context.settings.value("path", ".idform/sandbox.json");
  if (file.is_relative()) file = std::filesystem::path(context.config_root) / file;
  return std::make_unique<LocalProvider>(file);
}

}  // namespace idform::providers
