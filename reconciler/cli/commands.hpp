#pragma once
// One function per command; each returns the process exit code.

#include "reconciler/cli/cli.hpp"
#include "reconciler/cli/options.hpp"
#include "reconciler/config/loader.hpp"

namespace idform::cli {

// Writes "error: ..." (redacted) to stderr and returns the exit code 1.
int report_error(const Error& error, Io& io);

int run_validate(const Options& options, const provider::Registry& registry, Io& io);
int run_plan(const Options& options, const provider::Registry& registry, Io& io);
int run_apply(const Options& options, const provider::Registry& registry, Io& io);
int run_import(const Options& options, const provider::Registry& registry, Io& io);
int run_drift(const Options& options, const provider::Registry& registry, Io& io);
int run_whatif(const Options& options, Io& io);
// idform provider serve NAME (provider_command.cpp), idform provider test (conformance.cpp)
int run_provider(const Options& options, const provider::Registry& registry, Io& io);
int run_provider_test(const Options& options, const provider::Registry& registry, Io& io);

// The "sign-in scenarios this change affects" section of a markdown plan ("" without whatif/
// scenarios): whatif/*.yaml evaluated against the live policies and against the config's.
std::string whatif_plan_section(const Options& options, const config::LoadedConfig& config, const model::LiveState& live);
int run_show(const Options& options, Io& io);

// Colour only on a terminal, never with --no-color or NO_COLOR set.
bool use_color(const Options& options, const Io& io);

}  // namespace idform::cli
