#pragma once
// Microsoft first-party applications: services such as Exchange Online that conditional access
// policies target in nearly every tenant, but that have no application object in it. idform
// names them "app:microsoft:<NAME>" by a well-known name (the table in first_party_apps.cpp and
// docs/providers/entra.md); any other application from outside the tenant is
// "app:appid:<GUID>".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::providers::entra {

struct FirstPartyApp {
  std::string_view name;    // idform's well-known name: app:microsoft:<name>
  std::string_view app_id;  // the application (client) id, the same in every tenant
};

const std::vector<FirstPartyApp>& first_party_apps();

// The well-known name of an application id (any case), if it is in the table.
std::optional<std::string_view> first_party_name(std::string_view app_id);
// The application id of a well-known name (exact), if it is in the table.
std::optional<std::string_view> first_party_app_id(std::string_view name);

// The reference for an application that is not in the tenant: "app:microsoft:<NAME>" for a
// first-party app in the table, else "app:appid:<appId>".
std::string external_app_reference(const std::string& app_id);

// The application id an app:microsoft: or app:appid: reference stands for; nullopt for other
// references; an error for a well-known name that is not in the table.
std::optional<Result<std::string>> external_app_id(std::string_view reference);

// app:microsoft: names not in the table, app:appid: ids that have a well-known name (the read
// side would write the name, so the plan would never converge) and app:okta: references.
void check_external_apps(const model::Resource& policy, Diagnostics& out);

}  // namespace idform::providers::entra
