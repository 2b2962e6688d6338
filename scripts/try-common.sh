# shellcheck shell=bash
# Shared by scripts/try-entra.sh and scripts/try-okta.sh (sourced, not run): finds the built
# programs, generates a seeded tenant, starts idp-sim on it and leaves it running for the user.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${IDFORM_BUILD_DIR:-$repo/build}
idform=$build/idform
generator=$build/bench/bench-tenant-gen
sim=$build/sim/idp-sim
# The tenant generator is a benchmark tool, not part of the default build: build it on first use.
if [ ! -x "$generator" ] && [ -f "$build/CMakeCache.txt" ]; then
  echo "try: building bench-tenant-gen" >&2
  cmake --build "$build" --target bench-tenant-gen -j "$(nproc)" >/dev/null
fi
for program in "$idform" "$generator" "$sim"; do
  [ -x "$program" ] || { echo "try: $program is missing; build first: ./scripts/bootstrap.sh" >&2; exit 1; }
done

# try_setup FLAVOR DIR: a tenant of the "small" benchmark shape (2,000 users, 500 groups, 100
# apps, conditional access) in DIR/tenant, idp-sim serving it, its URL in $sim_url.
try_setup() {
  local flavor=$1 dir=$2
  if [ -e "$dir" ]; then echo "try: $dir exists; give another directory or remove it" >&2; exit 1; fi
  mkdir -p "$dir/config"
  echo "try: generating a seeded tenant in $dir/tenant" >&2
  "$generator" --shape small --flavors "$flavor" --out "$dir/tenant" >/dev/null
  # Rate limits on, at ten times the vendor's speed, so a plan takes seconds, not minutes.
  nohup "$sim" --flavor "$flavor" --port 0 --seed "$dir/tenant/$flavor/seed" --time-scale 0.1 --threads 64 \
    >"$dir/idp-sim.log" 2>&1 &
  echo $! >"$dir/idp-sim.pid"
  sim_url=""
  for _ in $(seq 1 300); do
    sim_url=$(grep -o 'http://[0-9.]*:[0-9]*' "$dir/idp-sim.log" 2>/dev/null | head -n 1 || true)
    [ -n "$sim_url" ] && break
    kill -0 "$(cat "$dir/idp-sim.pid")" 2>/dev/null || { cat "$dir/idp-sim.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$sim_url" ] || { echo "try: idp-sim did not start; see $dir/idp-sim.log" >&2; exit 1; }
  echo "try: idp-sim ($flavor) is serving the tenant at $sim_url (pid $(cat "$dir/idp-sim.pid"))" >&2
}

# try_import_and_plan DIR TARGET: imports the tenant into DIR/config and plans it (no changes).
try_import_and_plan() {
  local dir=$1 target=$2
  echo "try: idform import --target $target" >&2
  "$idform" import --target "$target" --config "$dir/config" >&2
  echo "try: idform plan --target $target (right after import: no changes)" >&2
  local code=0
  "$idform" plan --target "$target" --config "$dir/config" --detailed-exitcode || code=$?
  [ $code -eq 0 ] || { echo "try: the plan after import was not empty (exit $code)" >&2; exit 1; }
}

# try_next_steps DIR WHAT SECRET_EXPORT: how to go on from here ("tenant" or "org"; the export
# line that gives idform the emulated tenant's throwaway credential).
try_next_steps() {
  local dir=$1 what=$2 secret_export=$3
  cat <<NEXT

The emulated $what is in $dir/config as YAML (groups/, apps/, policies/, locations/).
idp-sim keeps running; continue with:

  cd $dir/config
  $secret_export
  idform=$idform
  \$idform validate
  # edit a file under groups/ (add a member, change a description), then:
  \$idform plan --out plan.json
  \$idform apply plan.json
  \$idform drift                        # exit 0: the $what matches
  kill \$(cat $dir/idp-sim.pid)        # stop idp-sim when done
NEXT
}
