#!/usr/bin/env bash
# Installs the Debian 12 packages dojobber needs that are not installed yet.
# Does nothing (and needs no root) when everything is already present.
#
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also the benchmark dependencies
set -euo pipefail

packages=(
  build-essential cmake ninja-build
  libcli11-dev libboost-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  graphviz
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(libbenchmark-dev hyperfine time)
fi

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
