#pragma once
#include <string_view>

namespace idp_sim::graph {
// The Graph v1.0 CSDL subset (vendor file, unchanged) and idp-sim's supplement, compiled in.
std::string_view embedded_csdl_subset();
std::string_view embedded_csdl_supplement();
}  // namespace idp_sim::graph
