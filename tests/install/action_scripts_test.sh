#!/usr/bin/env bash
# shellcheck disable=SC2154  # output_* variables are set by step()
# The GitHub Action's run step (scripts/github/run-idform.sh) on a copy of examples/acme with its
# sandbox target, as the action runs it: plan finds changes, drift finds drift, apply applies the
# plan it made, and drift then finds none; outputs land in $GITHUB_OUTPUT and every file outside
# the config directory, which is left exactly as it was.
# Usage: action_scripts_test.sh SOURCE_DIR IDFORM_BINARY
set -euo pipefail
source_dir=$(cd "$1" && pwd)
idform_dir=$(cd "$(dirname "$2")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/examples/acme" "$work/acme"
rm -f "$work/acme/.idform/"*.lock
mkdir "$work/runner"
export PATH="$idform_dir:$PATH" RUNNER_TEMP="$work/runner" GITHUB_STEP_SUMMARY="$work/summary.md"
export IDFORM_TODAY=2026-11-29 IDFORM_TARGET=sandbox
fail() { echo "FAIL: $*" >&2; exit 1; }
# step COMMAND: runs the step; its outputs become shell variables output_<name>.
step() {
  : >"$work/output"
  (cd "$work/acme" && GITHUB_OUTPUT="$work/output" IDFORM_COMMAND=$1 bash "$source_dir/scripts/github/run-idform.sh") >/dev/null ||
    fail "$1: the step failed"
  while IFS='=' read -r key value; do printf -v "output_${key//-/_}" '%s' "$value"; done <"$work/output"
}
before=$(cd "$work/acme" && find . -type f -not -path './.idform/*' -exec sha256sum {} + | sort)

step plan
[ "$output_exit_code" = 2 ] && [ "$output_has_changes" = true ] || fail "plan: exit $output_exit_code, changes $output_has_changes"
grep -q '^## idform plan for `sandbox`' "$output_markdown_file" || fail "plan: no markdown in $output_markdown_file"
case $output_plan_file in "$work/runner/"*) ;; *) fail "plan file $output_plan_file is not under RUNNER_TEMP" ;; esac
grep -q 'idform plan for' "$work/summary.md" || fail "plan: nothing in the job summary"
step drift
[ "$output_exit_code" = 2 ] && [ "$output_has_changes" = true ] || fail "drift: exit $output_exit_code"
grep -q '"drift": true' "$output_json_file" || fail "drift: no JSON report"
step apply
[ "$output_exit_code" = 0 ] && [ -s "$output_audit_log" ] || fail "apply: exit $output_exit_code, audit log $output_audit_log"
step drift
[ "$output_exit_code" = 0 ] && [ "$output_has_changes" = false ] || fail "drift after apply: exit $output_exit_code"

after=$(cd "$work/acme" && find . -type f -not -path './.idform/*' -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "the step wrote into the config directory"
echo "run-idform.sh: plan, drift, apply, drift behaved as the action documents"
