#pragma once
// Dependencies between changes and the order apply follows.

#include <string>
#include <vector>

#include "reconciler/plan/plan.hpp"

namespace idform::plan {

// Fills Change::depends_on and sorts the changes into a valid apply order:
// named locations and groups before applications, applications before policies; an object
// created in this plan before everything that refers to it; deletes last, in reverse, each after
// every change that still refers to the deleted object.
// Deletes that refer to each other (two groups nested in each other, both going) have no order
// to keep and are not made to wait for each other. Any other cycle cannot be applied: each one
// is returned as its addresses in order ("group.a -> group.b -> group.a"), and the changes on it
// are left at the end.
std::vector<std::string> order_changes(std::vector<Change>& changes);

}  // namespace idform::plan
