#pragma once
// The complete source locations of one resource file's resources, rebuilt on demand.
//
// The loader leaves the entries of plain member lists out of each resource's model::Locations
// (a large config has over a million, and only an error message ever reads one). When a lookup
// needs them, the file is read and built again, once for all its resources, exactly as the
// loader built it but keeping every entry.

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "reconciler/model/locations.hpp"

namespace idform::config {

class LocationSource {
 public:
  // `path` is opened; `shown` names the file in locations, as the loader named it.
  LocationSource(std::filesystem::path path, std::string shown)
      : m_path(std::move(path)), m_shown(std::move(shown)) {}

  // The locations of the `index`th document of the file (counting the documents YamlFile
  // holds), or nullptr when the file can no longer be read as it was. Thread-safe.
  const model::Locations* of_document(std::size_t index);

 private:
  void rebuild();

  std::filesystem::path m_path;
  std::string m_shown;
  std::once_flag m_once;
  std::vector<std::optional<model::Locations>> m_documents;
};

}  // namespace idform::config
