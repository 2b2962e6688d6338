#!/usr/bin/env python3
"""Shows that the hardening campaign's regression tests (issue 14) can fail: each fix is undone
in a scratch copy of the tree (a small source edit that brings the defect back), the tree is built
once with every edit in, and each defect's tests must then FAIL; the same tests must pass on the
unedited build. Not part of ctest (it builds the tree again); run it after changing a fix or its
test:

    scripts/regression-mutations.py                  # all defects, scratch tree in $TMPDIR
    scripts/regression-mutations.py --only 3,5       # some defects
    scripts/regression-mutations.py --keep           # keep the scratch tree and its build

Exit status 0 when every listed test fails with its defect back (and passes without it), 1 when
one does not, 2 on a usage or build error. Defect numbers are issue 14's; 8 (quadratic time in
unknown users) is a speed defect and lives in bench/ (the offline-unknown-members section), 10,
11, 13 and 14 are inputs and outputs whose tests fail by construction on the old messages.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

# Each defect: the edits that bring it back (file, text found exactly once, replacement) and the
# tests (Catch test names or patterns of idform_tests) that must fail with it back. Catch reads a
# comma in a name as "or": end such names with * before the comma.
DEFECTS = [
    {
        "defect": 1,
        "what": "an interrupted Okta policy create is read as a policy whose Catch-all denies",
        "edits": [("providers/okta/policy_mapping.cpp",
                   'return !flag(policy, "system") && own_rule_count(rules) == 0 && apps.empty();',
                   "return false;")],
        "tests": ["okta: a policy create stopped after its POST is finished by the next apply*"],
    },
    {
        "defect": 2,
        "what": "a key in $key_file_env that is not recognised is taken as a path and printed",
        "edits": [("providers/common/key_material.cpp",
                   "                                      const std::string& value) {\n  util::register_secret(value);",
                   "                                      const std::string& value) {"),
                  ("providers/common/key_material.cpp",
                   '      return fail("$" + variable + " names no readable file and holds no private key idform recognises",',
                   '      return fail("cannot read the private key file " + value,'),
                  ("providers/common/key_material.cpp",
                   "bool holds_key_itself(const std::string& value) {\n",
                   "bool holds_key_itself(const std::string& value) {\n"
                   '  if ((true)) return value.find("-----BEGIN") != std::string::npos;  // only PEM was recognised\n')],
        "tests": ["a private key idform cannot use is refused and never printed*"],
    },
    {
        "defect": 3,
        "what": "paging links are followed, with credentials, to any origin",
        "edits": [("providers/okta/okta_client.cpp", "if (!http::same_origin(url, m_settings.org_url))", "if (false)"),
                  ("providers/entra/graph_client.cpp", "if (!http::same_origin(url, m_settings.graph_endpoint))", "if (false)"),
                  ("providers/entra/graph_client.cpp", "if (!http::same_origin(link, m_settings.graph_endpoint))", "if (false)")],
        "tests": ["a Graph paging link off the configured endpoint is refused and gets no token",
                  "an Okta Link rel=next off the configured org is refused and gets no token"],
    },
    {
        "defect": 4,
        "what": "the loopback-only rule for plain http is a string prefix test",
        "edits": [("reconciler/http/client.cpp",
                   "  auto origin = origin_of(url);\n  if (!origin) return false;\n  if (origin->scheme == \"https\") return true;\n",
                   "  if (url.starts_with(\"https://\") || url.starts_with(\"http://localhost\") || url.starts_with(\"http://127.0.0.1\")) return true;\n  auto origin = origin_of(url);\n  if (!origin) return false;\n  if (origin->scheme == \"https\") return true;\n")],
        "tests": ["url_allowed: https anywhere*", "the http client refuses a disguised non-loopback plain-http URL before sending"],
    },
    {
        "defect": 5,
        "what": "apply PLANFILE trusts the file",
        "edits": [("reconciler/cli/apply_command.cpp", "  if (!differences.empty()) {\n", "  if ((false)) {\n")],
        "tests": ["apply PLANFILE refuses a plan edited after review and applies the reviewed one"],
    },
    {
        "defect": 6,
        "what": "no lock: concurrent applies on one sandbox",
        "edits": [("providers/local/sandbox_lock.cpp", "while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {", "while ((false)) {"),
                  ("reconciler/cli/apply_lock.cpp", "while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {", "while ((false)) {")],
        "tests": ["a command finding the sandbox locked past the wait says so and changes nothing"],
    },
    {
        "defect": 7,
        "what": "dependency cycles: no error, and the applier waits forever",
        "edits": [("reconciler/plan/differ.cpp",
                   '      m_result.errors.push_back({"the changes depend on each other in a cycle: " + cycle,\n'
                   '                                 "break the cycle in the config (an object cannot wait for itself)", "", {}});',
                   "      (void)cycle;"),
                  ("reconciler/apply/applier.cpp",
                   "return !m_ready.empty() || m_unfinished == 0 || m_running == 0; });",
                   "return !m_ready.empty() || m_unfinished == 0; });")],
        "tests": ["the differ reports a dependency cycle as an error naming it",
                  "the applier fails changes whose dependencies form a cycle instead of waiting forever"],
    },
    {
        "defect": 9,
        "what": "an exception in an apply worker ends the process",
        "edits": [("reconciler/apply/applier.cpp",
                   'return util::guarded("applying " + request.change.address, [&] { return m_provider.apply(request); });',
                   "return m_provider.apply(request);")],
        "tests": ["an exception in an apply worker is a failed change*"],
    },
    {
        "defect": 12,
        "what": "import writes what its own validate rejects",
        "edits": [("reconciler/importer/import_review.cpp",
                   "                           const std::function<Diagnostics(const model::DesiredState&)>& provider_check) {\n",
                   "                           const std::function<Diagnostics(const model::DesiredState&)>& provider_check) {\n"
                   "  if ((true)) return {};\n")],
        # Only the Entra generator makes names validate refuses; the Okta round-trip passes even
        # with import's review switched off (checked 2026-12-07).
        "tests": ["import round-trips generated Entra tenants"],
    },
    {
        "defect": 15,
        "what": "Entra: the plan right after an apply reads owners and assignments as they were",
        "edits": [("providers/entra/consistency.cpp",
                   "  if (present.empty() && absent.empty()) return {};\n  const Tuning& tuning = graph.settings().tuning;",
                   "  if ((true)) return {};\n  const Tuning& tuning = graph.settings().tuning;")],
        "tests": ["entra: the plan right after a membership change reads what the apply wrote",
                  "entra: the plan right after an owner or assignment change reads what the apply wrote"],
    },
]

TEST_TIMEOUT = 300  # a test that hangs with its defect back (7) counts as failing


def run(command, cwd, timeout=None, env=None):
    try:
        done = subprocess.run(command, cwd=cwd, env=env, timeout=timeout, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace")
        return done.returncode, done.stdout
    except subprocess.TimeoutExpired:
        return "timeout", ""


def apply_edits(tree, defects):
    for defect in defects:
        for relative, old, new in defect["edits"]:
            path = os.path.join(tree, relative)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            if text.count(old) != 1:
                sys.exit(f"defect {defect['defect']}: {relative}: the text to edit is found {text.count(old)} times "
                         "(the fix moved; update scripts/regression-mutations.py)")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text.replace(old, new))


def build(tree, build_dir, source):
    # Unoptimised and in batches: the quickest full build; the tests do not need speed.
    configure = ["cmake", "-S", tree, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -DNDEBUG",
                 "-DIDFORM_UNITY_BUILD=ON", "-DIDFORM_WITH_LDAP=OFF"]
    valijson = os.path.join(source, "build", "_deps", "valijson", "usr", "include")  # fetched by scripts/bootstrap.sh
    if os.path.isdir(valijson):
        configure.append("-DVALIJSON_INCLUDE_DIR=" + valijson)
    if shutil.which("ccache"):
        configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    for command in (configure, ["cmake", "--build", build_dir, "-j", str(os.cpu_count() or 2),
                                "--target", "idform", "idform_tests", "idp-sim"]):
        status, output = run(command, tree)
        if status != 0:
            sys.stderr.write(output[-4000:])
            sys.exit(f"building {tree} failed")


def test_status(build_dir, tree, name):
    status, output = run([os.path.join(build_dir, "idform_tests"), name], tree, timeout=TEST_TIMEOUT)
    if status == 0 and "No test cases matched" in output:
        sys.exit(f"no test matches {name!r} (renamed? update scripts/regression-mutations.py)")
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated defect numbers")
    parser.add_argument("--keep", action="store_true", help="keep the scratch tree")
    parser.add_argument("--fixed-build", help="a build of the unedited tree to check that the tests pass there")
    args = parser.parse_args()
    chosen = DEFECTS
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        chosen = [d for d in DEFECTS if d["defect"] in wanted]
    source = subprocess.run(["git", "rev-parse", "--show-toplevel"], stdout=subprocess.PIPE, text=True,
                            check=True).stdout.strip()
    scratch = tempfile.mkdtemp(prefix="idform-mutations-")
    tree = os.path.join(scratch, "tree")
    subprocess.run(["git", "worktree", "add", "--quiet", "--detach", tree, "HEAD"], cwd=source, check=True,
                   stdout=subprocess.DEVNULL)
    try:
        apply_edits(tree, chosen)
        build_dir = os.path.join(scratch, "build")
        build(tree, build_dir, source)
        bad = 0
        for defect in chosen:
            for name in defect["tests"]:
                mutated = test_status(build_dir, tree, name)
                fixed = test_status(args.fixed_build, source, name) if args.fixed_build else None
                fails_with_defect = mutated != 0
                passes_fixed = fixed is None or fixed == 0
                verdict = "ok" if fails_with_defect and passes_fixed else "NOT SHOWN"
                bad += verdict != "ok"
                shown = "" if fixed is None else f", fixed build: {'passes' if fixed == 0 else 'FAILS'}"
                print(f"defect {defect['defect']:>2} ({defect['what']}): {name!r}: "
                      f"with the defect back {'fails' if fails_with_defect else 'PASSES'} ({mutated}){shown} -> {verdict}",
                      flush=True)
        return 1 if bad else 0
    finally:
        if args.keep:
            print(f"scratch tree kept: {scratch}")
        else:
            subprocess.run(["git", "worktree", "remove", "--force", tree], cwd=source, stdout=subprocess.DEVNULL)
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
