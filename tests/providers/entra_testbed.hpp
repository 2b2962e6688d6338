#pragma once
// The Entra provider against idp-sim: the simulator as a child process, seed helpers, a Testbed
// that drives the engine in-process (load config, plan, apply), and examples/acme as Entra sees it.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "providers/entra/entra_provider.hpp"
#include "providers/entra_test_support.hpp"
#include "reconciler/apply/applier.hpp"
#include "reconciler/config/loader.hpp"
#include "reconciler/plan/differ.hpp"
#include "reconciler/util/strings.hpp"
#include "support/engine_driver.hpp"
#include "support/process.hpp"
#include "support/sim_process.hpp"

namespace idform::testing::entra {

using testing::attribute_of;
using testing::change_of;

// ---------------------------------------------------------------------------------------------
// idp-sim (Graph flavor) runs as a child process (support/sim_process.hpp); these are the tenant
// and the app registration it is started with.


inline constexpr const char* kSimTenant = "84841066-274d-4ec0-a5c1-276be684bdd3";
inline constexpr const char* kSimClient = "5a7b0000-1111-4222-8333-444455556666";
inline constexpr const char* kSimSecret = "sim-client-secret-Value~1";

// Writes `value` as JSON to `root/relative`, creating directories.
inline void write_json(const std::filesystem::path& root, const std::string& relative, const nlohmann::json& value) {
  std::filesystem::path file = root / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << value.dump(2);
}

// A Graph user object as Microsoft returns it, for seeding.
inline nlohmann::json graph_user(const std::string& id, const std::string& upn, const std::string& display_name) {
  return {{"id", id},
          {"displayName", display_name},
          {"userPrincipalName", upn},
          {"mail", upn},
          {"mailNickname", upn.substr(0, upn.find('@'))},
          {"accountEnabled", true},
          {"userType", "Member"}};
}

inline nlohmann::json list_of(const std::string& collection, const nlohmann::json& items) {
  return {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#" + collection}, {"value", items}};
}

// ---------------------------------------------------------------------------------------------
// The engine in-process against idp-sim: write config files, load them, plan, apply.


// The four acme-like users every seeded test tenant has.
inline nlohmann::json standard_users() {
  return nlohmann::json::array({graph_user("11111111-0000-4000-8000-000000000001", "alice@acme.example", "Alice"),
                                graph_user("11111111-0000-4000-8000-000000000002", "bob@acme.example", "Bob"),
                                graph_user("11111111-0000-4000-8000-000000000003", "carol@acme.example", "Carol"),
                                graph_user("11111111-0000-4000-8000-000000000004", "dave@acme.example", "Dave")});
}

// The environment variable the acme and import tests pass the simulator's client secret in.
inline constexpr const char* kSecretVariable = "IDFORM_ENTRA_SECRET";

struct TestbedOptions {
  std::vector<std::string> sim_args = {"--time-scale", "0.01"};
  std::function<void(const std::filesystem::path& seed)> seed;  // default: the standard users
  // Graph allows 1 conditional access request per second, 10 ms at 0.01. idform starts each one
  // the interval after the previous answer, so arrivals are at least this far apart however
  // long a request is held up on its way.
  std::chrono::milliseconds policy_interval{15};
  std::chrono::milliseconds resource_unit_window{100};           // Graph's 10 s at 0.01
  // idp-sim over https, the provider trusting its generated authority through ca_bundle
  // (IDFORM_TEST_SIM_TLS=1 turns it on for every testbed; ctest runs the lifecycle tests so).
  bool tls = sim_tls_requested();
};

class Testbed : public EngineDriver<providers::entra::EntraProvider> {
 public:
  explicit Testbed(TestbedOptions options = {}) : m_options(std::move(options)) {
    std::filesystem::path seed = m_dir.path() / "seed";
    std::filesystem::create_directories(seed);
    if (m_options.seed) m_options.seed(seed);
    else write_json(seed, "users.json", list_of("users", standard_users()));
    std::vector<std::string> args = m_options.sim_args;
    args.insert(args.end(), {"--client", std::string(kSimClient) + ":" + kSimSecret});
    m_sim = std::make_unique<SimProcess>(SimProcessOptions{.flavor = "graph", .seed_dir = seed.string(), .extra_args = args, .tls = m_options.tls});
    REQUIRE(m_sim->running());
    provider = make_provider();
    std::filesystem::create_directories(config_dir());
  }

  // A provider for this tenant; `env` stands in for the process environment (secrets).
  std::unique_ptr<providers::entra::EntraProvider> make_provider(
      std::function<void(providers::entra::EntraSettings&)> adjust = {},
      std::map<std::string, std::string> env = {{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}}) {
    auto made = try_provider(std::move(adjust), std::move(env));
    REQUIRE(made);
    return std::move(*made);
  }
  Result<std::unique_ptr<providers::entra::EntraProvider>> try_provider(
      std::function<void(providers::entra::EntraSettings&)> adjust, std::map<std::string, std::string> env) {
    auto settings = test_settings(m_sim->base_url(), kSimTenant, kSimClient);
    settings.tuning.policy_interval = m_options.policy_interval;
    settings.tuning.resource_unit_window = m_options.resource_unit_window;
    settings.ca_bundle = m_sim->ca_file();
    if (adjust) adjust(settings);
    auto made = std::make_unique<providers::entra::EntraProvider>(settings,
                                                                  http::make_curl_transport({.ca_bundle = settings.ca_bundle}));
    providers::entra::TokenSourceHooks hooks;
    hooks.env = [env](const std::string& name) {
      auto found = env.find(name);
      return found == env.end() ? std::string() : found->second;
    };
    IDFORM_TRY(made->connect(hooks));
    return made;
  }

  SimProcess& sim() { return *m_sim; }
  std::filesystem::path config_dir() const { return m_dir.path() / "config"; }
  std::string sim_log() const { return m_sim->log(); }

  // The idform.yaml of a config tree for this tenant (client secret from IDFORM_TEST_ENTRA_SECRET).
  std::string project_file() const {
    return "version: 1\ndefault_target: entra\ntargets:\n  entra:\n    provider: entra\n    tenant_id: " +
           std::string(kSimTenant) + "\n    client_id: " + kSimClient + "\n    graph_endpoint: " + m_sim->base_url() +
           "/v1.0\n    authority: " + m_sim->base_url() +
           (m_options.tls ? "\n    ca_bundle: " + m_sim->ca_file() : std::string()) +
           "\n    auth: {method: client_secret, secret_env: IDFORM_TEST_ENTRA_SECRET}\n";
  }

  // Replaces the config with `files` (relative path -> YAML) plus an idform.yaml for this tenant.
  model::DesiredState load(const std::map<std::string, std::string>& files) {
    return load_tree(config_dir(), project_file(), files);
  }

 protected:
  // Out of process, the provider is paced as the in-process one is (TestbedOptions) through the
  // variables its settings read; the client secret travels in configure.
  std::optional<OutOfProcessOptions> out_of_process_options() const override {
    return OutOfProcessOptions{{{"IDFORM_TEST_ENTRA_SECRET", kSimSecret}},
                               {{"IDFORM_ENTRA_POLICY_INTERVAL_MS", std::to_string(std::max<long long>(1, m_options.policy_interval.count()))},
                                {"IDFORM_ENTRA_RU_WINDOW_MS", std::to_string(m_options.resource_unit_window.count())}}};
  }

 private:
  TestbedOptions m_options;
  TempDir m_dir;
  std::unique_ptr<SimProcess> m_sim;
};

// ---------------------------------------------------------------------------------------------
// examples/acme as Entra sees it.

// Fields of examples/acme that Graph v1.0 cannot express (check() rejects them; entra.md).
inline const std::vector<std::string>& unsupported_acme_fields() {
  static const std::vector<std::string> fields = {"name_id_format:", "post_logout_redirect_uris:", "grant_types:"};
  return fields;
}

// examples/acme's resource files (relative path -> text), without idform.yaml, and without the
// lines of fields Entra cannot express when `strip` is set.
inline std::map<std::string, std::string> acme_resource_files(bool strip = true) {
  std::map<std::string, std::string> files;
  std::filesystem::path root = std::filesystem::path(IDFORM_SOURCE_DIR) / "examples" / "acme";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml" || entry.path().filename() == "idform.yaml")
      continue;
    std::ifstream in(entry.path());
    std::string line, text;
    while (std::getline(in, line)) {
      bool unsupported = false;
      for (const std::string& field : unsupported_acme_fields())
        unsupported = unsupported || line.find(field) != std::string::npos;
      if (!(strip && unsupported)) text += line + "\n";
    }
    files[std::filesystem::relative(entry.path(), root).string()] = text;
  }
  return files;
}

// Every email address the files mention, as Graph users to seed the tenant with.
inline nlohmann::json users_mentioned(const std::map<std::string, std::string>& files) {
  std::set<std::string> emails;
  static const std::regex kEmail(R"([A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+)");
  for (const auto& [path, text] : files)
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kEmail); it != std::sregex_iterator(); ++it)
      emails.insert(util::to_lower(it->str()));
  nlohmann::json users = nlohmann::json::array();
  int index = 0;
  for (const std::string& email : emails) {
    char id[40];
    std::snprintf(id, sizeof id, "22222222-0000-4000-8000-%012d", ++index);
    users.push_back(graph_user(id, email, email.substr(0, email.find('@'))));
  }
  return users;
}

// "update group:x" style one-line summaries of a plan, for exact expectations.
inline std::vector<std::string> summary(const plan::Plan& plan) {
  std::vector<std::string> out;
  for (const plan::Change& change : plan.changes) out.push_back(std::string(plan::action_name(change.action)) + " " + change.address);
  return out;
}

}  // namespace idform::testing::entra
