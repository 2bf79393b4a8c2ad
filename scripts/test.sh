#!/usr/bin/env bash
# Quick start, step 2: install what is missing, build the debug preset and run
# the whole test suite (unit, scenario and end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --workflow --preset dev
