// The SIGINT/SIGTERM handlers: the first signal sets a flag, the second ends the process.
#include "reconciler/util/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

namespace idform::util {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

// Only async-signal-safe calls: an atomic store, write(2), signal(2) and raise(3).
void on_signal(int signal_number) {
  if (g_interrupted.exchange(true)) {
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
    return;
  }
  static constexpr char kMessage[] =
      "\nidform: interrupted; stopping at the next safe point (nothing new is started). Press Ctrl-C again to stop at "
      "once.\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>* interrupt_flag() { return &g_interrupted; }

bool interrupted() { return g_interrupted.load(); }

void set_interrupted(bool value) { g_interrupted.store(value); }

}  // namespace idform::util
