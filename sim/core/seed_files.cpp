// Reads a seed directory's JSON files in path order.
#include "core/seed_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace idp_sim {

bool SeedDocument::is_list_response() const {
  return json.is_object() && json.contains("value") && json["value"].is_array();
}

std::vector<Json> SeedDocument::items() const {
  std::vector<Json> out;
  if (is_list_response()) {
    for (const auto& item : json["value"]) out.push_back(item);
  } else if (json.is_array()) {
    for (const auto& item : json) out.push_back(item);
  } else {
    out.push_back(json);
  }
  return out;
}

std::vector<SeedDocument> read_seed_documents(const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw SeedError("seed directory '" + directory.string() + "' does not exist or is not a directory");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::vector<SeedDocument> documents;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    SeedDocument document;
    document.path = fs::absolute(file);
    document.relative_path = fs::relative(file, directory).generic_string();
    try {
      document.json = Json::parse(buffer.str());
    } catch (const std::exception& e) {
      throw SeedError("seed file '" + file.string() + "' is not valid JSON: " + e.what());
    }
    documents.push_back(std::move(document));
  }
  std::sort(documents.begin(), documents.end(),
            [](const SeedDocument& a, const SeedDocument& b) { return a.relative_path < b.relative_path; });
  return documents;
}

}  // namespace idp_sim
