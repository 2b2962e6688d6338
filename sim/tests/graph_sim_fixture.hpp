#pragma once
// Shared set-up for the Graph flavor tests: an idp-sim process with a client registered, a
// token, and one-line helpers for authenticated Graph calls. Not a *_test.cpp, so it is only
// compiled where included.
#include <algorithm>
#include <string>
#include <vector>

#include "support/sim_http.hpp"
#include "support/sim_process.hpp"
#include "support/temp_dir.hpp"

namespace idform::testing {

inline constexpr const char* kGraphTenant = "84841066-274d-4ec0-a5c1-276be684bdd3";
inline constexpr const char* kGraphClient = "5a7b0000-1111-4222-8333-444455556666";
inline constexpr const char* kGraphSecret = "test-secret~value";

struct GraphSim {
  explicit GraphSim(std::vector<std::string> extra_args = {}, std::vector<std::string> seed_dirs = {})
      : authority_prefix(option_value(extra_args, "--authority-prefix")),
        sim(options(std::move(extra_args), std::move(seed_dirs))) {
    token = fetch_token();
  }

  static std::string option_value(const std::vector<std::string>& args, const std::string& name) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == name) return args[i + 1];
    }
    return {};
  }

  static SimProcessOptions options(std::vector<std::string> extra_args, std::vector<std::string> seed_dirs) {
    SimProcessOptions o;
    o.flavor = "graph";
    o.extra_args = {"--client", std::string(kGraphClient) + ":" + kGraphSecret};
    // "--tls" starts the simulator with https; every call then verifies its generated authority.
    auto tls = std::find(extra_args.begin(), extra_args.end(), "--tls");
    if (tls != extra_args.end()) {
      o.tls = true;
      extra_args.erase(tls);
    }
    for (const auto& dir : seed_dirs) {
      o.extra_args.push_back("--seed");
      o.extra_args.push_back(dir);
    }
    o.extra_args.insert(o.extra_args.end(), extra_args.begin(), extra_args.end());
    return o;
  }

  std::string token_url(const std::string& tenant = kGraphTenant) const {
    return sim.base_url() + authority_prefix + "/" + tenant + "/oauth2/v2.0/token";
  }

  HttpResponse token_request(const std::string& form, const std::string& tenant = kGraphTenant) const {
    return http_send(HttpRequest{"POST", token_url(tenant), {{"Content-Type", "application/x-www-form-urlencoded"}}, form,
                                 15000, sim.ca_file()});
  }

  std::string fetch_token() const {
    auto response = token_request("grant_type=client_credentials&client_id=" + std::string(kGraphClient) +
                                  "&client_secret=" + url_encode(kGraphSecret) +
                                  "&scope=" + url_encode("https://graph.microsoft.com/.default"));
    if (response.status != 200) throw std::runtime_error("token request failed: " + response.body);
    return response.json()["access_token"].get<std::string>();
  }

  std::string url(const std::string& path) const { return sim.base_url() + "/v1.0" + path; }

  HttpResponse call(const std::string& method, const std::string& path, const std::string& body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) const {
    headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return http_send(
        HttpRequest{method, path.rfind("http", 0) == 0 ? path : url(path), headers, body, 15000, sim.ca_file()});
  }
  HttpResponse get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {}) const {
    return call("GET", path, "", std::move(headers));
  }
  HttpResponse post(const std::string& path, const nlohmann::json& body) const { return call("POST", path, body.dump()); }
  HttpResponse patch(const std::string& path, const nlohmann::json& body) const {
    return call("PATCH", path, body.dump());
  }
  HttpResponse del(const std::string& path) const { return call("DELETE", path); }

  // Creates a security group and returns its id.
  std::string create_group(const std::string& name) const {
    auto response = post("/groups", {{"displayName", name},
                                     {"mailEnabled", false},
                                     {"mailNickname", name},
                                     {"securityEnabled", true}});
    if (response.status != 201) throw std::runtime_error("group create failed: " + response.body);
    return response.json()["id"].get<std::string>();
  }
  std::string create_user(const std::string& nickname) const {
    auto response = post("/users", {{"accountEnabled", true},
                                    {"displayName", nickname},
                                    {"mailNickname", nickname},
                                    {"userPrincipalName", nickname + "@contoso.onmicrosoft.com"},
                                    {"passwordProfile", {{"password", "Xy!12345678"}}}});
    if (response.status != 201) throw std::runtime_error("user create failed: " + response.body);
    return response.json()["id"].get<std::string>();
  }

  std::string authority_prefix;
  SimProcess sim;
  std::string token;
};

// The "value" array of a list response, by value (safe to iterate over a temporary body).
inline nlohmann::json value_of(const nlohmann::json& body) { return body.at("value"); }

// A seed file with `count` users named user000..., each with a mail address.
inline nlohmann::json seed_users(int count, const std::string& prefix = "user") {
  nlohmann::json value = nlohmann::json::array();
  for (int i = 0; i < count; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    char name[32];
    std::snprintf(name, sizeof name, "%s%03d", prefix.c_str(), i);
    value.push_back({{"id", id},
                     {"displayName", name},
                     {"userPrincipalName", std::string(name) + "@contoso.onmicrosoft.com"},
                     {"mail", std::string(name) + "@contoso.com"},
                     {"accountEnabled", true}});
  }
  return {{"@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users"}, {"value", value}};
}

}  // namespace idform::testing
