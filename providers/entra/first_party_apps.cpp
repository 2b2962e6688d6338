// The table of Microsoft first-party applications idform knows by name. The application ids are
// from Microsoft's support article "Verify first-party Microsoft applications in sign-in reports"
// (table "Application IDs for commonly used Microsoft applications"); the names are Microsoft's,
// shortened where Microsoft's own prefix adds nothing ("Office 365 Exchange Online" is
// "Exchange Online"). docs/providers/entra.md lists the same table.

#include "providers/entra/first_party_apps.hpp"

#include "reconciler/model/reference_forms.hpp"
#include "reconciler/model/spec_path.hpp"
#include "reconciler/util/strings.hpp"

namespace idform::providers::entra {

const std::vector<FirstPartyApp>& first_party_apps() {
  static const std::vector<FirstPartyApp> apps = {
      {"Exchange Online", "00000002-0000-0ff1-ce00-000000000000"},
      {"SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"},
      {"Skype for Business Online", "00000004-0000-0ff1-ce00-000000000000"},
      {"Yammer", "00000005-0000-0ff1-ce00-000000000000"},
      {"Office 365 Portal", "00000006-0000-0ff1-ce00-000000000000"},
      {"Exchange Online Protection", "00000007-0000-0ff1-ce00-000000000000"},
      {"Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000"},
      {"Microsoft Graph", "00000003-0000-0000-c000-000000000000"},
      {"Common Data Service", "00000007-0000-0000-c000-000000000000"},
      {"Power BI Service", "00000009-0000-0000-c000-000000000000"},
      {"Microsoft App Access Panel", "0000000c-0000-0000-c000-000000000000"},
      {"Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"},
      {"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"},
      {"Microsoft Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"},
      {"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"},
      {"Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"},
      {"Microsoft Teams Web Client", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"},
      {"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c"},
      {"Office.com", "4b233688-031c-404b-9a80-a4f3f2351f90"},
      {"Office 365 Management", "00b41c95-dab0-4487-9791-b9d2c32c80f2"},
      {"Microsoft Forms", "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87"},
      {"Microsoft Stream Portal", "cf53fce8-def6-4aeb-8d30-b158e7b1cf83"},
      {"Microsoft Power BI", "871c010f-5e61-4fb1-83ac-98610a7e9110"},
      {"Microsoft Cloud App Security", "3090ab82-f1c1-4cdf-af2c-5d7a6f3e2cc7"},
      {"Microsoft Intune Web Company Portal", "74bcdadc-2fdc-4bb3-8459-76d06952a0e9"},
      {"Microsoft Intune Windows Agent", "fc0f3af4-6835-4174-b806-f7db311fd2f3"},
      {"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e"},
      {"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763"},
      {"Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4"},
      {"WindowsDefenderATP Portal", "a3b79187-70b2-4139-83f9-6016c58cd27b"},
  };
  return apps;
}

std::optional<std::string_view> first_party_name(std::string_view app_id) {
  std::string wanted = util::to_lower(app_id);
  for (const FirstPartyApp& app : first_party_apps())
    if (app.app_id == wanted) return app.name;
  return std::nullopt;
}

std::optional<std::string_view> first_party_app_id(std::string_view name) {
  for (const FirstPartyApp& app : first_party_apps())
    if (app.name == name) return app.app_id;
  return std::nullopt;
}

std::string external_app_reference(const std::string& app_id) {
  if (auto name = first_party_name(app_id)) return "app:microsoft:" + std::string(*name);
  return "app:appid:" + app_id;
}

std::optional<Result<std::string>> external_app_id(std::string_view reference) {
  model::Reference ref = model::Reference::parse(reference);
  if (ref.type != "app") return std::nullopt;
  if (ref.value.starts_with("appid:")) return Result<std::string>(ref.value.substr(6));
  if (!ref.value.starts_with("microsoft:")) return std::nullopt;
  std::string name = ref.value.substr(10);
  if (auto app_id = first_party_app_id(name)) return Result<std::string>(std::string(*app_id));
  return Result<std::string>(fail("\"" + name + "\" is not a Microsoft application known to provider \"entra\"",
                                  "see docs/providers/entra.md for the names, or write app:appid:<GUID>"));
}

void check_external_apps(const model::Resource& policy, Diagnostics& out) {
  for (const char* side : {"applications.include", "applications.exclude"}) {
    const nlohmann::json* list = model::find_path(policy.spec, side);
    if (!list || !list->is_array()) continue;
    for (const auto& item : *list) {
      if (!item.is_string()) continue;
      const std::string element = item.get<std::string>();
      model::Reference ref = model::Reference::parse(element);
      if (!model::is_external_app(ref)) continue;
      std::string problem, hint;
      if (ref.value.starts_with("okta:")) {
        problem = "app:okta: names one of Okta's own applications; provider \"entra\" has none";
        hint = "write app:microsoft:NAME or app:appid:<GUID>";
      } else if (ref.value.starts_with("appid:")) {
        if (auto name = first_party_name(ref.value.substr(6))) {
          problem = "application id " + ref.value.substr(6) + " is Microsoft's \"" + std::string(*name) + "\"";
          hint = "write app:microsoft:" + std::string(*name) + " (as plans and import name it)";
        }
      } else if (auto app_id = external_app_id(element); app_id && !*app_id) {
        problem = app_id->error().summary;
        hint = app_id->error().detail;
      }
      if (problem.empty()) continue;
      auto where = policy.locations.find(std::string(side) + "[" + element + "]");
      out.push_back(Error{std::string(side) + ": " + problem, hint, policy.address(),
                          where != policy.locations.end() ? where->second : policy.where});
    }
  }
}

}  // namespace idform::providers::entra
