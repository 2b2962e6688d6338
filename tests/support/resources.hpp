#pragma once
// Building model resources in unit tests.

#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/model/resource.hpp"

namespace idform::testing {

inline model::Resource resource(model::Kind kind, std::string name, nlohmann::json spec, std::string id = "") {
  model::Resource out;
  out.kind = kind;
  out.name = std::move(name);
  out.spec = std::move(spec);
  out.id = std::move(id);
  return out;
}

}  // namespace idform::testing
