#!/usr/bin/env bash
# Plugin overhead (issue 18, docs/performance.md "Providers out of process"): `idform plan` of a
# generated sandbox tenant with the sandbox provider in process and out of process (a target with
# `plugin: [idform, provider, serve, local]`, the plugin protocol over a pipe), in the same run,
# alternating the two, ROUNDS times each. Wall time, CPU time (idform and the plugin it waited
# for) and peak RSS (the larger of the two processes) come from bench-measure; the report takes
# the median of each. Writes bench/results/plugin-overhead.md; raw files in
# bench/work/plugin-overhead/.
#
#   bench/plugin-overhead.sh [local-20k|local-5k|local-2k]     # default local-20k
#
# Needs the bench build (bench/run.sh builds it: idform, bench-tenant-gen, bench-measure), and jq.
# Measure in an optimised build (bench/run.sh configures RelWithDebInfo; CMAKE_BUILD_TYPE=Release
# works too); a Debug build's figures say little.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHAPE=${1:-local-20k}
ROUNDS=${BENCH_ROUNDS:-5}
BUILD=${BENCH_BUILD_DIR:-$ROOT/build-bench}
WORK=${BENCH_WORK_DIR:-$ROOT/bench/work}
OUT=$WORK/plugin-overhead
SEED=${BENCH_SEED:-42}
IDFORM=$BUILD/idform
GEN=$BUILD/bench/bench-tenant-gen
MEASURE=$BUILD/bench/bench-measure

log() { echo "bench-plugin-overhead: $*" >&2; }
for tool in "$IDFORM" "$GEN" "$MEASURE"; do
  [ -x "$tool" ] || { log "missing $tool: run bench/run.sh --quick once (it builds the bench tools)"; exit 1; }
done
command -v jq >/dev/null || { log "needs jq"; exit 1; }
mkdir -p "$OUT"

TENANT=$WORK/tenants/$SHAPE
if [ ! -f "$TENANT/manifest.json" ]; then
  log "generating tenant $SHAPE"
  "$GEN" --shape "$SHAPE" --seed "$SEED" --flavors local --out "$TENANT" >/dev/null || { log "generating failed"; exit 1; }
fi
CONFIG=$TENANT/local/config
# A second target on the same sandbox file, run out of process; the default target is unchanged.
if ! grep -q '^  plugin-overhead:' "$CONFIG/idform.yaml"; then
  path=$(sed -n -E 's/^ *path: *(.*)$/\1/p; s/.*path: *([^,}]*).*/\1/p' "$CONFIG/idform.yaml" | head -1)
  sed -i "s#^targets:#targets:\n  plugin-overhead:\n    provider: local\n    plugin: [$IDFORM, provider, serve, local]\n    path: ${path:-.idform/sandbox.json}#" \
    "$CONFIG/idform.yaml"
fi

# One plan, measured: run NAME ROUND [--target T]
run() {
  local name=$1 round=$2; shift 2
  "$MEASURE" --out "$OUT/$name-$round.measure.json" --stdout "$OUT/$name-$round.plan.json" --stderr "$OUT/$name-$round.stderr" -- \
    "$IDFORM" plan --config "$CONFIG" --format json --no-color -q "$@"
  [ "$(jq .exit_code "$OUT/$name-$round.measure.json")" = 0 ] || { log "$name plan failed: $(tail -c 400 "$OUT/$name-$round.stderr")"; exit 1; }
}
log "warming up (the file cache)"
run warm 0
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  run in-process "$round"
  run out-of-process "$round" --target plugin-overhead
done
# The same plan either way (but for the target's name).
cmp -s <(jq -S 'del(.target, .provider, .generated_at)' "$OUT/in-process-1.plan.json") \
       <(jq -S 'del(.target, .provider, .generated_at)' "$OUT/out-of-process-1.plan.json") \
  || log "warning: the two plans differ (compare $OUT/in-process-1.plan.json and out-of-process-1.plan.json)"

median() { # NAME FIELD
  jq -s "map(.$2) | sort | .[(length - 1) / 2 | floor]" "$OUT"/"$1"-*.measure.json
}
declare -A figure
for name in in-process out-of-process; do
  for field in wall_seconds cpu_seconds max_rss_kb; do
    figure[$name.$field]=$(median "$name" "$field" | awk -v f="$field" '{ printf (f == "max_rss_kb") ? "%d" : "%.2f", $1 }')
  done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
wall_ratio=$(ratio "${figure[out-of-process.wall_seconds]}" "${figure[in-process.wall_seconds]}")
cpu_ratio=$(ratio "${figure[out-of-process.cpu_seconds]}" "${figure[in-process.cpu_seconds]}")
rss_ratio=$(ratio "${figure[out-of-process.max_rss_kb]}" "${figure[in-process.max_rss_kb]}")
goal=$(awk -v r="$wall_ratio" 'BEGIN { print (r <= 1.5) ? "met" : "not met" }')
objects=$(jq '.objects // empty' "$TENANT/manifest.json" 2>/dev/null)

mkdir -p "$ROOT/bench/results"
cat > "$ROOT/bench/results/plugin-overhead.md" <<EOF
# Plugin overhead: the sandbox provider out of process

\`bench/plugin-overhead.sh $SHAPE\`, $(date -u +%Y-%m-%d), $("$IDFORM" version 2>/dev/null | head -1),
build type $(grep -m1 '^CMAKE_BUILD_TYPE' "$BUILD/CMakeCache.txt" | cut -d= -f2), $(nproc) CPUs, load average at the end $(cut -d' ' -f1-3 /proc/loadavg).
\`idform plan --format json\` of the $SHAPE tenant${objects:+ ($objects objects)}, in process and out of process alternately,
$ROUNDS rounds each after one warm-up; medians.

| | in process | out of process | ratio |
|---|---|---|---|
| wall time (s) | ${figure[in-process.wall_seconds]} | ${figure[out-of-process.wall_seconds]} | $wall_ratio |
| CPU time, idform + plugin (s) | ${figure[in-process.cpu_seconds]} | ${figure[out-of-process.cpu_seconds]} | $cpu_ratio |
| peak RSS, the larger process (KiB) | ${figure[in-process.max_rss_kb]} | ${figure[out-of-process.max_rss_kb]} | $rss_ratio |

Goal (issue 18): out of process at most 1.5 x the in-process wall time: **$goal** ($wall_ratio x).
EOF
log "wrote bench/results/plugin-overhead.md: wall $wall_ratio x, CPU $cpu_ratio x, RSS $rss_ratio x"
