#!/usr/bin/env bash
# dojobber against its peers, measured side by side in one run: each figure
# is a ratio of medians of RUNS alternating runs (bench/alternate.py), so
# that the machine's load falls on both sides alike. Prints each ratio
# beside its target (bench/README.md, "Side by side with oneTBB").
#
#   bench/peer_tbb.sh [BUILD_DIR]        (default build/bench, built by bench/run.sh)
#   RUNS=9 bench/peer_tbb.sh             more rounds (default 5)
#   N=100000 bench/peer_tbb.sh           a smaller graph (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."

build="${1:-build/bench}"
RUNS=${RUNS:-5}
N=${N:-1000000}
bin="$build/bin/dojobber"
tbb="$build/bench/tbb_peer"
spawn="$build/bench/spawn_loop"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

synth() {  # the issue's command: dojobber's synth run, arguments appended
  echo "$bin run --plugin synth --root Root -q $*"
}
alternate() { python3 bench/alternate.py "$RUNS" "$@" >"$out"; }
# get NAME FIELD: a median from the last alternate run.
get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$out" "$1" "$2"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
check() { python3 -c "print('ok' if $1 <= $2 else 'MISS')"; }
row() { printf '| %-62s | %6s | %-6s | %-4s |\n' "$1" "$2" "<= $3" "$(check "$2" "$3")"; }

echo "dojobber against oneTBB and posix_spawn: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$RUNS alternating runs, n=$N, $(date -u '+%Y-%m-%d %H:%M') UTC"
echo
echo "| figure | ratio | target | |"
echo "|---|---|---|---|"

graph="-a shape=layered -a n=$N"
alternate \
  "layered=$(synth "$graph" -a mode=converged -j 1)" \
  "tbb1=$tbb shape=layered n=$N mode=converged threads=1" \
  "chain=$(synth -a shape=chain -a n="$N" -a mode=converged -j 1)" \
  "wide=$(synth -a shape=wide -a n="$N" -a mode=converged -j 1)" \
  "report=$(synth "$graph" -a mode=converged -j 1 --report /dev/null)"
layered_s=$(get layered wall_s)
tbb1_s=$(get tbb1 wall_s)
row "-j 1 converged layered: time / TBB 1 thread" "$(ratio "$layered_s" "$tbb1_s")" 1.0
row "-j 1 converged layered: peak memory / TBB 1 thread" \
  "$(ratio "$(get layered rss_kib)" "$(get tbb1 rss_kib)")" 1.0
row "chain: time / layered" "$(ratio "$(get chain wall_s)" "$layered_s")" 1.5
row "wide: time / layered" "$(ratio "$(get wide wall_s)" "$layered_s")" 1.5
echo "  (dojobber layered $(printf '%.3f' "$layered_s") s $(($(get layered rss_kib | cut -d. -f1) / 1024)) MiB," \
  "TBB $(printf '%.3f' "$tbb1_s") s $(($(get tbb1 rss_kib | cut -d. -f1) / 1024)) MiB," \
  "chain $(printf '%.3f' "$(get chain wall_s)") s, wide $(printf '%.3f' "$(get wide wall_s)") s;" \
  "with --report /dev/null $(printf '%.3f' "$(get report wall_s)") s, $(ratio "$(get report wall_s)" "$tbb1_s")x TBB)" >&2

# against_tbb TITLE TARGET DOJOBBER_ARGS TBB_ARGS: the layered graph, time
# over TBB's in the same rounds.
against_tbb() {
  alternate "ours=$(synth "$graph" "$3")" "tbb=$tbb shape=layered n=$N $4"
  row "$1" "$(ratio "$(get ours wall_s)" "$(get tbb wall_s)")" "$2"
  echo "  (dojobber $(printf '%.3f' "$(get ours wall_s)") s, TBB $(printf '%.3f' "$(get tbb wall_s)") s)" >&2
}
against_tbb "-j 1 converge layered: time / TBB 1 thread" 2.0 \
  "-a mode=converge -j 1" "mode=converge threads=1"
against_tbb "-j 2 converged layered: time / TBB 2 threads" 1.0 \
  "-a mode=converged -j 2" "mode=converged threads=2"

# Growth: per-job cost at N over 10,000 jobs; the small run repeats 10 times
# per round, so its median is not of single 15 ms samples.
small=10000
alternate \
  "big=$(synth -a shape=layered -a n="$N" -a mode=converged -j 1)" \
  "small*10=$(synth -a shape=layered -a n=$small -a mode=converged -j 1)"
growth=$(python3 -c "print(f'{($(get big wall_s) / $N) / ($(get small wall_s) / $small):.2f}')")
row "per-job time at n=$N / at n=$small" "$growth" 1.3

# --isolate: per try, isolated minus in-process, against posix_spawn + wait
# of /bin/true, 1,000 of each.
tries=1000
alternate \
  "local=$(synth -a shape=wide -a n=$tries -a mode=converged -j 1)" \
  "isolate=$(synth -a shape=wide -a n=$tries -a mode=converged -j 1 --isolate)" \
  "spawn=$spawn $((tries + 1)) /bin/true"
per_try=$(python3 -c "print(($(get isolate wall_s) - $(get local wall_s)) / ($tries + 1))")
per_spawn=$(python3 -c "print($(get spawn wall_s) / ($tries + 1))")
row "--isolate per try / posix_spawn+wait of /bin/true" "$(ratio "$per_try" "$per_spawn")" 1.0
echo "  (isolated try $(python3 -c "print(f'{$per_try * 1e6:.0f}')") µs more than in-process," \
  "posix_spawn+wait $(python3 -c "print(f'{$per_spawn * 1e6:.0f}')") µs)" >&2

# Start-up: the all-succeeding movie run with no retry delay at all (the
# example's own delays are skipped by succeeding on the first try), against
# `dojobber --version`; 20 of each per round.
movie="$bin run --plugin movie --root WatchMovie -q --default-retry-delay 0 --arg battery_state=charged --arg couch_space=true --arg bowl_success_try=1 --arg pop_success_try=1 --arg pizza_success_try=1"
alternate "movie*20=$movie" "version*20=$bin --version"
movie_s=$(get movie wall_s)
version_s=$(get version wall_s)
row "start-up: movie run / dojobber --version" "$(ratio "$movie_s" "$version_s")" 3.0
echo "  (movie $(python3 -c "print(f'{$movie_s * 1e3:.2f}')") ms, --version" \
  "$(python3 -c "print(f'{$version_s * 1e3:.2f}')") ms)" >&2
