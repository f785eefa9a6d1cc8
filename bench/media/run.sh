#!/usr/bin/env bash
# Media-plane figures of lunarstream beside nginx-rtmp, on loopback, in one run.
#
# Usage: bench/media/run.sh [--quick] [--write] [--perf]
#   --quick   a smoke test (about 2 minutes, small counts; figures not comparable to a full run)
#   --write   replace the "Media" section of bench/RESULTS.md with this run's figures
#   --perf    also profile both servers with perf (cpu-clock samples) at the CPU phase's load,
#             in its steady window
# Environment:
#   LUNARSTREAM_BIN     server binary (default build/src/app/lunarstream; built if missing)
#   LOADGEN_BIN         load generator (default build/bench/loadgen/loadgen; built if missing)
#   BENCH_CACHE_DIR     where the test FLV is kept between runs (default build/bench-media)
#   BENCH_PIN           1: each server runs on the last CPU and the load tools (loadgen, wrk) on
#                       the others, so every figure is one server on one core; 0: all share every
#                       CPU (default 1 on machines with 2 or more CPUs)
#   BENCH_NGINX_WORKERS nginx worker_processes (default: 1 when pinned, else auto)
#   BENCH_MAX_STREAMS   largest N the capacity search tries (default 2400, or fewer when
#                       MemAvailable / 12 MiB is lower)
#   BENCH_KEEP_TMP=1    keep the temporary directory (loadgen JSON reports, logs, wrk output)
#
# Starts its own nginx and lunarstream on 127.0.0.1 (fresh for every measurement) and
# stops exactly those, and its own load generators, by PID on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/bench.sh
source "$repo/bench/lib/bench.sh"

quick=0 write=0 perf=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --write) write=1 ;;
    --perf) perf=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

# --- settings (change them only with a note in RESULTS.md) ---------------------
gop_ms=2000
# CPU is sampled in two windows of one run: while the HLS windows fill (every
# segment needs fresh memory) and once they are full (old segments make room
# for new ones), from cpu_fill_at and cpu_steady_at seconds for cpu_window each.
if [ "$quick" = 1 ]; then
  cpu_streams=5 cpu_fill_at=3 cpu_steady_at=9 cpu_window=5
  lat_streams=3 lat_probes=3 lat_viewers=6 lat_seconds=9
  wrk_duration=2s wrk_warmup=1s
  steps="5 10" screen_seconds=6 confirm_seconds=10 refinements=1 confirmations=1
else
  cpu_streams=200 cpu_fill_at=4 cpu_steady_at=26 cpu_window=12
  lat_streams=10 lat_probes=8 lat_viewers=50 lat_seconds=14
  wrk_duration=5s wrk_warmup=1s
  # Screening steps last 20 s so they cover the HLS windows filling (18 s), the
  # costliest part of a stream's life on a fresh server (RESULTS.md, Media findings).
  steps="400 800 1600" screen_seconds=20 confirm_seconds=60 refinements=2 confirmations=3
fi
# Each stream keeps about 10 MB of segments (nginx-rtmp: on tmpfs); stay clear of the machine's memory.
mem_streams=$(awk '/^MemAvailable:/ { printf "%d", $2 / 1024 / 12 }' /proc/meminfo)
max_streams=${BENCH_MAX_STREAMS:-$((mem_streams < 2400 ? mem_streams : 2400))}
cpus=$(nproc)
pin=${BENCH_PIN:-$([ "$cpus" -ge 2 ] && echo 1 || echo 0)}
case "$pin" in
  1) server_cpus=$((cpus - 1)) tool_cpus="0-$((cpus - 2))"
     server_launch=(taskset -c "$server_cpus") tool_launch=(taskset -c "$tool_cpus")
     nginx_workers=${BENCH_NGINX_WORKERS:-1} ;;
  0) server_cpus="" tool_cpus="" server_launch=() tool_launch=() nginx_workers=${BENCH_NGINX_WORKERS:-auto} ;;
  *) echo "run.sh: BENCH_PIN must be 0 or 1" >&2; exit 2 ;;
esac
[ "$pin" = 0 ] || [ "$cpus" -ge 2 ] || { echo "run.sh: BENCH_PIN=1 needs 2 or more CPUs" >&2; exit 2; }
search_probes=4
wrk_threads=2 wrk_connections=32

# --- tools -----------------------------------------------------------------------
bench_apt_install nginx libnginx-mod-rtmp wrk jq curl iproute2 ffmpeg procps util-linux
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
nginx_rtmp_module=/usr/lib/nginx/modules/ngx_rtmp_module.so
[ -f "$nginx_rtmp_module" ] || { echo "run.sh: $nginx_rtmp_module is missing" >&2; exit 1; }
wrk_bin=$(command -v wrk)

ls_bin=${LUNARSTREAM_BIN:-$repo/build/src/app/lunarstream}
loadgen_bin=${LOADGEN_BIN:-$repo/build/bench/loadgen/loadgen}
if [ ! -x "$ls_bin" ] || [ ! -x "$loadgen_bin" ]; then
  for v in LUNARSTREAM_BIN LOADGEN_BIN; do
    if [ -n "${!v:-}" ] && [ ! -x "${!v}" ]; then echo "run.sh: $v=${!v} is not an executable" >&2; exit 1; fi
  done
  echo "bench: building lunarstream and loadgen into build/" >&2
  "$repo/scripts/install-deps.sh" runtime >&2
  if [ -f "$repo/build/CMakeCache.txt" ]; then
    cmake --build "$repo/build" -j"${LS_JOBS:-2}" --target lunarstream loadgen >&2
  else
    "$repo/scripts/build.sh" -DLS_BUILD_TESTS=OFF -DLS_BUILD_BENCH=ON >&2
  fi
fi

# --- the test stream, made once --------------------------------------------------
cache_dir=${BENCH_CACHE_DIR:-$repo/build/bench-media}
flv="$cache_dir/testsrc-720p30-3M-gop2s-aac-20s.flv"
if [ ! -s "$flv" ]; then
  mkdir -p "$cache_dir"
  echo "bench: encoding $flv (once)" >&2
  # testsrc alone compresses to ~1 Mbit/s; light temporal noise makes x264 spend the 3 Mbit/s.
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i testsrc=size=1280x720:rate=30 -f lavfi -i sine=frequency=440:sample_rate=44100 -t 20 \
    -vf noise=alls=8:allf=t -c:v libx264 -preset veryfast -profile:v high -pix_fmt yuv420p \
    -b:v 3M -maxrate 3M -bufsize 6M -g 60 -keyint_min 60 -sc_threshold 0 \
    -c:a aac -b:a 128k -ac 2 -f flv "$flv.part"
  mv "$flv.part" "$flv"
fi
flv_kbps=$(ffprobe -v error -show_entries format=bit_rate -of default=nw=1:nk=1 "$flv" | awk '{ printf "%.0f", $1 / 1000 }')

# --- cleanup: only what this script started ------------------------------------------
tmp=$(mktemp -d /tmp/lunarstream-bench-media.XXXXXX)
shm=$(mktemp -d /dev/shm/lunarstream-bench-hls.XXXXXX)
chmod 755 "$shm"
trap 'bench_cleanup "$tmp" "$shm"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  local log
  for log in "$tmp"/lunarstream-*.err "$tmp"/nginx-*/error.log; do
    [ -s "$log" ] && { echo "--- $log (last 10 lines)" >&2; tail -n 10 "$log" >&2; }
  done
  exit 1
}
# shellcheck source=servers.sh
source "$here/servers.sh"

clk_tck=$(getconf CLK_TCK)
began=$(date +%s)
machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
servers="nginx lunarstream"
declare -A fig

# loadgen_run LABEL ARGS...: runs the load generator against the running server,
# in the foreground; the JSON report goes to $tmp/LABEL.json.
loadgen_args() {
  local a=(--flv "$flv" --rtmp-url "$rtmp_url" --report "$tmp/$1.json" --quiet)
  [ -n "$keys_file" ] && a+=(--keys "$keys_file")
  printf '%s\n' "${a[@]}"
}
loadgen_run() {
  local label=$1 args
  shift
  mapfile -t args < <(loadgen_args "$label")
  "${tool_launch[@]}" "$loadgen_bin" "${args[@]}" "$@" 2>"$tmp/$label.log" &
  loadgen_pid=$!
  started_pids+=("$loadgen_pid")
}
loadgen_wait() {
  wait "$loadgen_pid" || fail "loadgen failed: $(tail -n 5 "$tmp/$1.log")"
  local keep=() p
  for p in "${started_pids[@]}"; do [ "$p" = "$loadgen_pid" ] || keep+=("$p"); done
  started_pids=("${keep[@]}")
  [ -s "$tmp/$1.json" ] || fail "loadgen wrote no report for $1"
}
j() { jq -r "$2" "$tmp/$1.json"; }
cpu_s() { awk -v t="$1" -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }'; }

# --- 1. ingest CPU and memory at N streams -------------------------------------------
for s in $servers; do
  start_server "$s" cpu
  [ "$s" = lunarstream ] && ensure_ls_keys "$(( max_streams > cpu_streams ? max_streams : cpu_streams ))"
  echo "bench: $s: CPU and memory with $cpu_streams streams" >&2
  loadgen_run "cpu-$s" --streams "$cpu_streams" --duration $((cpu_steady_at + cpu_window + 2)) --ramp-ms 1000
  began_at=$(date +%s.%N)
  pids=$(server_pids)
  for window in fill steady; do
    at=$cpu_fill_at
    [ "$window" = steady ] && at=$cpu_steady_at
    sleep "$(awk -v b="$began_at" -v at="$at" -v now="$(date +%s.%N)" 'BEGIN { d = b + at - now; if (d < 0) d = 0; printf "%.3f", d }')"
    # shellcheck disable=SC2086
    t0=$(bench_cpu_ticks $pids)
    w0=$(date +%s.%N)
    sleep "$cpu_window"
    # shellcheck disable=SC2086
    t1=$(bench_cpu_ticks $pids)
    w1=$(date +%s.%N)
    fig[$s.cpu_$window]=$(awk -v t=$((t1 - t0)) -v hz="$clk_tck" -v a="$w0" -v b="$w1" -v n="$cpu_streams" \
      'BEGIN { printf "%.3f", 100 * t / hz / (b - a) / n }')
  done
  # shellcheck disable=SC2086
  fig[$s.pss_mib]=$(awk -v k="$(pss_kib $pids)" 'BEGIN { printf "%.1f", k / 1024 }')
  fig[$s.tmpfs_mib]=0
  [ "$s" = nginx ] && fig[$s.tmpfs_mib]=$(du -sk "$hls_dir" | awk '{ printf "%.1f", $1 / 1024 }')
  loadgen_wait "cpu-$s"
  fig[$s.cpu_ok]=$(j "cpu-$s" '.summary.passed')
  fig[$s.cpu_ratio]=$(j "cpu-$s" '.summary.realtimeRatio.min')
  stop_server
done

# --- 1b. profile (optional) ----------------------------------------------------------
if [ "$perf" = 1 ]; then
  bench_apt_install linux-perf
  for s in $servers; do
    start_server "$s" perf
    echo "bench: $s: perf record with $cpu_streams streams" >&2
    loadgen_run "perf-$s" --streams "$cpu_streams" --duration $((cpu_steady_at + cpu_window + 2)) --ramp-ms 1000
    sleep "$cpu_steady_at"
    perf record -e cpu-clock -F 999 -p "$(server_pids | tr -s ' ' ',' | sed 's/,$//')" -o "$tmp/perf-$s.data" \
      -- sleep "$cpu_window" >/dev/null 2>"$tmp/perf-$s.log" || fail "perf record failed: $(cat "$tmp/perf-$s.log")"
    loadgen_wait "perf-$s"
    perf report -i "$tmp/perf-$s.data" --stdio --no-children --sort dso,symbol --percent-limit 1 2>/dev/null |
      grep -v '^#' | grep -v '^$' | sed -E 's/([[:space:]]+-){2}[[:space:]]*$//' | head -n 25 >"$tmp/perf-$s.top"
    stop_server
  done
fi

# --- 2. first playable playlist, segment availability lag, viewers -------------------
for s in $servers; do
  start_server "$s" latency
  echo "bench: $s: $lat_streams streams, $lat_probes probes, $lat_viewers viewers" >&2
  loadgen_run "lat-$s" --streams "$lat_streams" --probe-streams "$lat_probes" --viewers "$lat_viewers" \
    --playlist-url "$playlist_url" --duration "$lat_seconds" --ramp-ms 1000
  loadgen_wait "lat-$s"
  fig[$s.lat_ok]=$(j "lat-$s" '.summary.passed')
  fig[$s.first]=$(j "lat-$s" '.summary.firstPlayableMs | "\(.p50 // "n/a") / \(.max // "n/a")"')
  fig[$s.first_max]=$(j "lat-$s" '.summary.firstPlayableMs.max // 999999')
  fig[$s.avail]=$(j "lat-$s" '.summary.segmentAvailabilityLagMs | "\(.p50 // "n/a") / \(.p90 // "n/a") / \(.max // "n/a") (\(.count))"')
  fig[$s.fetch]=$(j "lat-$s" '.summary.segmentFetchMs | "\(.p50 // "n/a") / \(.p99 // "n/a") (\(.count))"')
  fig[$s.viewer_errors]=$(j "lat-$s" '.summary.viewerErrors')
  stop_server
done

source "$here/wrk_phase.sh"
source "$here/search_phase.sh"
source "$here/report.sh"
