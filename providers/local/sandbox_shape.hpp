#pragma once
// The sandbox file is edited by hand and by tests; before anything reads it, its shape is
// checked against the field catalogue, so a value of the wrong type is an error naming the file,
// the object and the field ("groups[3] (payments): members must be a list of strings") rather
// than an exception from deep inside the differ or an apply worker.

#include <nlohmann/json.hpp>
#include <string>

#include "reconciler/util/result.hpp"

namespace idform::providers {

Result<void> check_sandbox_shape(const nlohmann::json& tenant, const std::string& file);

}  // namespace idform::providers
