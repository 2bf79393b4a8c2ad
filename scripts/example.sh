#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build dojobber (release), and
# run the movie example twice: with its defaults, where TurnOnTV and
# SitOnCouch fail and block the movie (exit status 1, as intended), then with
# charged batteries and room on the couch, where everything succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

dojobber=build/release/bin/dojobber
echo
echo "\$ dojobber run --plugin movie --root WatchMovie"
status=0
"$dojobber" run --plugin movie --root WatchMovie || status=$?
if [[ $status -ne 1 ]]; then
  echo "example: expected exit status 1 from the default movie run, got $status" >&2
  exit 1
fi
echo "(exit status 1: some jobs failed, so their dependents were blocked)"

echo
echo "\$ dojobber run --plugin movie --root WatchMovie --arg battery_state=charged --arg couch_space=true"
"$dojobber" run --plugin movie --root WatchMovie --arg battery_state=charged --arg couch_space=true
echo "(exit status 0: every job succeeded)"
echo
echo "The binary is $dojobber; try: $dojobber run --plugin movie --root WatchMovie --graph movie.svg"
