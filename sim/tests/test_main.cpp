// Catch2 entry point of idp_sim_tests, the emulator's own test executable.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
