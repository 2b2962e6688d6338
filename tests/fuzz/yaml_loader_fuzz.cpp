// Fuzz target: the YAML loader. The input is parsed on its own (both the fast block scanner and
// yaml-cpp), then loaded as a resource file beside a valid idform.yaml, through schema checks,
// resource building and reference checks. Any crash, hang or sanitizer report is a bug; errors
// are the expected outcome for most inputs.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "reconciler/config/loader.hpp"
#include "reconciler/config/yaml_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text = idform::fuzz::text_of(data, size);
  (void)idform::config::parse_yaml(text, "fuzz.yaml");
  (void)idform::config::parse_yaml_with_yaml_cpp(text, "fuzz.yaml");

  const auto dir = idform::fuzz::scratch_dir() / "loader";
  static bool project_written = false;
  if (!project_written) {
    idform::fuzz::write_file(dir / "idform.yaml",
                             "version: 1\ndefault_target: sandbox\ntargets:\n  sandbox: {provider: local}\n");
    project_written = true;
  }
  idform::fuzz::write_file(dir / "resources.yaml", text);
  (void)idform::config::load_config(dir);
  return 0;
}
