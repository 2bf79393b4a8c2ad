#!/usr/bin/env bash
# Installs the Debian 12 packages dojobber needs that are not installed yet.
# Does nothing (and needs no root) when everything is already present.
#
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also the benchmark dependencies
#   scripts/install-deps.sh --slurm  also Slurm 22.05 and munge, for the
#                                    local test cluster (scripts/slurm-cluster.sh)
#   scripts/install-deps.sh --ccache also ccache, the compiler cache CI uses
# Options combine: scripts/install-deps.sh --bench --slurm
#
# Installing the Slurm packages starts no daemon here: without systemd as
# PID 1, invoke-rc.d finds no runlevel and skips the init scripts, and the
# slurmctld/slurmd units need an /etc/slurm/slurm.conf that the test cluster
# never writes. (With systemd, the packages enable and start munge.service;
# the test cluster uses a munged of its own, on its own socket and key.)
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  libcli11-dev libboost-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  graphviz
  # Graphviz's library, for drawing graphs in-process (core/dot_render.cc):
  # headers and pkg-config files; its cairo/pango plugin (in libgvc6) draws
  # PNG and PDF, with a font from fonts-dejavu-core.
  pkg-config libgraphviz-dev fonts-dejavu-core
  # The report schema test validates real reports against
  # docs/report-schema.json with it (tests/e2e/report_schema_test.py).
  python3-jsonschema
  # The HTML report's browser test (tests/e2e/html_browser_test.cc) loads
  # the page in headless Chromium and reads the DOM its script built.
  chromium
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev hyperfine time libtbb-dev) ;;
    # Not the package named "slurm": that one is a network load monitor.
    --slurm) packages+=(slurmctld slurmd slurm-client munge) ;;
    --ccache) packages+=(ccache) ;;
    *)
      echo "install-deps: unknown option $arg (known: --bench --slurm --ccache)" >&2
      exit 2
      ;;
  esac
done

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || {
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
