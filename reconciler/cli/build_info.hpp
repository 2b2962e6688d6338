#pragma once
// What `idform version` reports: the release, the commit it was built from, and the versions of
// the formats and contracts it speaks.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace idform::cli {

// The git commit the program was built from ("1a2b3c4d5e6f", with "-modified" when the work tree
// had uncommitted changes, "unknown" outside git). Generated at build time (cmake/BuildInfo.cmake).
std::string_view build_commit();

// {"version", "commit", "plan_format_version", "provider_protocol_version"}.
nlohmann::json version_info();

// "idform 0.1.0 (commit 1a2b3c4d5e6f)\nplan format 1, provider protocol 1\n".
std::string version_text();

}  // namespace idform::cli
