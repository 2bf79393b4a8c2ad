#!/usr/bin/env bash
# Runs the tests that start processes or threads N times in a row (default
# 20), stopping a test at its first failure, to catch the flaky ones that a
# single run lets through: the end-to-end suite (every test runs the real
# binary) and the core tests whose names say executor, fork server,
# isolated, parallel, signal, timed or interrupt. Builds the dev preset first.
#
#   scripts/repeat-tests.sh                 20 times each
#   scripts/repeat-tests.sh 50              50 times each
#   scripts/repeat-tests.sh 5 -E Chatty     more options go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-20}"
if ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/repeat-tests.sh [N] [ctest options...]  (N a whole number >= 1)" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))

# ctest regular expressions have no case-insensitive flag: hence [Cc]...
# e2e tests are prefixed "e2e." (tests/e2e/CMakeLists.txt).
regex='^e2e\.|[Ee]xecutor|ForkServer|[Ii]solated|[Pp]arallel|[Ss]ignal|[Tt]imed|[Ii]nterrupt'

cmake --preset dev
cmake --build --preset dev
ctest --preset dev --repeat "until-fail:$count" -R "$regex" "$@"
