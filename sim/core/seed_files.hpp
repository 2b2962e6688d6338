#pragma once
// Reads a seed directory: every *.json file below it (recursively, in path order), parsed with
// key order preserved. What a file means (object type, parent object) is the flavor's decision;
// this only provides the vendor-neutral part: the document, its path relative to the seed
// directory, and its items (a single object, a JSON array, or a list response {"value": [...]}).
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace idp_sim {

struct SeedDocument {
  std::filesystem::path path;      // absolute
  std::string relative_path;       // "groups/abc/members.json", forward slashes
  Json json;

  bool is_list_response() const;   // {"value": [...]}
  std::vector<Json> items() const;
};

class SeedError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Throws SeedError when the directory is missing or a file is not valid JSON.
std::vector<SeedDocument> read_seed_documents(const std::filesystem::path& directory);

}  // namespace idp_sim
