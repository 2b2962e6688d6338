#pragma once
// One function per command; each returns the process exit code.

#include "reconciler/cli/cli.hpp"
#include "reconciler/cli/options.hpp"

namespace idform::cli {

int run_validate(const Options& options, const provider::Registry& registry, Io& io);
int run_plan(const Options& options, const provider::Registry& registry, Io& io);
int run_apply(const Options& options, const provider::Registry& registry, Io& io);
int run_import(const Options& options, const provider::Registry& registry, Io& io);
int run_drift(const Options& options, const provider::Registry& registry, Io& io);

// Colour only on a terminal, never with --no-color or NO_COLOR set.
bool use_color(const Options& options, const Io& io);

}  // namespace idform::cli
