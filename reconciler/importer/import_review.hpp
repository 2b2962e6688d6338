#pragma once
// The check import makes of what it wrote: the written tree is loaded and validated exactly as
// `idform validate` does (schemas, references, roles, cycles), then checked by the provider, and
// every problem in a file import wrote is traced to the field it is in, or to the object when
// it is in no field (its name, say).

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "reconciler/model/resource.hpp"
#include "reconciler/util/result.hpp"

namespace idform::importer {

struct Rejection {
  std::string field;    // catalogue path ("members") or a mapping of them ("sso"); empty: the object
  std::string message;  // what validate said
};

struct ReviewResult {
  std::map<std::filesystem::path, std::vector<Rejection>> rejected;  // by file relative to out
  Diagnostics findings;             // problems import does not own (emergency access not excluded)
  std::size_t warnings = 0;         // validation warnings in the written files
};

// `written` maps each file import wrote (relative to `out`) to its text and kind.
struct WrittenFile {
  std::string text;
  model::Kind kind = model::Kind::group;
};

ReviewResult review_import(const std::filesystem::path& out, const std::map<std::filesystem::path, WrittenFile>& written,
                           const std::function<Diagnostics(const model::DesiredState&)>& provider_check);

// The catalogue field of `kind` (or the mapping of fields, "sso.saml") whose key comes last at or
// before the position (line, column) in the YAML `text`; empty when that is before every field
// (kind, name, id) or the text does not parse.
std::string field_at(const std::string& text, model::Kind kind, int line, int column);

}  // namespace idform::importer
