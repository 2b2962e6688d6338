#pragma once
// The built-in providers' settings schemas by name, as main registers them: what the loader checks
// idform.yaml's targets against in the config tests.

#include "providers/common/settings_schema.hpp"
#include "reconciler/config/target_settings.hpp"

namespace idform::testing {

inline const config::SettingsSchemas& built_in_settings_schemas() {
  static const config::SettingsSchemas kSchemas = {{"local", providers::settings_schema("local")},
                                                   {"entra", providers::settings_schema("entra")},
                                                   {"okta", providers::settings_schema("okta")}};
  return kSchemas;
}

}  // namespace idform::testing
