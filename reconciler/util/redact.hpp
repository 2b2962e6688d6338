#pragma once
// The one redaction mechanism. Every secret idform handles (client secrets, tokens, private
// keys, values a provider marks sensitive) is registered here when it is read; every piece of
// text that leaves the process through a plan, a renderer, a log or an audit log is passed
// through redact(), which replaces any registered secret with "(redacted)". Bearer tokens,
// SSWS tokens and PEM private-key blocks are also recognised by shape, in case a secret reaches
// a message before it was registered.

#include <string>
#include <string_view>

#include "reconciler/util/result.hpp"

namespace idform::util {

inline constexpr std::string_view kRedacted = "(redacted)";

// Registers a secret value (ignored when shorter than 4 characters). Thread-safe.
void register_secret(std::string_view secret);
// `text` with every registered secret and every recognisable credential replaced.
std::string redact(std::string_view text);
// `error` with its summary and detail redacted; its category and everything else kept.
Error redacted(Error error);
// Forgets all registered secrets (for tests).
void clear_secrets();

}  // namespace idform::util
