#!/usr/bin/env bash
# API throughput and latency of lunarstream beside nginx, on loopback, in one run.
#
# Usage: bench/api/run.sh [--write]
#   --write   replace the "API" section of bench/RESULTS.md with this run's figures.
# Environment:
#   LUNARSTREAM_BIN      server binary (default build/src/app/lunarstream, built if missing)
#   BENCH_DURATION       wrk duration per target (default 10s; at most 20s so a run stays under 2 minutes)
#   BENCH_WARMUP         unrecorded wrk run before each target (default 2s)
#   BENCH_THREADS        wrk threads (default 2)
#   BENCH_CONNECTIONS    wrk connections (default 32)
#   BENCH_SERVER_THREADS lunarstream HTTP threads and nginx worker processes (default 2)
#   BENCH_KEEP_TMP=1     keep the temporary directory (data dir, logs, raw wrk output)
#
# Starts its own lunarstream and nginx on 127.0.0.1, each on a free port, and
# stops exactly those (by PID) on exit. Sends traffic to 127.0.0.1 only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../lib
# shellcheck source=bench.sh
source "$repo/bench/lib/bench.sh"

write=0
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
server_threads=${BENCH_SERVER_THREADS:-2}
for spec in "$duration" "$warmup"; do
  if ! [[ "$spec" =~ ^([0-9]+)s$ ]] || [ "${BASH_REMATCH[1]}" -gt 20 ]; then
    echo "run.sh: durations are whole seconds like 10s, at most 20s (got '$spec')" >&2
    exit 2
  fi
done

# --- tools -------------------------------------------------------------------
# Debian 12: "nginx" is the server itself; "nginx-light" only adds the echo module on top of it.
bench_apt_install wrk nginx jq curl iproute2
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
wrk_bin=$(command -v wrk)

ls_bin=$(bench_lunarstream_bin "$repo") || exit 1

# --- cleanup: only what this script started ------------------------------------
tmp=$(mktemp -d /tmp/lunarstream-bench-api.XXXXXX)
# nginx workers run as another user when we are root: they must be able to read the served file.
chmod 755 "$tmp"
trap 'bench_cleanup "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  for log in "$tmp"/lunarstream.err "$tmp"/nginx/error.log; do
    [ -s "$log" ] && { echo "--- $log (last 20 lines)" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

# --- lunarstream -----------------------------------------------------------------
# Rate limits raised out of the way (the bench measures the server, not the limiter);
# log level warn because nginx runs with access_log off.
mkdir -m 700 "$tmp/data"
: >"$tmp/lunarstream.out"
LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 \
  LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
  LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000 \
  LUNARSTREAM_HTTP_THREADS=$server_threads \
  "$ls_bin" serve --data-dir "$tmp/data" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn \
  >"$tmp/lunarstream.out" 2>"$tmp/lunarstream.err" </dev/null &
ls_pid=$!
started_pids+=("$ls_pid")
api=$(bench_ready_field "$tmp/lunarstream.out" "$ls_pid" api) || fail "lunarstream did not start"

project_json=$("$ls_bin" project create --name bench-api --data-dir "$tmp/data" --json) ||
  fail "lunarstream project create failed"
api_key=$(jq -r .apiKey <<<"$project_json")
project_id=$(jq -r .projectId <<<"$project_json")
media_server_id=$(bench_embedded_media_server "$ls_bin" "$tmp/data") || fail "lunarstream media-server list failed"
if [ -z "$api_key" ] || [ "$api_key" = null ] || [ -z "$media_server_id" ] || [ "$media_server_id" = null ]; then
  fail "could not read the project or media server ids ($project_json)"
fi

create_body=$(jq -cn --arg p "$project_id" --arg m "$media_server_id" '{name: "bench-setup", projectId: $p, mediaServerId: $m}')
code=$(curl -sS -o "$tmp/create.json" -w '%{http_code}' -H "ls-api-key: $api_key" \
  -H 'Content-Type: application/json' --data "$create_body" "$api/api/v1/livestream")
[ "$code" = 201 ] || fail "POST /api/v1/livestream answered $code: $(cat "$tmp/create.json")"
stream_key=$(jq -r .data.streamKey "$tmp/create.json")
info_path="/api/v1/livestreams/stream-info/$stream_key"

# The static file nginx serves is the stream-info body itself, at the same path.
mkdir -p "$tmp/www${info_path%/*}"
code=$(curl -sS -o "$tmp/www$info_path" -w '%{http_code}' "$api$info_path")
[ "$code" = 200 ] || fail "GET $info_path answered $code"
chmod -R a+rX "$tmp/www"
body_bytes=$(stat -c %s "$tmp/www$info_path")

# --- nginx -------------------------------------------------------------------------
nginx_port=$(bench_free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $server_threads;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  # lunarstream has no per-connection request cap; nginx's default of 1000 would make wrk reconnect.
  keepalive_requests 100000000;
  client_body_temp_path $tmp/nginx/client_body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $tmp/www;
  }
}
EOF
"$nginx_bin" -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" </dev/null \
  >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!
started_pids+=("$nginx_pid")
bench_wait_port "$nginx_port" 10 "$nginx_pid" || fail "nginx did not start listening on $nginx_port"
nginx_url="http://127.0.0.1:$nginx_port$info_path"
read -r code nginx_header_bytes nginx_body_bytes < <(curl -sS -o /dev/null -w '%{http_code} %{size_header} %{size_download}\n' "$nginx_url")
if [ "$code" != 200 ] || [ "$nginx_body_bytes" != "$body_bytes" ]; then
  fail "nginx answered $code with $nginx_body_bytes bytes"
fi
read -r code ls_header_bytes _ < <(curl -sS -o /dev/null -w '%{http_code} %{size_header} %{size_download}\n' "$api$info_path")

# --- wrk -----------------------------------------------------------------------------
# run_target LABEL PIDS URL [wrk args...]: a warm-up, then the recorded run; notes CPU used by PIDS.
declare -A result cpu_s cmd_of idle_pct wrk_cpu_s
clk_tck=$(getconf CLK_TCK)
run_target() {
  local label=$1 pids=$2 url=$3
  shift 3
  local cmd=("$wrk_bin" "-t$threads" "-c$connections" "-d$duration" --latency "$@" "$url")
  "$wrk_bin" "-t$threads" "-c$connections" "-d$warmup" "$@" "$url" >"$tmp/wrk-$label-warmup.txt" 2>&1 ||
    fail "wrk warm-up against $label failed: $(cat "$tmp/wrk-$label-warmup.txt")"
  local before after snap_before
  cmd_of[$label]="wrk -t$threads -c$connections -d$duration --latency${*:+ $*} $url"
  # shellcheck disable=SC2086 # $pids is a space-separated PID list on purpose
  before=$(bench_cpu_ticks $pids)
  snap_before=$(bench_cpu_snapshot)
  echo "bench: $label: ${cmd_of[$label]}" >&2
  times >"$tmp/times-$label-before"
  "${cmd[@]}" >"$tmp/wrk-$label.txt" 2>&1 || fail "wrk against $label failed: $(cat "$tmp/wrk-$label.txt")"
  times >"$tmp/times-$label-after"
  # shellcheck disable=SC2086
  after=$(bench_cpu_ticks $pids)
  idle_pct[$label]=$(bench_idle_percent "$snap_before" "$(bench_cpu_snapshot)")
  wrk_cpu_s[$label]=$(awk -v a="$(bench_children_cpu_s "$tmp/times-$label-before")" \
    -v b="$(bench_children_cpu_s "$tmp/times-$label-after")" 'BEGIN { printf "%.2f", b - a }')
  result[$label]=$(bench_parse_wrk "$tmp/wrk-$label.txt") || fail "cannot parse wrk output: $(cat "$tmp/wrk-$label.txt")"
  cpu_s[$label]=$(awk -v t=$((after - before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
}

nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
run_target nginx-static "$nginx_pids" "$nginx_url"
run_target ls-stream-info "$ls_pid" "$api$info_path"
export LS_API_KEY=$api_key LS_PROJECT_ID=$project_id LS_MEDIA_SERVER_ID=$media_server_id
run_target ls-post-livestream "$ls_pid" "$api/api/v1/livestream" -s "$here/post_livestream.lua"

kill -0 "$ls_pid" 2>/dev/null || fail "lunarstream died during the run"
kill -0 "$nginx_pid" 2>/dev/null || fail "nginx died during the run"
after_code=$(curl -sS -o /dev/null -w '%{http_code}' "$api$info_path")
livestreams_created=$(curl -sS -H "ls-api-key: $api_key" "$api/api/v1/livestream?limit=1" | jq -r '.meta.pagination.total')
stderr_lines=$(wc -l <"$tmp/lunarstream.err")

# --- report ----------------------------------------------------------------------------
field() { awk -v n="$2" '{ print $n }' <<<"${result[$1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
per_cpu() { awk -v r="$(field "$1" 5)" -v c="${cpu_s[$1]}" 'BEGIN { if (c + 0 == 0) print "n/a"; else printf "%.0f", r / c }'; }
describe() {
  case "$1" in
    nginx-static) echo "nginx, static file (peer)" ;;
    ls-stream-info) echo "lunarstream GET stream-info" ;;
    ls-post-livestream) echo "lunarstream POST livestream" ;;
  esac
}

table=$(
  echo "| target | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx | socket errors | server CPU s | req per server CPU-s | wrk CPU s | machine idle % |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in nginx-static ls-stream-info ls-post-livestream; do
    read -r rps p50 p90 p99 n non2xx sockerr <<<"${result[$t]}"
    echo "| $(describe "$t") | $rps | $p50 | $p90 | $p99 | $n | $non2xx | $sockerr | ${cpu_s[$t]} | $(per_cpu "$t") | ${wrk_cpu_s[$t]} | ${idle_pct[$t]} |"
  done
  echo
  echo "| lunarstream / nginx | req/s | p50 | p90 | p99 | req per server CPU-s |"
  echo "|---|---:|---:|---:|---:|---:|"
  for t in ls-stream-info ls-post-livestream; do
    echo "| $(describe "$t") | $(ratio "$(field "$t" 1)" "$(field nginx-static 1)") |" \
      "$(ratio "$(field "$t" 2)" "$(field nginx-static 2)") | $(ratio "$(field "$t" 3)" "$(field nginx-static 3)") |" \
      "$(ratio "$(field "$t" 4)" "$(field nginx-static 4)") | $(ratio "$(per_cpu "$t")" "$(per_cpu nginx-static)") |"
  done
)

echo "$table"
echo
echo "lunarstream stderr: $stderr_lines lines; GET stream-info after the run: $after_code; livestreams in the project: $livestreams_created"
if [ "$stderr_lines" -gt 0 ]; then
  echo "--- lunarstream stderr (last 20 lines)"
  tail -n 20 "$tmp/lunarstream.err"
fi

[ "$write" = 1 ] || exit 0

# (wrk -v exits 1; a closed pipe may stop --help early: neither is a failure here)
ls_version=$("$ls_bin" --help 2>&1 | head -n 1 || true)
ls_commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
# Read-only look at whether the binary's sources differ from that commit (git status could rewrite the index).
if ! git -C "$repo" diff --quiet HEAD -- src cmake CMakeLists.txt 2>/dev/null ||
  [ -n "$(git -C "$repo" ls-files --others --exclude-standard -- src cmake 2>/dev/null)" ]; then
  ls_commit="$ls_commit plus uncommitted changes in src/"
fi
nginx_version=$("$nginx_bin" -v 2>&1)
wrk_version=$({ "$wrk_bin" -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')
section="$tmp/section.md"
{
  echo "## API"
  echo
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/api/run.sh --write\`" \
    "(durations ${duration} per target after a ${warmup} warm-up, wrk ${threads} threads, ${connections} connections)."
  echo
  echo "- Machine: $(bench_machine_line). Before the run: load average $loadavg, CPUs ${machine_busy}% busy."
  echo "- Everything on one machine over loopback: wrk, nginx and lunarstream share the $(nproc) cores, so wrk's own CPU"
  echo "  competes with the server under test, and so does anything else running at the time. The ratios compare"
  echo "  servers measured in the same run under the same conditions; the absolute figures are not a server's capacity."
  echo "- Versions: lunarstream \`$ls_version\` built from commit $ls_commit (RelWithDebInfo, -O2), $nginx_version (Debian), wrk $wrk_version."
  echo "- lunarstream: \`serve --log-level warn\`, $server_threads HTTP threads, SQLite in a temporary data dir, rate limits raised to 10000000/min."
  echo "- nginx: $server_threads worker processes, access_log off, keepalive_requests unlimited, serving the stream-info body"
  echo "  ($body_bytes bytes, byte-identical) as a static file at the same path. Response headers: nginx $nginx_header_bytes bytes,"
  echo "  lunarstream $ls_header_bytes bytes."
  echo "- POST creates one livestream per request (a SQLite insert each); $livestreams_created livestreams existed after the run."
  echo "  lunarstream wrote $stderr_lines lines to stderr; it answered GET stream-info with $after_code after the run."
  echo
  echo "$table"
  echo
  echo "Latency ratios above 1 mean lunarstream is slower; req/s ratios below 1 mean it serves fewer."
  echo "\"Server CPU s\" is user+system time of the server's processes during the recorded run (from /proc/PID/stat);"
  echo "\"wrk CPU s\" is wrk's own user+system time (bash's times builtin), taken from the same 2 cores."
  echo "\"machine idle %\" is the idle share of all CPUs during it (from /proc/stat): near 0 means wrk and the server"
  echo "used the whole machine, more means something outside held them back."
  echo
  echo "Commands (ports are picked per run; the POST script reads LS_API_KEY, LS_PROJECT_ID, LS_MEDIA_SERVER_ID):"
  echo
  echo '```'
  echo "bench/api/run.sh --write"
  echo "# inside it (TMP is a fresh mktemp -d):"
  echo "LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000" \
    "LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000" \
    "LUNARSTREAM_HTTP_THREADS=$server_threads lunarstream serve --data-dir TMP/data --http 127.0.0.1:0" \
    "--rtmp 127.0.0.1:0 --log-level warn"
  echo "nginx -p TMP/nginx/ -c TMP/nginx/nginx.conf -e TMP/nginx/error.log"
  for t in nginx-static ls-stream-info ls-post-livestream; do echo "${cmd_of[$t]//$here/bench/api}"; done
  echo '```'
  echo
  echo "<details><summary>Raw wrk output</summary>"
  echo
  echo '```'
  for t in nginx-static ls-stream-info ls-post-livestream; do
    echo "# $(describe "$t")"
    cat "$tmp/wrk-$t.txt"
  done
  echo '```'
  echo
  echo "</details>"
} >"$section"
bench_replace_section "$repo/bench/RESULTS.md" API "$section"
echo "bench: wrote the API section of bench/RESULTS.md" >&2
