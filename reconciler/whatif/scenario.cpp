// Reads whatif/*.yaml: each file is parsed with the config's YAML reader (so errors carry
// file:line:col), checked against schemas/whatif.schema.json, and turned into Scenarios.
#include "reconciler/whatif/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "reconciler/config/schema_check.hpp"
#include "reconciler/config/yaml_document.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::whatif {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string word(const json& object, const char* key, const std::string& fallback = "") {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

std::vector<std::string> words(const json& object, const char* key) {
  std::vector<std::string> out;
  auto found = object.find(key);
  if (found != object.end() && found->is_array())
    for (const auto& item : *found)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// Device properties are written without the "device." prefix; booleans become True / False.
std::map<std::string, std::string> properties(const json& object, const char* key, const std::string& prefix) {
  std::map<std::string, std::string> out;
  auto found = object.find(key);
  if (found == object.end() || !found->is_object()) return out;
  for (const auto& [name, value] : found->items()) {
    std::string full = name.find('.') == std::string::npos ? prefix + name : name;
    out[full] = value.is_boolean() ? (value.get<bool>() ? "True" : "False") : value.get<std::string>();
  }
  return out;
}

Scenario scenario_of(const json& item, SourceLocation where) {
  Scenario scenario;
  scenario.name = word(item, "name");
  scenario.where = std::move(where);
  scenario.user = util::to_lower(word(item, "user"));
  scenario.groups = words(item, "groups");
  scenario.roles = words(item, "roles");
  scenario.guest_type = word(item, "guest_type");
  scenario.guest_tenant = word(item, "guest_tenant");
  scenario.service_principal = word(item, "service_principal");
  scenario.application = word(item, "application");
  scenario.user_action = word(item, "user_action");
  scenario.authentication_context = word(item, "authentication_context");
  scenario.application_attributes = properties(item, "application_attributes", "CustomSecurityAttribute.");
  scenario.platform = word(item, "platform");
  scenario.client_app = word(item, "client_app", "browser");
  scenario.ip = word(item, "ip");
  scenario.country = util::to_upper(word(item, "country"));
  scenario.location = word(item, "location");
  scenario.sign_in_risk = word(item, "sign_in_risk", "none");
  scenario.user_risk = word(item, "user_risk", "none");
  scenario.service_principal_risk = word(item, "service_principal_risk", "none");
  scenario.insider_risk = word(item, "insider_risk", "none");
  scenario.authentication_flow = word(item, "authentication_flow");
  scenario.device = properties(item, "device", "device.");
  scenario.expect = word(item, "expect");
  return scenario;
}

void read_file(const fs::path& path, const std::string& shown, const config::SchemaSet& schemas, ScenarioLoad& out) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  config::YamlFile file = config::parse_yaml(text.str(), shown);
  for (Error& error : file.diagnostics) out.diagnostics.push_back(std::move(error));
  for (const config::YamlDocument& document : file.documents) {
    Diagnostics problems = schemas.check_scenarios(document);
    if (!problems.empty()) {
      for (Error& error : problems) out.diagnostics.push_back(std::move(error));
      continue;
    }
    const json& list = document.root["scenarios"];
    for (size_t i = 0; i < list.size(); ++i)
      out.scenarios.push_back(scenario_of(list[i], document.sources.value_at("/scenarios/" + std::to_string(i))));
  }
}

}  // namespace

ScenarioLoad load_scenarios(const fs::path& config_dir) {
  ScenarioLoad out;
  fs::path dir = config_dir / "whatif";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  auto schemas = config::SchemaSet::load();
  if (!schemas) {
    out.diagnostics.push_back(schemas.error());
    return out;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && (entry.path().extension() == ".yaml" || entry.path().extension() == ".yml"))
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) read_file(file, (config_dir / "whatif" / file.filename()).string(), *schemas, out);
  std::set<std::string> seen;
  for (const Scenario& scenario : out.scenarios)
    if (!seen.insert(scenario.name).second)
      out.diagnostics.push_back(Error{"duplicate scenario name \"" + scenario.name + "\"", {}, {}, scenario.where});
  return out;
}

}  // namespace idform::whatif
