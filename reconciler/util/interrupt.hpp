#pragma once
// What happens when the user interrupts idform (Ctrl-C, SIGINT; or SIGTERM from a CI runner).
//
// The first signal only sets a flag: whatever runs stops at its next safe point. The applier
// starts no further change, a plugin is sent `cancel` for the request it is running and given a
// deadline to answer it, the sandbox stops before it writes, and the command ends with exit code
// kInterruptedExitCode, having said what it did and did not do. A second signal ends the process at
// once, as if no handler were installed.

#include <atomic>

namespace idform::util {

// 128 + SIGINT, what shells report for a program ended by Ctrl-C.
inline constexpr int kInterruptedExitCode = 130;

// Installs the handlers for SIGINT and SIGTERM (the idform executable's main does this).
void install_interrupt_handlers();

// The process-wide flag the handlers set; pass it as a request's `cancelled`.
const std::atomic<bool>* interrupt_flag();
bool interrupted();

// Sets or clears the flag as a signal would (tests; and `idform provider serve`, whose cancel
// arrives as a message).
void set_interrupted(bool value);

}  // namespace idform::util
