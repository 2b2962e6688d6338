#pragma once
// Graph JSON is read with the shared null-tolerant readers (providers/common/json_fields.hpp).

#include "providers/common/json_fields.hpp"

namespace idform::providers::entra {

using common::child;
using common::flag;
using common::integer;
using common::items;
using common::text;
using common::texts;

}  // namespace idform::providers::entra
