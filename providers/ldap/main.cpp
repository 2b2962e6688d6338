// idform-provider-ldap: the ldap provider as a plugin. Describes itself (groups with description
// and members; every user is read) and serves the plugin protocol on stdin and stdout.

#include <exception>
#include <iostream>

#include "providers/ldap/capabilities.hpp"
#include "providers/ldap/ldap_provider.hpp"
#include "providers/ldap/ldap_settings.hpp"
#include "reconciler/provider/plugin_serve.hpp"
#include "reconciler/util/strings.hpp"

int main() {
  using namespace idform;
  provider::protocol::PluginInfo info;
  info.name = "ldap";
  info.version = IDFORM_VERSION;
  info.capabilities.kinds = {{model::Kind::group, {"description", "members"}}};
  info.capabilities.reads_every_user = true;
  info.capabilities.checks = true;
  info.settings_schema = providers::ldap::settings_schema();
  plugin::PluginDefinition definition{
      info,
      [](const provider::TargetContext& context) {
        return providers::ldap::make_ldap_provider(context, util::environment_variable);
      },
      providers::ldap::check_expressible};
  try {
    return plugin::serve(definition, std::cin, std::cout);
  } catch (const std::exception& error) {
    // Third-party code may throw; the host sees the plugin end and reports it by name.
    std::cerr << "idform-provider-ldap: internal error: " << error.what() << "\n";
    return 1;
  }
}
