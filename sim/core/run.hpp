#pragma once

namespace idp_sim {
// The whole program behind main(): returns the process exit code (0 ok, 2 usage/seed error).
int run_main(int argc, char** argv);
}  // namespace idp_sim
