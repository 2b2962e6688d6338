#!/usr/bin/env bash
# The benchmark suite of issue 8, in one command (see bench/README.md):
#
#   bench/run.sh [--quick] [--no-build]
#
# Builds idform, idp-sim and the bench tools if needed, generates the tenants, runs every section
# whose prerequisites exist (a section that cannot run records why), and writes
# bench/results/latest.md and bench/results/latest.json. Raw measurements stay in bench/work/.
#
# Environment: BENCH_BUILD_DIR (default build-bench), BENCH_WORK_DIR (default bench/work),
# BENCH_GRAPH_TIME_SCALE (default 0.5), BENCH_OKTA_TIME_SCALE (default 0.05), BENCH_SEED (42).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
WORK=${BENCH_WORK_DIR:-$ROOT/bench/work}
RAW=$WORK/raw
RESULTS=$ROOT/bench/results
GRAPH_TIME_SCALE=${BENCH_GRAPH_TIME_SCALE:-0.5}
OKTA_TIME_SCALE=${BENCH_OKTA_TIME_SCALE:-0.05}
SEED=${BENCH_SEED:-42}
PARALLELISM=10
QUICK=0
BUILD_FIRST=1
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-build) BUILD_FIRST=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $arg (use --quick, --no-build)" >&2; exit 2 ;;
  esac
done

# The apply runs on the small tenant: its cost is per change, and a small tenant file keeps the
# suite's time in bounds. The profile runs on the smallest offline tenant (with call graphs).
if [ "$QUICK" = 1 ]; then
  ONLINE_SHAPES=(small medium); OFFLINE_SHAPES=(local-2k local-5k); APPLY_CHANGES=500
else
  ONLINE_SHAPES=(small medium large); OFFLINE_SHAPES=(local-2k local-5k local-20k); APPLY_CHANGES=2000
fi
APPLY_SHAPE=small
PROFILE_SHAPE=local-2k
LARGEST=${ONLINE_SHAPES[${#ONLINE_SHAPES[@]}-1]}
OFFLINE_LARGEST=${OFFLINE_SHAPES[${#OFFLINE_SHAPES[@]}-1]}

IDFORM=$BUILD/idform
SIM=$BUILD/sim/idp-sim
GEN=$BUILD/bench/bench-tenant-gen
MEASURE=$BUILD/bench/bench-measure
REPLAY=$BUILD/bench/bench-replay
REPORT=$BUILD/bench/bench-report
PARSE_FLOOR=$BUILD/bench/bench-parse-floor
# The throwaway credentials the generated seeds register (bench/tenant/seed_writers.hpp).
CLIENT_ID=0b3e5c1a-7d4f-4e2b-9a61-5c0d8e7f9a10
CLIENT_SECRET=bench-only-secret-for-idp-sim
OKTA_TOKEN=00benchOnlyTokenForIdpSim000000000000000
TENANT_ID=84841066-274d-4ec0-a5c1-276be684bdd3

log() { echo "bench: $*" >&2; }
json_string() { printf '"%s"' "$(printf '%s' "$1" | tr '\n\t' '  ' | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
section() { mkdir -p "$RAW/$1"; echo "$RAW/$1"; }
# set_status DIR ok|unavailable|failed REASON
set_status() { printf '{"status": "%s", "reason": %s}\n' "$2" "$(json_string "$3")" > "$1/status.json"; }
# set_params DIR KEY=VALUE... (numbers stay numbers)
set_params() {
  local dir=$1; shift; local out="{" sep=""
  for pair in "$@"; do
    local key=${pair%%=*} value=${pair#*=}
    if [[ "$value" =~ ^-?[0-9]+(\.[0-9]+)?$ || "$value" == true || "$value" == false ]]; then out+="$sep\"$key\": $value"
    else out+="$sep\"$key\": $(json_string "$value")"; fi
    sep=", "
  done
  echo "$out}" > "$dir/params.json"
}

# --- build -------------------------------------------------------------------------------------
build() {
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    # bootstrap installs the Debian packages and fetches valijson. RelWithDebInfo is -O2 -DNDEBUG
    # (optimised like Release at -O2) plus symbols for the profiler; see bench/README.md on -O3.
    log "configuring $BUILD"
    CMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} "$ROOT/scripts/bootstrap.sh" "$BUILD" || return 1
  fi
  cmake "$BUILD" >/dev/null || return 1  # picks up bench/ if the directory was configured before it existed
  local failed=0
  for target in idform bench-tenant-gen bench-measure bench-parse-floor bench-replay bench-report idp-sim; do
    cmake --build "$BUILD" -j "$(nproc)" --target "$target" >"$WORK/logs/build-$target.log" 2>&1 \
      || { log "building $target failed (see $WORK/logs/build-$target.log)"; failed=1; }
  done
  return $failed
}

# --- idp-sim -----------------------------------------------------------------------------------
SIM_PID=""
SIM_URL=""
# start_sim NAME FLAVOR SEED_DIR TIME_SCALE THROTTLE
start_sim() {
  local log=$WORK/logs/sim-$1
  # 64 worker threads: idp-sim holds a thread per open connection until its keep-alive ends, and
  # idform opens a fresh connection for every POST (every Graph $batch), so with the default 16 the
  # idle connections left in libcurl's cache starve new ones for the 5 s keep-alive timeout.
  "$SIM" --flavor "$2" --port 0 --seed "$3" --time-scale "$4" --throttle "$5" --threads 64 >"$log.out" 2>"$log.err" &
  SIM_PID=$!
  SIM_URL=""
  for _ in $(seq 1 900); do
    SIM_URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$log.out" 2>/dev/null | head -1)
    [ -n "$SIM_URL" ] && return 0
    kill -0 "$SIM_PID" 2>/dev/null || { SIM_PID=""; return 1; }
    sleep 0.2
  done
  stop_sim
  return 1
}
stop_sim() {
  if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; fi
  SIM_PID=""
}
trap stop_sim EXIT
sim_reset() { curl -sf -X POST "$SIM_URL/_sim/reset" >/dev/null; }
sim_stats() { curl -sf "$SIM_URL/_sim/stats" > "$1"; }
# Points a generated config at the running simulator.
point_config_at_sim() {
  sed -i -E "s#^(    graph_endpoint: ).*#\1$SIM_URL/v1.0#; s#^(    authority: ).*#\1$SIM_URL#; s#^(    org_url: ).*#\1$SIM_URL#" \
    "$1/idform.yaml"
}

sim_flavor_available() { [ -x "$SIM" ] && "$SIM" --flavor "$1" --help >/dev/null 2>&1; }
# provider_available NAME CONFIG_DIR: idform knows the provider (a plan against a dead port fails
# for another reason).
provider_available() {
  [ -x "$IDFORM" ] || return 1
  local messages
  messages=$("$IDFORM" plan --config "$2" --no-color 2>&1 >/dev/null)
  [[ "$messages" != *"unknown provider \"$1\""* ]]
}

# --- tenants -----------------------------------------------------------------------------------
generate() { # SHAPE FLAVORS [EXTRA ARGS]
  local shape=$1 flavors=$2; shift 2
  # A tenant is reused when the generator has not changed since it wrote this flavor; the report
  # needs its manifest either way.
  if [ ! -f "$WORK/tenants/$shape/manifest.json" ] || [ ! "$WORK/tenants/$shape/.flavors-$flavors" -nt "$GEN" ]; then
    log "generating tenant $shape ($flavors)"
    "$GEN" --shape "$shape" --seed "$SEED" --flavors "$flavors" --out "$WORK/tenants/$shape" "$@" >/dev/null || return 1
    touch "$WORK/tenants/$shape/.flavors-$flavors"
  fi
  mkdir -p "$RAW/tenants" && cp "$WORK/tenants/$shape/manifest.json" "$RAW/tenants/$shape.json"
}

# --- online sections (graph | okta) -------------------------------------------------------------
# ru_window FLAVOR SCALE: Graph refills its resource units over 10 s, the time-scaled simulator
# over 10 s x scale; idform's pacer is told so (bench-measure arguments; nothing for Okta).
ru_window() {
  [ "$1" = graph ] && echo --env "IDFORM_ENTRA_RU_WINDOW_MS=$(awk -v s="$2" 'BEGIN { printf "%d", 10000 * s }')"
  return 0
}
# online FLAVOR PROVIDER TIME_SCALE EFFICIENCY_TIME_SCALE ENV_ASSIGNMENT...
# The efficiency runs have throttling off. Graph's run in real time; Okta's run at the Okta time
# scale, because idp-sim still reports Okta's rate-limit headers with throttling off and idform
# paces itself by them (the /api/v1/apps* bucket alone is 25 windows of a minute).
online() {
  local flavor=$1 provider=$2 time_scale=$3 efficiency_scale=$4; shift 4
  local env_args=()
  for assignment in "$@"; do env_args+=(--env "$assignment"); done
  local have_sim=1 have_provider=1 reason_sim="" reason_provider=""
  sim_flavor_available "$flavor" || { have_sim=0; reason_sim="idp-sim has no $flavor flavor yet (or is not built)"; }
  if [ "$have_sim" = 1 ]; then
    generate "$LARGEST" "$flavor" || { have_sim=0; reason_sim="tenant generation failed"; }
  fi
  if [ "$have_sim" = 1 ] && ! provider_available "$provider" "$WORK/tenants/$LARGEST/$flavor/config"; then
    have_provider=0; reason_provider="idform has no \"$provider\" provider yet (unknown provider \"$provider\")"
  fi
  [ "$have_sim" = 0 ] && { have_provider=0; reason_provider=$reason_sim; }
  if [ "$have_provider" = 1 ]; then
    for shape in "${ONLINE_SHAPES[@]}"; do
      generate "$shape" "$flavor" || { have_provider=0; reason_provider="tenant generation failed"; }
    done
  fi

  # Request efficiency and scaling: no throttling, every shape.
  for shape in "${ONLINE_SHAPES[@]}"; do
    local dir; dir=$(section "$flavor-efficiency-$shape")
    set_params "$dir" shape="$shape" time_scale="$efficiency_scale" throttle=false
    if [ "$have_provider" = 0 ]; then set_status "$dir" unavailable "$reason_provider"; continue; fi
    local tenant=$WORK/tenants/$shape/$flavor
    log "$flavor efficiency: plan of the $shape tenant"
    if ! start_sim "$flavor-$shape" "$flavor" "$tenant/seed" "$efficiency_scale" off; then
      set_status "$dir" failed "idp-sim did not start (see $WORK/logs/sim-$flavor-$shape.err)"; continue
    fi
    point_config_at_sim "$tenant/config"
    sim_reset
    # shellcheck disable=SC2046
    "$MEASURE" --out "$dir/measure.json" --stdout "$dir/plan.json" --stderr "$dir/plan.stderr" "${env_args[@]}" \
      $(ru_window "$flavor" "$efficiency_scale") -- "$IDFORM" plan --config "$tenant/config" --format json --no-color --refresh=full
    local code=$?
    sim_stats "$dir/stats.json"
    stop_sim
    if [ "$code" -eq 0 ]; then set_status "$dir" ok ""; else set_status "$dir" failed "idform plan exited $code: $(tail -c 600 "$dir/plan.stderr")"; fi
  done

  # Rate-limit floor, then the peers' pattern against a throttled simulator. The floor run must
  # measure the limits, not this machine: its time scale is raised (up to 2) until the floor in
  # real time is at least three times the unthrottled plan's wall time of this run.
  local floor peer floor_scale
  floor=$(section "$flavor-floor"); peer=$(section "$flavor-peer")
  floor_scale=$(floor_time_scale "$flavor" "$time_scale")
  set_params "$floor" shape="$LARGEST" time_scale="$floor_scale" base_time_scale="$time_scale" throttle=true
  set_params "$peer" shape="$LARGEST" time_scale="$time_scale" throttle=true parallelism=$PARALLELISM
  if [ "$have_sim" = 0 ]; then
    set_status "$floor" unavailable "$reason_sim"; set_status "$peer" unavailable "$reason_sim"; return
  fi
  local tenant=$WORK/tenants/$LARGEST/$flavor
  log "$flavor floor: $LARGEST tenant, throttled, time scale $floor_scale"
  if ! start_sim "$flavor-throttled" "$flavor" "$tenant/seed" "$floor_scale" on; then
    set_status "$floor" failed "idp-sim did not start"; set_status "$peer" failed "idp-sim did not start"; return
  fi
  if [ "$have_provider" = 1 ]; then
    point_config_at_sim "$tenant/config"
    sim_reset
    # shellcheck disable=SC2046
    "$MEASURE" --out "$floor/measure.json" --stdout "$floor/plan.json" --stderr "$floor/plan.stderr" "${env_args[@]}" \
      $(ru_window "$flavor" "$floor_scale") -- "$IDFORM" plan --config "$tenant/config" --format json --no-color --refresh=full
    local code=$?
    sim_stats "$floor/stats.json"
    if [ "$code" -eq 0 ]; then set_status "$floor" ok ""; else set_status "$floor" failed "idform plan exited $code: $(tail -c 600 "$floor/plan.stderr")"; fi
  else
    set_status "$floor" unavailable "$reason_provider"
  fi
  if [ "$floor_scale" != "$time_scale" ]; then
    stop_sim
    log "$flavor peer replay: $LARGEST tenant, throttled, time scale $time_scale"
    if ! start_sim "$flavor-peer" "$flavor" "$tenant/seed" "$time_scale" on; then
      set_status "$peer" failed "idp-sim did not start"; return
    fi
  fi
  sim_reset
  local credentials=(--tenant "$TENANT_ID" --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET")
  [ "$flavor" = okta ] && credentials=(--token "$OKTA_TOKEN")
  "$REPLAY" --flavor "$flavor" --base "$SIM_URL" --state "$tenant/state.json" --out "$peer/replay.json" \
    --parallelism "$PARALLELISM" --time-scale "$time_scale" "${credentials[@]}" 2>"$peer/replay.stderr"
  local code=$?
  sim_stats "$peer/stats.json"
  stop_sim
  if [ "$code" -eq 0 ]; then set_status "$peer" ok ""; else set_status "$peer" failed "bench-replay exited $code: $(tail -c 600 "$peer/replay.stderr")"; fi
}

# floor_time_scale FLAVOR BASE_SCALE: the time scale of the throttled floor run. Graph's floor
# (10 s for the large tenant) is short next to idform's own unthrottled plan (about 3 s here), so
# at the base scale a slower machine would spend the floor's real time on its own CPU; the scale
# is raised until floor x scale >= 3 x the unthrottled wall time of this run (at most 2, in steps
# of 0.05). Okta's floor is tens of minutes: the base scale already leaves idform's CPU far below.
floor_time_scale() {
  local flavor=$1 base=$2 measure=$RAW/$1-efficiency-$LARGEST/measure.json floor_seconds
  if [ "$flavor" != graph ] || [ ! -f "$measure" ]; then echo "$base"; return; fi
  floor_seconds=$("$REPORT" --floor-seconds "$flavor" --manifest "$WORK/tenants/$LARGEST/manifest.json" 2>/dev/null) \
    || { echo "$base"; return; }
  awk -v base="$base" -v floor="$floor_seconds" -F'[:,}]' '/"wall_seconds"/ { wall = $2 } END {
    s = (floor > 0) ? 3 * wall / floor : base; s = (s < base) ? base : s; s = (s > 2) ? 2 : s
    s = int(s * 20 + 0.999) / 20; printf "%.2f\n", (s < base) ? base : s }' "$measure"
}

# --- offline sections (sandbox provider) ---------------------------------------------------------
# parse_floor SHAPE CONFIG SECTION [--reader R]: what merely parsing the plan's input files costs
# with the readers idform uses (bench-parse-floor), measured like the plan, the denominator of the
# offline goals; --reader yaml-cpp gives the plain yaml-cpp figure beside it.
parse_floor() {
  local shape=$1 config=$2 dir; dir=$(section "$3"); shift 3
  set_params "$dir" shape="$shape"
  if [ ! -x "$PARSE_FLOOR" ] || [ ! -d "$config" ]; then set_status "$dir" failed "bench-parse-floor or the $shape tenant is missing"; return; fi
  log "offline: parsing the input files of $shape $*"
  if "$MEASURE" --out "$dir/measure.json" --stdout "$dir/parse.json" --stderr "$dir/parse.stderr" -- \
       "$PARSE_FLOOR" "$@" --yaml-dir "$config" --json "$config/.idform/sandbox.json"; then
    set_status "$dir" ok ""
  else
    set_status "$dir" failed "bench-parse-floor failed: $(tail -c 300 "$dir/parse.stderr")"
  fi
}

offline() {
  for shape in "${OFFLINE_SHAPES[@]}"; do
    generate "$shape" local || log "generating $shape failed"
    local config=$WORK/tenants/$shape/local/config
    parse_floor "$shape" "$config" "offline-parse-$shape"
    [ "$shape" = "$OFFLINE_LARGEST" ] && parse_floor "$shape" "$config" "offline-parse-yaml-cpp-$shape" --reader yaml-cpp
    for command in validate plan; do
      local dir; dir=$(section "offline-$command-$shape")
      set_params "$dir" shape="$shape"
      if [ ! -x "$IDFORM" ] || [ ! -d "$config" ]; then set_status "$dir" failed "idform or the $shape tenant is missing"; continue; fi
      log "offline: idform $command of $shape"
      local args=("$IDFORM" "$command" --config "$config" --no-color)
      [ "$command" = plan ] && args+=(--format json)
      "$MEASURE" --out "$dir/measure.json" --stdout "$dir/$command.json" --stderr "$dir/$command.stderr" -- "${args[@]}"
      local code=$?
      if [ "$code" -eq 0 ]; then set_status "$dir" ok ""; else set_status "$dir" failed "idform $command exited $code: $(tail -c 600 "$dir/$command.stderr")"; fi
    done
  done

  local dir; dir=$(section offline-apply)
  local config=$WORK/tenants/$APPLY_SHAPE/local/apply-config
  set_params "$dir" shape="$APPLY_SHAPE" changes="$APPLY_CHANGES"
  # Always from a pristine tenant file: an earlier run applied to it.
  if ! "$GEN" --shape "$APPLY_SHAPE" --seed "$SEED" --flavors local --apply-changes "$APPLY_CHANGES" \
       --out "$WORK/tenants/$APPLY_SHAPE" >/dev/null; then
    set_status "$dir" failed "generating the apply tenant failed"; return
  fi
  log "offline: idform apply of $APPLY_CHANGES changes ($APPLY_SHAPE)"
  "$IDFORM" plan --config "$config" --format json --no-color > "$dir/before.json" 2>"$dir/before.stderr"
  "$MEASURE" --out "$dir/measure.json" --stdout "$dir/apply.stdout" --stderr "$dir/apply.stderr" -- \
    "$IDFORM" apply --config "$config" --auto-approve --no-color
  local code=$?
  "$IDFORM" plan --config "$config" --format json --no-color > "$dir/after.json" 2>"$dir/after.stderr"
  if [ "$code" -eq 0 ]; then set_status "$dir" ok ""; else set_status "$dir" failed "idform apply exited $code: $(tail -c 600 "$dir/apply.stderr")"; fi
}

# Members the tenant does not know: the plan must report each one with its line, and the time it
# takes must grow with their number, not its square (it once took 41 s for 16,000). Raw figures
# only (wall, CPU, RSS per size in raw/offline-unknown-members-N/measure.json); a linear pair has
# a time ratio near the size ratio.
unknown_members() {
  for count in 2000 16000; do
    local dir; dir=$(section "offline-unknown-members-$count")
    set_params "$dir" members="$count"
    local config=$WORK/tenants/unknown-members-$count
    rm -rf "$config" && mkdir -p "$config/groups"
    printf 'version: 1\ndefault_target: sandbox\ntargets:\n  sandbox: {provider: local, path: sandbox.json}\n' > "$config/idform.yaml"
    { printf 'kind: Group\nname: everyone-new\nmembers:\n'
      seq 1 "$count" | sed 's/.*/  - new.user&@acme.example/'; } > "$config/groups/everyone-new.yaml"
    log "offline: idform plan with $count members unknown to the tenant"
    "$MEASURE" --out "$dir/measure.json" --stdout "$dir/plan.stdout" --stderr "$dir/plan.stderr" -- \
      "$IDFORM" plan --config "$config" --no-color
    # Exit 1 is the expected outcome (every member is reported); anything else is a failure.
    if [ $? -eq 1 ] && [ "$(grep -c 'does not exist in the tenant' "$dir/plan.stderr")" -eq "$count" ]; then
      set_status "$dir" ok ""
    else
      set_status "$dir" failed "expected one error per unknown member: $(tail -c 300 "$dir/plan.stderr")"
    fi
  done
}

# A CPU profile when the largest offline plan misses a goal (time or memory against parsing its
# files). It is taken on the
# smallest offline tenant, which runs the same code in seconds, with DWARF call graphs so that
# inclusive time per idform function can be shown.
profile() {
  local dir; dir=$(section profile)
  local measure=$RAW/offline-plan-$OFFLINE_LARGEST/measure.json
  local config=$WORK/tenants/$PROFILE_SHAPE/local/config
  set_params "$dir" shape="$PROFILE_SHAPE"
  if [ ! -f "$measure" ]; then set_status "$dir" unavailable "no offline plan measurement"; return; fi
  local over parse=$RAW/offline-parse-$OFFLINE_LARGEST/measure.json
  if [ ! -f "$parse" ]; then set_status "$dir" unavailable "no parse-floor measurement"; return; fi
  # The goals' factors (bench/report/offline_report.cpp): 2.5 x the parse wall time, 1.5 x its RSS.
  over=$(awk -F'[:,]' 'FNR == 1 { file++ } /"wall_seconds"/ { w[file] = $2 } /"max_rss_kb"/ { r[file] = $2 }
    END { print (w[1] > 2.5 * w[2] || r[1] > 1.5 * r[2]) ? 1 : 0 }' "$measure" "$parse")
  if [ "$over" != 1 ]; then set_status "$dir" unavailable "not needed: the offline plan met its goals"; return; fi
  if ! command -v perf >/dev/null; then set_status "$dir" unavailable "perf is not installed"; return; fi
  log "profiling the $PROFILE_SHAPE plan with perf"
  if perf record -F 299 --call-graph dwarf,16384 -o "$dir/perf.data" -- \
       "$IDFORM" plan --config "$config" --format json --no-color >/dev/null 2>"$dir/perf-record.stderr"; then
    local tidy='s/[[:space:]]+-[[:space:]]+-[[:space:]]*$//; s/[[:space:]]+$//'
    perf report -i "$dir/perf.data" --stdio --no-children --sort symbol -g none --percent-limit 1.5 2>/dev/null \
      | grep -E '^ +[0-9]' | sed -E "$tidy" | cut -c1-200 | head -20 > "$dir/top-self.txt"
    perf report -i "$dir/perf.data" --stdio --children --sort symbol -g none --percent-limit 3 2>/dev/null \
      | grep -E '^ +[0-9]' | grep -E 'idform::|YAML::|valijson::' | sed -E "$tidy" | cut -c1-220 | head -30 \
      > "$dir/top-children.txt"
    rm -f "$dir/perf.data"
    set_status "$dir" ok ""
  else
    set_status "$dir" failed "perf record failed: $(tail -c 300 "$dir/perf-record.stderr")"
  fi
}

# --- main ----------------------------------------------------------------------------------------
START=$(date +%s)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$RAW"
mkdir -p "$RAW" "$WORK/logs" "$WORK/tenants" "$RESULTS"
if [ "$BUILD_FIRST" = 1 ]; then build || log "the build had failures; sections that need the missing pieces will say so"; fi
for tool in "$GEN" "$MEASURE" "$REPORT"; do
  [ -x "$tool" ] || { log "missing $tool: the bench tools did not build"; exit 1; }
done

online graph entra "$GRAPH_TIME_SCALE" 1 "IDFORM_BENCH_CLIENT_SECRET=$CLIENT_SECRET"
# idform adds a margin of one second to every Okta reset it waits for; in a scaled run that is one
# vendor second, not one real second (else it adds 20 vendor seconds to every minute at 0.05).
OKTA_RESET_MARGIN_MS=$(awk -v s="$OKTA_TIME_SCALE" 'BEGIN {printf "%d", 1000 * s + 0.5}')
online okta okta "$OKTA_TIME_SCALE" "$OKTA_TIME_SCALE" "IDFORM_BENCH_OKTA_TOKEN=$OKTA_TOKEN" \
  "IDFORM_OKTA_RESET_MARGIN_MS=$OKTA_RESET_MARGIN_MS"
offline
unknown_members
profile

cat > "$RAW/meta.json" <<EOF
{"date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "commit": "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)",
 "dirty": $( [ -n "$(git -C "$ROOT" status --porcelain -- reconciler providers sim 2>/dev/null)" ] && echo true || echo false),
 "quick": $( [ "$QUICK" = 1 ] && echo true || echo false),
 "cpus": $(nproc),
 "load_average_start": $(json_string "$LOAD_START"), "load_average_end": $(json_string "$(cut -d' ' -f1-3 /proc/loadavg)"),
 "cpu_model": $(json_string "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"),
 "memory_gb": $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),
 "build_type": $(json_string "$(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" | cut -d= -f2)"),
 "build_flags": $(json_string "$(grep -m1 "^CMAKE_CXX_FLAGS_$(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" | cut -d= -f2 | tr a-z A-Z)" "$BUILD/CMakeCache.txt" | cut -d= -f2)"),
 "graph_time_scale": $GRAPH_TIME_SCALE, "okta_time_scale": $OKTA_TIME_SCALE, "parallelism": $PARALLELISM,
 "online_shapes": "${ONLINE_SHAPES[*]}", "offline_shapes": "${OFFLINE_SHAPES[*]}",
 "duration_seconds": $(( $(date +%s) - START ))}
EOF
"$REPORT" --raw "$RAW" --out "$RESULTS/latest" || { log "bench-report failed"; exit 1; }
log "wrote $RESULTS/latest.md and $RESULTS/latest.json in $(( $(date +%s) - START )) s"
