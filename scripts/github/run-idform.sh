#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): runs `idform plan`, `apply` or `drift` for one
# target and writes the results outside the checkout, so the config directory stays clean (a
# plan made from it then never says "with uncommitted changes").
#
# Environment (set by action.yml from its inputs):
#   IDFORM_COMMAND   plan | apply | drift
#   IDFORM_TARGET    target name from idform.yaml ("" = default_target)
#   IDFORM_ACCEPT    guards to accept, separated by spaces or commas (apply only)
#   IDFORM_PLAN_FILE apply only: a saved plan to apply ("" = plan now, then apply that plan)
#   IDFORM_OUT_DIR   where to write (default: $RUNNER_TEMP/idform/<target>)
#   IDFORM           the idform executable (default: idform on PATH)
# Writes exit-code, has-changes, plan-file, markdown-file, json-file and audit-log to
# $GITHUB_OUTPUT, and the markdown to the job summary. Exits 1 only when idform failed (exit 1);
# changes or drift (exit 2) are reported through the outputs.
set -uo pipefail
command=${IDFORM_COMMAND:-plan}
target=${IDFORM_TARGET:-}
idform=${IDFORM:-idform}
out_dir=${IDFORM_OUT_DIR:-${RUNNER_TEMP:-/tmp}/idform/${target:-default}}
mkdir -p "$out_dir"
target_args=()
[ -n "$target" ] && target_args=(--target "$target")
accept_args=()
accept=${IDFORM_ACCEPT:-}
for guard in ${accept//,/ }; do accept_args+=(--accept "$guard"); done

plan_file="$out_dir/plan.json"
markdown_file="$out_dir/$command.md"
json_file="$out_dir/$command.json"
audit_log=""
case $command in
  plan)
    "$idform" plan "${target_args[@]}" --format markdown --out "$plan_file" --detailed-exitcode >"$markdown_file"
    code=$?
    json_file=$plan_file
    has_changes=$([ $code -eq 2 ] && echo true || echo false)
    ;;
  apply)
    audit_log="$out_dir/audit.jsonl"
    if [ -n "${IDFORM_PLAN_FILE:-}" ]; then
      plan_file=$IDFORM_PLAN_FILE
      code=0
    else
      "$idform" plan "${target_args[@]}" --format markdown --out "$plan_file" --detailed-exitcode >"$markdown_file"
      code=$?
    fi
    if [ $code -eq 1 ]; then
      has_changes=false
    else
      "$idform" show "$plan_file" --format markdown >"$markdown_file" && cp "$plan_file" "$json_file"
      has_changes=$(grep -q '"action": "\(create\|update\|delete\)"' "$plan_file" && echo true || echo false)
      "$idform" apply "$plan_file" "${accept_args[@]}" --audit-log "$audit_log" >"$out_dir/apply.txt"
      code=$?
      cat "$out_dir/apply.txt"
    fi
    ;;
  drift)
    "$idform" drift "${target_args[@]}" --format json >"$json_file"
    code=$?
    if [ $code -ne 1 ]; then
      "$idform" drift "${target_args[@]}" --format markdown >"$markdown_file" || true
    fi
    has_changes=$([ $code -eq 2 ] && echo true || echo false)
    plan_file=""
    ;;
  *)
    echo "::error::command must be plan, apply or drift, not \"$command\""
    exit 1
    ;;
esac

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "has-changes=$has_changes"
    echo "plan-file=$plan_file"
    echo "markdown-file=$markdown_file"
    echo "json-file=$json_file"
    echo "audit-log=$audit_log"
  } >>"$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$markdown_file" ]; then
  cat "$markdown_file" >>"$GITHUB_STEP_SUMMARY"
fi
echo "idform $command ${target:-(default target)}: exit $code, changes: $has_changes; results in $out_dir"
[ $code -eq 1 ] && exit 1
exit 0
