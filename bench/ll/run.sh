#!/usr/bin/env bash
# Low-latency HLS figures: glass-to-glass latency in hls.js (bench/ll/latency.js),
# MPEG-TS and LL masters, from the origin and through nginx proxy_cache.
# Usage: bench/ll/run.sh [--write]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/bench.sh
. "$repo/bench/lib/bench.sh"
bench_apt_install nginx ffmpeg chromium
exec node "$here/latency.js" "$@"
