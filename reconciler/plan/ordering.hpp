#pragma once
// Dependencies between changes and the order apply follows.

#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::plan {

// Fills Change::depends_on and sorts the changes into a valid apply order:
// named locations and groups before applications, applications before policies; an object
// created in this plan before everything that refers to it; deletes last, in reverse, each after
// every change that still refers to the deleted object.
void order_changes(std::vector<Change>& changes);

}  // namespace idform::plan
