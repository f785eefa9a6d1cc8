#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan+UBSan into ./build-fuzz
# and runs each for SECONDS (default 20) from its checked-in seed corpus.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache: paths relative to the checkout and the build directory left out of
# the hash, so a fresh clone anywhere (CI) reuses what an earlier build compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
seconds="${1:-20}"
[ "$seconds" = "0" ] && exit 0
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
CXX=clang++ cmake -S . -B build-fuzz "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLS_BUILD_FUZZ=ON -DLS_BUILD_TESTS=ON -DLS_BUILD_BENCH=OFF -DLS_WERROR=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" >/dev/null
# One target per tests/fuzz/<name>.cmake, named after its file.
targets=$(for f in tests/fuzz/*.cmake; do basename "$f" .cmake; done)
cmake --build build-fuzz -j"${LS_JOBS:-2}" --target $targets
# Targets run two at a time (LS_JOBS): each is one process on one core.
run_target() {
  local t="$1" corpus="tests/fuzz/corpus/$1" work="build-fuzz/fuzz-work/$1" bin
  mkdir -p "$work"
  bin=$(find build-fuzz/tests/fuzz -maxdepth 1 -type f -name "$t" | head -1)
  echo "fuzzing $t for ${seconds}s"
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "$work" "$corpus" \
      >"build-fuzz/fuzz-work/$t.log" 2>&1; then
    touch "build-fuzz/fuzz-work/$t.passed"
  else
    echo "fuzz target $t failed:"; tail -40 "build-fuzz/fuzz-work/$t.log"
  fi
}
export -f run_target
export seconds
mkdir -p build-fuzz/fuzz-work
rm -f build-fuzz/fuzz-work/*.passed
printf '%s\n' $targets | xargs -P "${LS_JOBS:-2}" -I{} bash -c 'run_target "$1"' _ {}
total=$(printf '%s\n' $targets | wc -l)
passed=$(find build-fuzz/fuzz-work -maxdepth 1 -name '*.passed' | wc -l)
failed=$((total - passed))
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
