#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite:
# installs everything the tests use (apt, npm), builds, runs the unit and
# integration tests with CTest, then every fuzz target for a bounded time
# under ASan/UBSan (LS_FUZZ_SECONDS each, default 20; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
# Warnings are errors here (and only here): CI keeps the tree warning-free.
scripts/build.sh -DLS_BUILD_TESTS=ON -DLS_WERROR=ON
ctest --test-dir build --output-on-failure -j2 --timeout 600
scripts/fuzz.sh "${LS_FUZZ_SECONDS:-20}"
