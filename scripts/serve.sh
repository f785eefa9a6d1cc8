#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running server: installs
# what is needed, builds, and starts `lunarstream serve` on its defaults
# (SQLite in ./data, API/HLS on :8080, RTMP on :1935). Extra arguments go to
# `lunarstream serve` (see `build/src/app/lunarstream serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh runtime
# LS_WERROR=OFF explicitly: ./build may hold the ON that test.sh cached.
LS_BUILD_TESTS=OFF scripts/build.sh -DLS_BUILD_TESTS=OFF -DLS_BUILD_BENCH=OFF -DLS_WERROR=OFF
exec build/src/app/lunarstream serve "$@"
