#!/usr/bin/env bash
# Per-try cost of the out-of-process executors, against the cost of starting
# any process here, measured in the same run (medians of hyperfine runs):
#
#   isolate: N trivial jobs (synth, wide, converged, -j 1) with --executor
#            isolate minus the same with --executor local, per try; against
#            N fork+exec+wait of /bin/true by a shell loop.
#   slurm:   (when a cluster answers, inside one salloc allocation) N trivial
#            jobs with --executor slurm per try, against N bare
#            `srun true` steps; and 100 jobs sleeping 0.2 s with -j 2 against
#            100 bare `srun sleep 0.2` steps two at a time.
#
#   bench/executors.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:-build/release}"
dojobber="$PWD/$build/bin/dojobber"
synth="$PWD/$build/lib/dojobber/plugins/synth.so"
n=1000
runs=5

median_of() {  # hyperfine's median of one command, in seconds
  local json
  json=$(mktemp)
  hyperfine --style none --runs "$runs" --export-json "$json" "$@" >/dev/null 2>&1
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
  rm -f "$json"
}

run_synth() {  # executor, n, extra args...
  local executor=$1 count=$2
  shift 2
  echo "$dojobber run --plugin $synth --root Root -a shape=wide -a n=$count -a mode=converged -q --executor $executor $*"
}

echo "== isolate: $n trivial tries, -j 1, medians of $runs"
local_s=$(median_of "$(run_synth local $n)")
isolate_s=$(median_of "$(run_synth isolate $n)")
true_s=$(median_of "bash -c 'for i in \$(seq $n); do /bin/true; done'")
python3 - "$local_s" "$isolate_s" "$true_s" "$n" <<'PY'
import sys
local, isolate, true, n = map(float, sys.argv[1:])
per_try = (isolate - local) / (n + 1) * 1e3
per_true = true / n * 1e3
print(f"local {local:.3f} s, isolate {isolate:.3f} s, /bin/true loop {true:.3f} s")
print(f"isolated try: {per_try:.3f} ms more than in-process; fork+exec+wait of /bin/true: "
      f"{per_true:.3f} ms; ratio {per_try / per_true:.2f}")
PY

if ! scontrol ping >/dev/null 2>&1; then
  echo "== slurm: no cluster answers (scripts/slurm-cluster.sh start); skipped"
  exit 0
fi
m=40
echo "== slurm: inside one allocation (salloc -N1 -n2), $m trivial tries -j 1, medians of $runs"
alloc=(salloc --quiet --nodes=1 --ntasks=2)
slurm_s=$(median_of "${alloc[*]} $(run_synth slurm $m)")
srun_s=$(median_of "${alloc[*]} bash -c 'for i in \$(seq $((m + 1))); do srun --quiet -n1 true; done'")
python3 - "$slurm_s" "$srun_s" "$((m + 1))" <<'PY'
import sys
slurm, srun, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"dojobber --executor slurm: {slurm / n * 1e3:.1f} ms per try; bare srun true: "
      f"{srun / n * 1e3:.1f} ms per step; ratio {slurm / srun:.2f} (target <= 1.2)")
PY
echo "== slurm: 100 jobs of 0.2 s, -j 2, against 100 bare srun sleep 0.2, two at a time"
sleep_s=$(median_of "${alloc[*]} $dojobber run --plugin $synth --root Root -a shape=wide -a n=100 -a work_ms=200 -a mode=converge -q --executor slurm -j 2")
bare_s=$(median_of "${alloc[*]} bash -c 'seq 100 | xargs -P 2 -I{} srun --quiet -n1 sleep 0.2'")
python3 - "$sleep_s" "$bare_s" <<'PY'
import sys
ours, bare = map(float, sys.argv[1:])
print(f"dojobber {ours:.2f} s, bare srun {bare:.2f} s, ratio {ours / bare:.2f} (target <= 1.3)")
PY
