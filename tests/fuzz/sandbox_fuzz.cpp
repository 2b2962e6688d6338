// Fuzz target: the sandbox reader. The input is the sandbox file; reading it must give the live
// state or an error naming the file and field, never an exception or a crash.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "providers/local/local_provider.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = idform::fuzz::scratch_dir() / "sandbox.json";
  idform::fuzz::write_file(file, idform::fuzz::text_of(data, size));
  idform::providers::LocalProvider provider(file);
  (void)provider.read({});
  return 0;
}
