// `idform version`: what this build is and which plan format and provider contract it speaks.
#include "reconciler/cli/build_info.hpp"

#include "reconciler/plan/plan.hpp"
#include "reconciler/provider/provider.hpp"

namespace idform::cli {

nlohmann::json version_info() {
  return {{"version", IDFORM_VERSION},
          {"commit", std::string(build_commit())},
          {"plan_format_version", plan::kFormatVersion},
          {"provider_protocol_version", provider::kProtocolVersion}};
}

std::string version_text() {
  return "idform " + std::string(IDFORM_VERSION) + " (commit " + std::string(build_commit()) + ")\n" +
         "plan format " + std::to_string(plan::kFormatVersion) + ", provider protocol " +
         std::to_string(provider::kProtocolVersion) + "\n";
}

}  // namespace idform::cli
