// Fuzz target: idform.yaml, the project file (targets, ownership, guards, emergency access). The
// input is written as idform.yaml beside one valid group and the config is loaded, which builds
// the project, asks the registry-free checks of every target, and resolves the guard references.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "reconciler/config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dir = idform::fuzz::scratch_dir() / "project";
  static bool group_written = false;
  if (!group_written) {
    idform::fuzz::write_file(dir / "groups" / "team.yaml", "kind: Group\nname: break-glass\nmembers: [a@acme.example]\n");
    group_written = true;
  }
  idform::fuzz::write_file(dir / "idform.yaml", idform::fuzz::text_of(data, size));
  (void)idform::config::load_config(dir);
  return 0;
}
