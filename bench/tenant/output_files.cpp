// Writing the generated tenant's files: parent directories, JSON and text.
#include "bench/tenant/output_files.hpp"

#include <fstream>
#include <stdexcept>

namespace bench {

void write_text(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_json(const std::filesystem::path& path, const nlohmann::json& value) {
  // Compact: seeds of the large tenant run to hundreds of megabytes with indentation.
  write_text(path, value.dump() + "\n");
}

std::string yaml_quote(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace bench
