#!/usr/bin/env bash
# Runs every benchmark in bench/README.md and prints each figure beside its
# target. Medians of RUNS runs (default 5). Needs a quiet machine: the
# figures are wall times.
#
#   bench/run.sh            everything
#   RUNS=9 bench/run.sh     more runs per figure
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
scripts/install-deps.sh --bench
cmake --preset bench >/dev/null
cmake --build --preset bench >/dev/null

BIN=build/bench/bin/dojobber
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "dojobber benchmarks: $(nproc) cores, $RUNS runs per figure, $(date -u +%Y-%m-%d)"

# median_wall CMD...: median wall seconds of RUNS runs (hyperfine, no shell).
median_wall() {
  hyperfine --runs "$RUNS" --warmup 1 -N --export-json "$WORK/h.json" --style none \
    "$(printf '%q ' "$@")" >/dev/null 2>&1
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
    "$WORK/h.json"
}
# median_rss_kib CMD...: median peak resident memory (KiB) of RUNS runs.
median_rss_kib() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    cat "$WORK/rss"
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# row NAME VALUE TARGET OK: one line of the results table.
row() { printf '| %-58s | %14s | %-12s | %-4s |\n' "$1" "$2" "$3" "$4"; }
check() { python3 -c "import sys; print('ok' if $1 else 'MISS')"; }
synth() { echo "$BIN run --plugin synth --root Root -q --report /dev/null $*"; }

echo
echo "## In-process engine overhead (Google Benchmark, median of $RUNS)"
build/bench/bench/dojobber_engine_bench --benchmark_repetitions="$RUNS" \
  --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out="$WORK/engine.json" --benchmark_out_format=json >/dev/null
python3 - "$WORK/engine.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
print("| benchmark | µs per job | target |")
print("|---|---|---|")
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"].replace("RunSynth/", "")
    target = 2.0 if "converge/" in name or name.endswith("converge") else 1.0
    us = b["us_per_job"]
    print(f"| {name} | {us:.3f} | <= {target} {'ok' if us <= target else 'MISS'} |")
PY

echo
echo "## Through the CLI (wall time per registered job, median of $RUNS)"
echo "| run | value | target | |"
echo "|---|---|---|---|"
declare -A per_job
for spec in "layered converged 10000" "layered converged 1000000" \
            "layered converge 10000" "layered converge 1000000" \
            "chain converged 1000000" "chain converge 1000000" \
            "wide converged 1000000" "wide converge 1000000"; do
  read -r shape mode n <<<"$spec"
  # shellcheck disable=SC2046
  wall=$(median_wall $(synth -a shape="$shape" -a n="$n" -a mode="$mode"))
  us=$(python3 -c "print(f'{$wall / $n * 1e6:.3f}')")
  per_job["$shape $mode $n"]=$us
  limit=$([[ $mode == converged ]] && echo 1 || echo 2)
  row "$shape $mode n=$n (µs/job)" "$us" "<= $limit" "$(check "$us <= $limit")"
done
for mode in converged converge; do
  ratio=$(python3 -c "print(f'{${per_job[layered $mode 1000000]} / ${per_job[layered $mode 10000]}:.2f}')")
  row "layered $mode: µs/job at 1M over 10k" "$ratio" "<= 1.5" "$(check "$ratio <= 1.5")"
done

echo
echo "## Peak memory of the CLI run at n = 1,000,000 (median of $RUNS)"
for spec in "layered converged" "layered converge" "chain converged" "wide converged"; do
  read -r shape mode <<<"$spec"
  # shellcheck disable=SC2046
  kib=$(median_rss_kib $(synth -a shape="$shape" -a n=1000000 -a mode="$mode"))
  bytes=$(python3 -c "print(round($kib * 1024 / 1e6))")
  row "$shape $mode (bytes/job, peak RSS $((kib / 1024)) MiB)" "$bytes" "<= 1024" "$(check "$bytes <= 1024")"
done

echo
echo "## Start-up: the all-succeeding movie run"
wall=$(median_wall "$BIN" run --plugin movie --root WatchMovie -q --default-retry-delay 0 \
  --arg battery_state=charged --arg couch_space=true)
ms=$(python3 -c "print(f'{$wall * 1e3:.2f}')")
row "movie, --default-retry-delay 0 (ms wall)" "$ms" "<= 10" "$(check "$ms <= 10")"

echo
echo "## Parallel: work_ms=10, mode=converge, against the ideal and against ninja and make"
parallel_case() {  # NAME IDEAL_S JOBS SYNTH_ARGS...
  local name=$1 ideal=$2 jobs=$3
  shift 3
  local dir="$WORK/$name"
  "$BIN" graph --plugin synth --root Root "$@" | python3 bench/peer_files.py "$dir" "sleep 0.01"
  # shellcheck disable=SC2046
  local ours ninja_s make_s
  ours=$(median_wall $(synth "$@" -a work_ms=10 -a mode=converge -j "$jobs"))
  ninja_s=$(median_wall ninja -C "$dir" -j "$jobs" Root)
  make_s=$(median_wall make -C "$dir" -j "$jobs" -s Root)
  local ratio
  ratio=$(python3 -c "print(f'{$ours / $ideal:.3f}')")
  row "$name -j $jobs: wall / ideal ($ideal s)" "$ratio" "<= 1.10" "$(check "$ratio <= 1.10")"
  row "$name -j $jobs: dojobber / ninja ($(printf '%.3f' "$ninja_s") s)" \
    "$(python3 -c "print(f'{$ours / $ninja_s:.3f}')")" "< 1" "$(check "$ours < $ninja_s")"
  row "$name -j $jobs: dojobber / make ($(printf '%.3f' "$make_s") s)" \
    "$(python3 -c "print(f'{$ours / $make_s:.3f}')")" "< 1" "$(check "$ours < $make_s")"
}
echo "| run | value | target | |"
echo "|---|---|---|---|"
parallel_case wide-1000 0.16 64 -a shape=wide -a n=1000
parallel_case layered-2000 0.20 100 -a shape=layered -a n=2000 -a width=100

echo
echo "## Trivial jobs against ninja and make (layered n=10000, -j 2, 'true' per job)"
dir="$WORK/trivial"
"$BIN" graph --plugin synth --root Root -a shape=layered -a n=10000 | \
  python3 bench/peer_files.py "$dir" true
# shellcheck disable=SC2046
ours=$(median_wall $(synth -a shape=layered -a n=10000 -a mode=converge -j 2))
ninja_s=$(median_wall ninja -C "$dir" -j 2 Root)
make_s=$(median_wall make -C "$dir" -j 2 -s Root)
echo "| run | value | target | |"
echo "|---|---|---|---|"
row "dojobber / ninja ($(printf '%.3f' "$ninja_s") s)" "$(python3 -c "print(f'{$ours / $ninja_s:.4f}')")" "< 1" "$(check "$ours < $ninja_s")"
row "dojobber / make ($(printf '%.3f' "$make_s") s)" "$(python3 -c "print(f'{$ours / $make_s:.4f}')")" "< 1" "$(check "$ours < $make_s")"

echo
echo "## A retry delay does not hold a worker (-j 2, 100 x 10 ms jobs beside a failing job)"
ends=()
for _ in $(seq "$RUNS"); do
  "$BIN" run --plugin build/bench/bench/retry_delay.so --root Root -j 2 -q \
    --report "$WORK/retry.json" >/dev/null || true
  ends+=("$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"]; print(max(v["end_s"] for k, v in j.items() if k.startswith("W")))' "$WORK/retry.json")")
done
end=$(printf '%s\n' "${ends[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "| run | value | target | |"
echo "|---|---|---|---|"
row "last of the 100 jobs ends (s after start)" "$(printf '%.3f' "$end")" "<= 0.7" "$(check "$end <= 0.7")"

echo
echo "## Side by side: oneTBB's flow graph, posix_spawn, start-up (bench/peer_tbb.sh)"
RUNS=$RUNS bench/peer_tbb.sh build/bench
