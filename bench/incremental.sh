#!/usr/bin/env bash
# Full against incremental reads (docs/incremental.md): `idform drift` of a generated tenant on
# idp-sim with throttling off, once with --refresh=full (which also writes the snapshot cache),
# then 1 % of the groups get a member and 1 % of the applications a group assignment through the
# vendor API behind idform's back, then `idform drift` again, which reads incrementally (Entra
# with throttling off and again with Graph's limits on; Okta paced by its headers). Requests
# come from idp-sim's /_sim/stats (HTTP requests plus the requests inside $batch envelopes),
# wall time from bench-measure. Writes bench/results/incremental.md; raw files in
# bench/work/incremental/.
#
#   bench/incremental.sh [small|medium|large]     # default small
#
# Needs the bench build (bench/run.sh builds it: idform, idp-sim, bench-tenant-gen, bench-measure).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHAPE=${1:-small}
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
WORK=${BENCH_WORK_DIR:-$ROOT/bench/work}/incremental
OKTA_TIME_SCALE=${BENCH_OKTA_TIME_SCALE:-0.05}
SEED=${BENCH_SEED:-42}
IDFORM=$BUILD/idform
SIM=$BUILD/sim/idp-sim
GEN=$BUILD/bench/bench-tenant-gen
MEASURE=$BUILD/bench/bench-measure
# The throwaway credentials the generated seeds register (bench/tenant/seed_writers.hpp).
CLIENT_ID=0b3e5c1a-7d4f-4e2b-9a61-5c0d8e7f9a10
CLIENT_SECRET=bench-only-secret-for-idp-sim
OKTA_TOKEN=00benchOnlyTokenForIdpSim000000000000000
TENANT_ID=84841066-274d-4ec0-a5c1-276be684bdd3

log() { echo "bench-incremental: $*" >&2; }
for tool in "$IDFORM" "$SIM" "$GEN" "$MEASURE"; do
  [ -x "$tool" ] || { log "missing $tool: run bench/run.sh --quick once (it builds the bench tools)"; exit 1; }
done
command -v jq >/dev/null || { log "needs jq"; exit 1; }
mkdir -p "$WORK"

SIM_PID=""
SIM_URL=""
start_sim() { # FLAVOR SEED_DIR TIME_SCALE THROTTLE
  "$SIM" --flavor "$1" --port 0 --seed "$2" --time-scale "$3" --throttle "$4" --threads 64 \
    >"$WORK/sim-$1.out" 2>"$WORK/sim-$1.err" &
  SIM_PID=$!
  for _ in $(seq 1 900); do
    SIM_URL=$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/sim-$1.out" 2>/dev/null | head -1)
    [ -n "$SIM_URL" ] && return 0
    sleep 0.2
  done
  return 1
}
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null; SIM_PID=""; }
trap stop_sim EXIT
# HTTP requests plus the requests inside $batch envelopes, made between two /_sim/stats answers
# (the counters run on across the drifts; the changes made between them are not counted).
requests() { jq -n --slurpfile a "$1" --slurpfile b "$2" \
  '($b[0].requests_total + ($b[0].batch_items_total // 0)) - ($a[0].requests_total + ($a[0].batch_items_total // 0))'; }
seconds() { jq '.wall_seconds // .wall_s // .wall' "$1"; }
cpu() { jq '.cpu_seconds' "$1"; }
rss_mb() { jq '.max_rss_kb / 1024 | floor' "$1"; }

# run_drift RUN NAME ENV... : one `idform drift`, its stats and measurements under $WORK/RUN-NAME.*
# (RUN is FLAVOR-THROTTLE)
run_drift() {
  local flavor=$1 name=$2; shift 2
  local env_args=() refresh=()
  for assignment in "$@"; do env_args+=(--env "$assignment"); done
  [ "$name" = full ] && refresh=(--refresh=full)
  curl -sf "$SIM_URL/_sim/stats" > "$WORK/$flavor-$name.before.json"
  "$MEASURE" --out "$WORK/$flavor-$name.measure.json" --stdout "$WORK/$flavor-$name.out" \
    --stderr "$WORK/$flavor-$name.err" "${env_args[@]}" -- \
    "$IDFORM" drift --config "$CONFIG" --no-color --format json "${refresh[@]}"
  curl -sf "$SIM_URL/_sim/stats" > "$WORK/$flavor-$name.stats.json"
}

change_graph() { # 1 % of groups get a member, 1 % of applications an assignment
  local token user count
  token=$(curl -sf -d grant_type=client_credentials -d "client_id=$CLIENT_ID" -d "client_secret=$CLIENT_SECRET" \
    -d scope=https://graph.microsoft.com/.default "$SIM_URL/$TENANT_ID/oauth2/v2.0/token" | jq -r .access_token)
  user=$(curl -sf -H "Authorization: Bearer $token" "$SIM_URL/v1.0/users?\$top=1&\$select=id" | jq -r '.value[0].id')
  count=$(( ($(jq '.groups | length' "$STATE") + 99) / 100 ))
  for group in $(jq -r ".groups[:$count][]" "$STATE"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
      -d "{\"@odata.id\": \"$SIM_URL/v1.0/directoryObjects/$user\"}" "$SIM_URL/v1.0/groups/$group/members/\$ref"
  done
  local group; group=$(jq -r '.groups[-1]' "$STATE")
  count=$(( ($(jq '.applications | length' "$STATE") + 99) / 100 ))
  for principal in $(jq -r ".applications[:$count][].service_principal" "$STATE"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
      -d "{\"principalId\": \"$group\", \"resourceId\": \"$principal\", \"appRoleId\": \"00000000-0000-0000-0000-000000000000\"}" \
      "$SIM_URL/v1.0/servicePrincipals/$principal/appRoleAssignedTo"
  done
}

change_okta() {
  local auth="Authorization: SSWS $OKTA_TOKEN" user count
  user=$(curl -sf -H "$auth" "$SIM_URL/api/v1/users?limit=1" | jq -r '.[0].id')
  count=$(( ($(jq '.groups | length' "$STATE") + 99) / 100 ))
  for group in $(jq -r ".groups[:$count][]" "$STATE"); do
    curl -sf -o /dev/null -X PUT -H "$auth" "$SIM_URL/api/v1/groups/$group/users/$user"
  done
  local group; group=$(jq -r '.groups[-1]' "$STATE")
  count=$(( ($(jq '.applications | length' "$STATE") + 99) / 100 ))
  for app in $(jq -r ".applications[:$count][].id" "$STATE"); do
    curl -sf -o /dev/null -X PUT -H "$auth" -H "Content-Type: application/json" -d '{}' \
      "$SIM_URL/api/v1/apps/$app/groups/$group"
  done
}

log "generating the $SHAPE tenant"
"$GEN" --shape "$SHAPE" --seed "$SEED" --flavors graph,okta --out "$WORK/tenant" >/dev/null || { log "generation failed"; exit 1; }

rows=""
# Graph twice: with throttling off (the full read bound by idform and idp-sim alone) and with
# Graph's documented limits enforced in real time (time scale 1), the full read then bound by the
# resource-unit floor as on a real tenant. Okta once: with throttling off idp-sim still sends its
# rate-limit headers and idform paces by them, so its full read is already bound by its limits.
for run in graph:off graph:on okta:off; do
  flavor=${run%%:*} throttle=${run#*:}
  provider=entra; scale=1; env=("IDFORM_BENCH_CLIENT_SECRET=$CLIENT_SECRET")
  if [ "$flavor" = okta ]; then provider=okta; scale=$OKTA_TIME_SCALE; env=("IDFORM_BENCH_OKTA_TOKEN=$OKTA_TOKEN"); fi
  name=$flavor-$throttle
  CONFIG=$WORK/tenant/$flavor/config
  STATE=$WORK/tenant/$flavor/state.json
  rm -rf "$CONFIG/.idform/cache"
  start_sim "$flavor" "$WORK/tenant/$flavor/seed" "$scale" "$throttle" || { log "idp-sim did not start"; exit 1; }
  sed -i -E "s#^(    graph_endpoint: ).*#\1$SIM_URL/v1.0#; s#^(    authority: ).*#\1$SIM_URL#; s#^(    org_url: ).*#\1$SIM_URL#" \
    "$CONFIG/idform.yaml"
  log "$provider (throttling $throttle): full drift"
  run_drift "$name" full "${env[@]}"
  log "$provider (throttling $throttle): 1 % changed through the API"
  "change_$flavor"
  # A scheduled drift's previous read is hours old: with Graph's limits on, the full read's resource
  # units are let refill (one 10 s window) before the incremental drift, instead of charging them to it.
  [ "$flavor" = graph ] && [ "$throttle" = on ] && sleep 10
  log "$provider (throttling $throttle): incremental drift"
  run_drift "$name" incremental "${env[@]}"
  stop_sim
  grep -q "incrementally" "$WORK/$name-incremental.err" || log "$provider: the second drift did not read incrementally: $(cat "$WORK/$name-incremental.err")"
  full_requests=$(requests "$WORK/$name-full.before.json" "$WORK/$name-full.stats.json")
  inc_requests=$(requests "$WORK/$name-incremental.before.json" "$WORK/$name-incremental.stats.json")
  full_time=$(seconds "$WORK/$name-full.measure.json"); inc_time=$(seconds "$WORK/$name-incremental.measure.json")
  full_cpu=$(cpu "$WORK/$name-full.measure.json"); inc_cpu=$(cpu "$WORK/$name-incremental.measure.json")
  full_rss=$(rss_mb "$WORK/$name-full.measure.json"); inc_rss=$(rss_mb "$WORK/$name-incremental.measure.json")
  label="$provider (throttling $throttle)"
  rows+=$(awk -v p="$label" -v fr="$full_requests" -v ir="$inc_requests" -v ft="$full_time" -v it="$inc_time" \
    -v fc="$full_cpu" -v ic="$inc_cpu" -v fm="$full_rss" -v im="$inc_rss" 'BEGIN {
    printf "| %s | %d | %d | %.1f %% | %.2f s | %.2f s | %.1f %% | %.2f s / %.2f s | %d MB / %d MB |\n",
      p, fr, ir, 100 * ir / fr, ft, it, 100 * it / ft, fc, ic, fm, im }')$'\n'
done

{
  echo "# Incremental against full reads ($SHAPE tenant)"
  echo
  echo "\`bench/incremental.sh $SHAPE\`: \`idform drift\` with --refresh=full, then 1 % of the groups given a member and"
  echo "1 % of the applications a group assignment through the vendor API, then \`idform drift\` reading"
  echo "incrementally. Entra twice: idp-sim with throttling off, and with Graph's limits enforced in real time"
  echo "(time scale 1); Okta at time scale $OKTA_TIME_SCALE with throttling off (idform still paces by its rate-limit"
  echo "headers). Requests include those inside \$batch envelopes; times are wall times, CPU and peak RSS are idform's."
  echo "Goal (issue 21): incremental ≤ 5 % of the requests and ≤ 10 % of the time of a full read."
  echo
  echo "| provider | full requests | incremental requests | ratio | full time | incremental time | ratio | CPU full / incremental | peak RSS full / incremental |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$rows"
} > "$ROOT/bench/results/incremental.md"
cat "$ROOT/bench/results/incremental.md"
