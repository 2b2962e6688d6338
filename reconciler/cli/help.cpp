// The help text of every command and the overview.
#include "reconciler/cli/help.hpp"

namespace idform::cli {
namespace {

constexpr std::string_view kOverview = R"(idform - identity-provider configuration as code

Usage: idform <command> [options]

Commands:
  validate [DIR]   Check the configuration: schemas, references, duplicate names
  plan             Read the live tenant and show what apply would change
  apply [PLANFILE] Apply a saved plan, or plan, confirm and apply
  drift            Report changes made in the tenant outside the configuration
  import           Write the live tenant as a config tree (adopt an existing tenant)
  whatif           Evaluate sign-in scenarios offline against the policies (--base, --matrix)
  show PLANFILE    Print a saved plan as text, markdown or JSON
  provider         Run a built-in provider as a plugin (serve NAME); the conformance kit (test)
  version          Print the version, commit, plan format and provider protocol versions

Global options:
  --config DIR     Configuration directory (default: current directory)
  --target NAME    Target from idform.yaml (default: default_target)
  --no-color       No colours (also when NO_COLOR is set or stdout is not a terminal)
  -v, --verbose    Log provider requests to stderr, each line timestamped (secrets redacted)
  -q, --quiet      No progress on stderr (errors are still printed)
  -h, --help       Help for a command: idform <command> --help
  --version        Print the version (--version --json: as JSON)

Progress goes to stderr: a status line on a terminal, otherwise a timestamped line at least
every 10 seconds while reading or applying. stdout carries only the requested output.

Exit codes: 0 success, 1 error, 2 changes present (plan --detailed-exitcode) or drift found,
130 interrupted (Ctrl-C or SIGTERM: nothing new starts after it; a second Ctrl-C stops at once).
)";

constexpr std::string_view kValidate = R"(Usage: idform validate [DIR] [--config DIR] [--target NAME]

Checks every document under DIR (default: --config, else the current directory; the nearest
directory above it holding idform.yaml) against the JSON Schema of its kind, then dates, CIDR
ranges, country codes, duplicate names (also names equal but for case) and typed references
(group:, app:, location:), and whether every target's provider (only NAME's with --target) can
express the configuration. Every problem is printed as file:line:col: message. Nothing is read
from or written to a tenant.

Exit codes: 0 valid, 1 errors found.
)";

constexpr std::string_view kPlan = R"(Usage: idform plan [--target NAME] [--format text|json|markdown] [--out FILE]
                   [--detailed-exitcode] [--show-unmanaged] [--no-color]
                   [--refresh auto|full|incremental] [--max-cache-age AGE] [--cache-dir DIR]

Reads the live tenant of the target, compares it with the configuration and prints the changes
apply would make: + create, ~ update (attribute before -> after, members added/removed),
- delete. Objects in the tenant the configuration does not mention are counted as unmanaged.

Options:
  --format FORMAT      text (default), json (the plan file format) or markdown (for PR comments)
  --out FILE           Also save the plan as JSON, for `idform apply FILE`
  --detailed-exitcode  Exit 2 when there are changes, 0 when there are none
  --show-unmanaged     List the unmanaged objects instead of only counting them
  --expiring-within N  List temporary access expiring within N days (default 14)
  --refresh MODE       auto (default): read only what changed since the cached read where the
                       provider can, else in full, saying why; full; incremental (fail when the
                       cache cannot be used). See docs/incremental.md
  --max-cache-age AGE  Read in full when the cache is older (default 7d; e.g. 12h, 30m, 0)
  --cache-dir DIR      Where the cache lives (default .idform/cache in the config directory)

Exit codes: 0 success (no changes with --detailed-exitcode), 1 error, 2 changes present.
)";

constexpr std::string_view kApply = R"(Usage: idform apply [PLANFILE] [--target NAME] [--auto-approve] [--parallelism N]
                    [--accept GUARD]... [--skip-blocked] [--audit-log FILE]

Without PLANFILE: plans, shows the plan, asks for "yes" on a terminal and applies it.
With PLANFILE (from `idform plan --out`): applies exactly that plan, after checking that it was
made for this target and configuration and that no object it touches changed since.

Options:
  --auto-approve     Do not ask for confirmation (required when stdin is not a terminal)
  --parallelism N    Changes applied at the same time (default 4); dependencies are respected
  --accept GUARD     Accept a tripped guard (max_deletes, max_member_removals, protected,
                     policy_weakening, bypass_membership, location_widening); repeat for each
  --skip-blocked     Apply what no unaccepted guard blocks; hold back the rest (expired access
                     is removed even where the rest of its change is held back)
  --audit-log FILE   Append one JSON line per change: applied, failed, skipped, held back or
                     refused (docs/audit-log.md)

Deletions start only after every create and update has finished, and none runs if one failed.

Exit codes: 0 everything applied, 1 anything failed, was skipped, held back or refused,
130 interrupted: no change started after it (the audit log says which did not apply).
)";

constexpr std::string_view kDrift = R"(Usage: idform drift [--target NAME] [--format text|json|markdown] [--show-unmanaged]
                    [--refresh auto|full|incremental] [--max-cache-age AGE] [--cache-dir DIR]

Compares the live tenant with the configuration and reports, object by object, what changed
in the tenant outside git. Meant for scheduled jobs. --refresh, --max-cache-age and
--cache-dir work as for plan (see idform plan --help).

Exit codes: 0 no drift, 1 error, 2 drift found.
)";

constexpr std::string_view kImport = R"(Usage: idform import --target NAME [--out DIR] [--kinds KIND,...] [--match REGEX]
                     [--include-builtin] [--force]

Reads the target's tenant and writes one YAML file per object under groups/, apps/, policies/
and locations/ of DIR (default: --config), each with its id:, references by name, fields equal
to the provider's defaults left out, lists sorted. Writes idform.yaml with the target when DIR
has none. Importing the same tenant twice gives byte-identical files; the result plans to zero
changes. Never writes a secret.

Options:
  --out DIR            Where to write (default: the --config directory)
  --kinds LIST         Only these kinds: groups, applications, conditional_access_policies,
                       named_locations (or group, app, policy, location)
  --match REGEX        Only objects whose name matches
  --include-builtin    Also write built-in objects the provider can manage
  --force              Overwrite existing files (otherwise nothing is written if any exists)

Exit codes: 0 written, 1 error.
)";

constexpr std::string_view kWhatif = R"(Usage: idform whatif [--ref REV] [--base REV] [--matrix] [--semantics entra|okta] [--format text|markdown]

Evaluates the sign-in scenarios in whatif/*.yaml offline against the conditional access
policies of the configuration, and prints for each which policies apply and why (or why not),
the combined outcome, and what report-only policies would do. Nothing is read from the tenant.

  --ref REV        Evaluate the policies as they are at git revision REV (default: the working tree)
  --base REV       Print only the scenarios whose outcome differs between REV and the working tree
                   (or --ref)
  --matrix         Build sign-ins from the config's groups, applications, platforms and named
                   locations, and list the gaps: no policy, no MFA, emergency access blocked
  --semantics S    entra (every matching policy applies) or okta (first matching rule decides);
                   default: the provider of the target
  --format F       text (default) or markdown

Exit codes: 0 done, 1 error or a scenario's expect: not met.
)";

constexpr std::string_view kShow = R"(Usage: idform show PLANFILE [--format text|json|markdown] [--no-color] [--show-unmanaged]

Prints a plan saved with `idform plan --out PLANFILE` without reading any tenant: as text
(default), markdown (for pull-request comments, within GitHub's 65,536-character limit) or
JSON (the plan file format).

Exit codes: 0 printed, 1 the file is missing or not a plan.
)";

constexpr std::string_view kVersion = R"(Usage: idform version [--json]

Prints idform's version, the git commit it was built from, the plan file format version it
reads and writes, and the version of the provider contract. --json prints them as an object:
{"version", "commit", "plan_format_version", "provider_protocol_version"}.

Exit codes: 0.
)";

constexpr std::string_view kProvider = R"(Usage: idform provider serve NAME
       idform provider test [--target NAME] [--config DIR]

serve NAME runs the built-in provider NAME (local, entra, okta) out of process: it speaks the
plugin protocol (docs/plugin-protocol.md) on stdin and stdout, as any external plugin does. A
target with plugin: [idform, provider, serve, NAME] uses it.

test runs the conformance kit against a target's provider, through the same plan and apply as
idform apply: it creates two groups named idform-conformance-*, one a member of the other, and
checks that the next plan is empty, that planning again changes nothing, that a description
update plans as exactly that, that a member can be removed and added back, that a pinned id
renames, that a change to an object that does not exist fails, and that both delete. It deletes
every idform-conformance-* group before it starts and when it ends, also after a failed step.
Run it against a tenant meant for testing.

Exit codes: serve: 0 after the host's shutdown or end of input, 1 when NAME is not built in or
the handshake failed; test: 0 when every step passed, 1 otherwise.
)";

}  // namespace

std::string_view help_text(std::string_view command) {
  if (command.empty()) return kOverview;
  if (command == "validate") return kValidate;
  if (command == "plan") return kPlan;
  if (command == "apply") return kApply;
  if (command == "drift") return kDrift;
  if (command == "import") return kImport;
  if (command == "whatif") return kWhatif;
  if (command == "show") return kShow;
  if (command == "version") return kVersion;
  if (command == "provider") return kProvider;
  return {};
}

}  // namespace idform::cli
