// Replays every fuzz target's kept corpus (tests/fuzz/corpus/TARGET: the seeds and each input that
// once crashed the target) through the target's own entry point in the normal test build, so a
// crash fixed once stays fixed without clang or libFuzzer. Fuzzing itself is scripts/fuzz.sh.

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

// The targets' LLVMFuzzerTestOneInput, renamed per target by tests/fuzz/targets.cmake.
extern "C" int idform_fuzz_yaml_loader(const std::uint8_t* data, std::size_t size);
extern "C" int idform_fuzz_project_file(const std::uint8_t* data, std::size_t size);
extern "C" int idform_fuzz_plan_file(const std::uint8_t* data, std::size_t size);
extern "C" int idform_fuzz_sandbox(const std::uint8_t* data, std::size_t size);
extern "C" int idform_fuzz_http_headers(const std::uint8_t* data, std::size_t size);
extern "C" int idform_fuzz_vendor_pages(const std::uint8_t* data, std::size_t size);

namespace {

using FuzzEntry = int (*)(const std::uint8_t*, std::size_t);

// Feeds every file of the target's corpus to `entry`; returns how many there were. A crash, a
// sanitizer report or an exception ends the test; a target returns 0 for every input.
int replay_corpus(const std::string& target, FuzzEntry entry) {
  int inputs = 0;
  const auto dir = std::filesystem::path(IDFORM_SOURCE_DIR) / "tests/fuzz/corpus" / target;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(file.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(target << ": " << file.path().filename().string());
    CHECK(entry(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()) == 0);
    ++inputs;
  }
  return inputs;
}

}  // namespace

TEST_CASE("the fuzz corpus replays through every fuzz target without a crash", "[fuzz-corpus]") {
  const std::pair<const char*, FuzzEntry> targets[] = {
      {"yaml_loader", idform_fuzz_yaml_loader}, {"project_file", idform_fuzz_project_file},
      {"plan_file", idform_fuzz_plan_file},     {"sandbox", idform_fuzz_sandbox},
      {"http_headers", idform_fuzz_http_headers}, {"vendor_pages", idform_fuzz_vendor_pages}};
  for (const auto& [target, entry] : targets) {
    DYNAMIC_SECTION(target) { CHECK(replay_corpus(target, entry) > 0); }
  }
}
