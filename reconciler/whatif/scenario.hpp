#pragma once
// Sign-in scenarios: what `idform whatif` evaluates. A scenario states what is known about one
// sign-in (who, to what, from where, on what); anything it leaves out is unknown. They are read
// from whatif/*.yaml in the config directory (schemas/whatif.schema.json), or built by the
// coverage matrix.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "reconciler/util/result.hpp"

namespace idform::whatif {

struct Scenario {
  std::string name;
  SourceLocation where;

  std::string user;                 // email, lower-case; empty: a user the config does not list
  std::vector<std::string> groups;  // group names beyond the config's members
  std::vector<std::string> roles;   // directory role names
  std::string guest_type;           // empty: a member of the tenant
  std::string guest_tenant;
  std::string service_principal;    // "id:X": a workload identity sign-in

  std::string application;          // an app's name, or office365 / microsoft_admin_portals
  std::string user_action;          // register_security_info | register_device
  std::string authentication_context;
  std::map<std::string, std::string> application_attributes;

  std::string platform;             // empty: unknown
  std::string client_app = "browser";
  std::string ip, country, location;
  std::string sign_in_risk = "none", user_risk = "none", service_principal_risk = "none", insider_risk = "none";
  std::string authentication_flow;
  std::map<std::string, std::string> device;  // "device.isCompliant" -> "True"; empty: unregistered

  std::string expect;  // the outcome text it must have; empty: no expectation
};

// Every scenario under `config_dir`/whatif/*.yaml (none when the directory does not exist).
// Errors carry file:line:col; scenario names must be unique.
struct ScenarioLoad {
  std::vector<Scenario> scenarios;
  Diagnostics diagnostics;
};
ScenarioLoad load_scenarios(const std::filesystem::path& config_dir);

}  // namespace idform::whatif
