#!/usr/bin/env bash
# The whole comparison in one command: the API figures against nginx (bench/api/run.sh,
# 5 s per wrk target) and the media figures against nginx-rtmp (bench/media/run.sh),
# one after the other, in about 10 minutes. ABR (bench/abr/run.sh) is separate: it
# compares against the ffmpeg CLI, not against a server.
#
# Usage: bench/run.sh [--write]   (--write replaces the API and Media sections of bench/RESULTS.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for arg in "$@"; do
  case "$arg" in
    --write) ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done
began=$(date +%s)
BENCH_DURATION=${BENCH_DURATION:-5s} BENCH_WARMUP=${BENCH_WARMUP:-1s} "$here/api/run.sh" "$@"
"$here/media/run.sh" "$@"
echo "bench: API and media comparison done in $(($(date +%s) - began)) s" >&2
