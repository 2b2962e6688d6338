// idp-sim entry point; everything else lives in idp_sim_lib (core/run.cpp).
#include "core/run.hpp"

int main(int argc, char** argv) { return idp_sim::run_main(argc, argv); }
