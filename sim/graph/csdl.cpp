// Reads the Graph CSDL (OData $metadata XML) into a model of entity and complex types.
#include "graph/csdl.hpp"

#include <cctype>

#include "graph/csdl_text.hpp"

namespace idp_sim::graph {

namespace {

struct XmlTag {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool closing = false;
  bool self_closing = false;
};

// Splits the document into tags; text content is not needed for CSDL.
std::vector<XmlTag> read_tags(std::string_view xml) {
  std::vector<XmlTag> tags;
  std::size_t i = 0;
  while ((i = xml.find('<', i)) != std::string_view::npos) {
    if (xml.substr(i, 4) == "<!--") {
      auto end = xml.find("-->", i);
      if (end == std::string_view::npos) throw CsdlError("unterminated comment");
      i = end + 3;
      continue;
    }
    if (xml.substr(i, 2) == "<?") {
      auto end = xml.find("?>", i);
      if (end == std::string_view::npos) throw CsdlError("unterminated processing instruction");
      i = end + 2;
      continue;
    }
    auto end = xml.find('>', i);
    if (end == std::string_view::npos) throw CsdlError("unterminated tag");
    std::string_view body = xml.substr(i + 1, end - i - 1);
    XmlTag tag;
    if (!body.empty() && body.front() == '/') {
      tag.closing = true;
      body.remove_prefix(1);
    }
    if (!body.empty() && body.back() == '/') {
      tag.self_closing = true;
      body.remove_suffix(1);
    }
    std::size_t p = 0;
    while (p < body.size() && !std::isspace(static_cast<unsigned char>(body[p]))) ++p;
    tag.name = std::string(body.substr(0, p));
    while (p < body.size()) {
      while (p < body.size() && std::isspace(static_cast<unsigned char>(body[p]))) ++p;
      if (p >= body.size()) break;
      auto eq = body.find('=', p);
      if (eq == std::string_view::npos) throw CsdlError("malformed attribute in <" + tag.name + ">");
      std::string key(body.substr(p, eq - p));
      auto quote = body[eq + 1];
      if (quote != '"' && quote != '\'') throw CsdlError("unquoted attribute in <" + tag.name + ">");
      auto close = body.find(quote, eq + 2);
      if (close == std::string_view::npos) throw CsdlError("unterminated attribute in <" + tag.name + ">");
      tag.attributes[key] = std::string(body.substr(eq + 2, close - eq - 2));
      p = close + 1;
    }
    tags.push_back(std::move(tag));
    i = end + 1;
  }
  return tags;
}

CsdlProperty make_property(const XmlTag& tag) {
  CsdlProperty property;
  property.name = tag.attributes.count("Name") ? tag.attributes.at("Name") : "";
  std::string type = tag.attributes.count("Type") ? tag.attributes.at("Type") : "";
  if (type.rfind("Collection(", 0) == 0 && type.back() == ')') {
    property.collection = true;
    type = type.substr(11, type.size() - 12);
  }
  property.type = type;
  property.nullable = !(tag.attributes.count("Nullable") && tag.attributes.at("Nullable") == "false");
  return property;
}

}  // namespace

std::string CsdlModel::strip_namespace(const std::string& name) {
  std::string result = name;
  if (!result.empty() && result.front() == '#') result.erase(0, 1);
  for (const char* prefix : {"microsoft.graph.", "graph."}) {
    std::string p = prefix;
    if (result.rfind(p, 0) == 0) return result.substr(p.size());
  }
  return result;
}

void CsdlModel::load(std::string_view xml) {
  CsdlType* current = nullptr;
  int annotation_depth = 0;
  for (const auto& tag : read_tags(xml)) {
    if (tag.name == "Annotation") {
      if (!tag.self_closing) annotation_depth += tag.closing ? -1 : 1;
      continue;
    }
    if (annotation_depth > 0) continue;
    if (tag.name == "EntityType" || tag.name == "ComplexType" || tag.name == "EnumType") {
      if (tag.closing) {
        current = nullptr;
        continue;
      }
      CsdlType type;
      type.kind = tag.name == "EntityType"    ? CsdlType::Kind::entity
                  : tag.name == "ComplexType" ? CsdlType::Kind::complex
                                              : CsdlType::Kind::enumeration;
      type.name = tag.attributes.count("Name") ? tag.attributes.at("Name") : "";
      if (type.name.empty()) throw CsdlError("<" + tag.name + "> without Name");
      if (tag.attributes.count("BaseType")) type.base = strip_namespace(tag.attributes.at("BaseType"));
      type.open = tag.attributes.count("OpenType") && tag.attributes.at("OpenType") == "true";
      type.abstract = tag.attributes.count("Abstract") && tag.attributes.at("Abstract") == "true";
      type.flags = tag.attributes.count("IsFlags") && tag.attributes.at("IsFlags") == "true";
      auto& slot = m_types[type.name];
      slot = std::move(type);
      current = tag.self_closing ? nullptr : &slot;
      continue;
    }
    if (!current || tag.closing) continue;
    if (tag.name == "Property") current->properties.push_back(make_property(tag));
    else if (tag.name == "NavigationProperty") current->navigation.push_back(make_property(tag));
    else if (tag.name == "Member" && tag.attributes.count("Name")) current->members.push_back(tag.attributes.at("Name"));
  }
}

const CsdlModel& CsdlModel::graph() {
  static const CsdlModel model = [] {
    CsdlModel m;
    m.load(embedded_csdl_subset());
    m.load(embedded_csdl_supplement());
    return m;
  }();
  return model;
}

const CsdlType* CsdlModel::find(const std::string& name) const {
  auto it = m_types.find(strip_namespace(name));
  return it == m_types.end() ? nullptr : &it->second;
}

const CsdlProperty* CsdlModel::property(const CsdlType& type, const std::string& name) const {
  for (const CsdlType* t = &type; t; t = t->base.empty() ? nullptr : find(t->base)) {
    for (const auto& property : t->properties) {
      if (property.name == name) return &property;
    }
  }
  return nullptr;
}

const CsdlProperty* CsdlModel::navigation(const CsdlType& type, const std::string& name) const {
  for (const CsdlType* t = &type; t; t = t->base.empty() ? nullptr : find(t->base)) {
    for (const auto& property : t->navigation) {
      if (property.name == name) return &property;
    }
  }
  return nullptr;
}

bool CsdlModel::derives_from(const CsdlType& type, const std::string& base) const {
  std::string wanted = strip_namespace(base);
  for (const CsdlType* t = &type; t; t = t->base.empty() ? nullptr : find(t->base)) {
    if (t->name == wanted) return true;
  }
  return false;
}

bool CsdlModel::is_open(const CsdlType& type) const {
  for (const CsdlType* t = &type; t; t = t->base.empty() ? nullptr : find(t->base)) {
    if (t->open) return true;
  }
  return false;
}

std::vector<const CsdlProperty*> CsdlModel::all_properties(const CsdlType& type) const {
  std::vector<const CsdlType*> chain;
  for (const CsdlType* t = &type; t; t = t->base.empty() ? nullptr : find(t->base)) chain.insert(chain.begin(), t);
  std::vector<const CsdlProperty*> out;
  for (const auto* t : chain) {
    for (const auto& property : t->properties) out.push_back(&property);
  }
  return out;
}

}  // namespace idp_sim::graph
