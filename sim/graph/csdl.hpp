#pragma once
// A reader for the Graph CSDL (OData $metadata XML) and the model it describes: entity, complex
// and enum types with their properties, base types and nullability. Request validation checks
// bodies against it, so validation follows Microsoft's own metadata rather than hand-written
// schemas. The XML reader understands exactly what CSDL uses (elements, attributes, comments).
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace idp_sim::graph {

struct CsdlProperty {
  std::string name;
  std::string type;         // element type without "Collection(...)", e.g. "Edm.String", "graph.ipRange"
  bool collection = false;
  bool nullable = true;
};

struct CsdlType {
  enum class Kind { entity, complex, enumeration };
  Kind kind = Kind::complex;
  std::string name;          // "group"
  std::string base;          // "directoryObject" (namespace stripped), "" if none
  bool open = false;
  bool abstract = false;
  bool flags = false;        // enum with IsFlags
  std::vector<CsdlProperty> properties;
  std::vector<CsdlProperty> navigation;
  std::vector<std::string> members;  // enum members
};

class CsdlError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class CsdlModel {
public:
  // Adds the types of one CSDL document. Throws CsdlError on malformed XML.
  void load(std::string_view xml);
  // The built-in model: embedded CSDL subset + supplement.
  static const CsdlModel& graph();

  // Accepts "group", "graph.group", "microsoft.graph.group", "#microsoft.graph.group".
  const CsdlType* find(const std::string& name) const;
  const CsdlProperty* property(const CsdlType& type, const std::string& name) const;
  const CsdlProperty* navigation(const CsdlType& type, const std::string& name) const;
  bool derives_from(const CsdlType& type, const std::string& base) const;
  bool is_open(const CsdlType& type) const;
  std::vector<const CsdlProperty*> all_properties(const CsdlType& type) const;
  std::size_t size() const { return m_types.size(); }

  static std::string strip_namespace(const std::string& name);

private:
  std::map<std::string, CsdlType> m_types;
};

}  // namespace idp_sim::graph
