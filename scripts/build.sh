#!/usr/bin/env bash
# Builds lunarstream and its tests into ./build (Release with debug info).
# Usage: scripts/build.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: paths relative to the checkout and the build directory left out of
# the hash, so a fresh clone anywhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
# hls.js for the preview page (embedded by CMake), and the dashboard's libraries and build tools
# (preact, uplot, typescript, vite), come from npm, pinned by web/package-lock.json.
if [ ! -f web/node_modules/hls.js/dist/hls.min.js ] || [ ! -f web/node_modules/vite/package.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j"${LS_JOBS:-2}"
