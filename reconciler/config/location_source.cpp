// Rebuilds one resource file's complete source locations when an error needs a member's line.
#include "reconciler/config/location_source.hpp"

#include <fstream>
#include <sstream>

#include "reconciler/config/resource_builder.hpp"
#include "reconciler/config/schema_check.hpp"

namespace idform::config {

const model::Locations* LocationSource::of_document(std::size_t index) {
  std::call_once(m_once, [&] { rebuild(); });
  if (index >= m_documents.size() || !m_documents[index]) return nullptr;
  return &*m_documents[index];
}

void LocationSource::rebuild() {
  std::ifstream in(m_path, std::ios::binary);
  if (!in) return;
  std::ostringstream text;
  text << in.rdbuf();
  YamlFile file = parse_yaml(text.str(), m_shown);
  m_documents.resize(file.documents.size());
  for (std::size_t i = 0; i < file.documents.size(); ++i) {
    Result<model::Kind> kind = document_kind(file.documents[i]);
    if (!kind) continue;
    Diagnostics ignored;  // reported when the file was loaded
    m_documents[i] = build_resource(file.documents[i], *kind, ignored).locations;
  }
}

}  // namespace idform::config
