#!/usr/bin/env bash
# Scale-out figures: partner creates and public stream-info reads per second with one and
# with two `serve --role api` processes, on PostgreSQL and on SQLite, in one run on this
# machine, with PostgreSQL's own CPU beside ours.
#
# Usage: bench/scaleout/run.sh [--write]
#   --write   replace the "Scale-out" section of bench/RESULTS.md with this run's figures.
# Environment:
#   LUNARSTREAM_BIN      server binary (default build/src/app/lunarstream, built if missing)
#   BENCH_DURATION       wrk duration per target (default 8s; at most 20s)
#   BENCH_WARMUP         unrecorded wrk run before each target (default 1s)
#   BENCH_CONNECTIONS    connections of each of the two wrk processes (default 16)
#   BENCH_SERVER_THREADS HTTP threads of each API process (default 2)
#   LS_POSTGRES_BINDIR   directory with initdb and pg_ctl (default: newest /usr/lib/postgresql/*/bin)
#   BENCH_KEEP_TMP=1     keep the temporary directory
#
# Load comes from two wrk processes (one thread each) running at once: both against the single
# API process in the one-node runs, one per process in the two-node runs, so the load generator
# costs the same in both. Starts its own PostgreSQL (initdb in a temporary directory, loopback,
# run as the `postgres` user when we are root) and its own lunarstream processes, and stops
# exactly those (by PID) on exit.
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
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

duration=${BENCH_DURATION:-8s}
warmup=${BENCH_WARMUP:-1s}
connections=${BENCH_CONNECTIONS:-16}
server_threads=${BENCH_SERVER_THREADS:-2}
for spec in "$duration" "$warmup"; do
  if ! [[ "$spec" =~ ^([0-9]+)s$ ]] || [ "${BASH_REMATCH[1]}" -gt 20 ]; then
    echo "run.sh: durations are whole seconds like 8s, at most 20s (got '$spec')" >&2
    exit 2
  fi
done

bench_apt_install wrk jq curl iproute2 postgresql
wrk_bin=$(command -v wrk)
ls_bin=$(bench_lunarstream_bin "$repo") || exit 1

tmp=$(mktemp -d /tmp/lunarstream-bench-scaleout.XXXXXX)
chmod 755 "$tmp"
pg_dir="$tmp/pg"
trap 'bench_pg_stop; bench_cleanup "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  for log in "$tmp"/*.err "$pg_dir/server.log"; do
    [ -s "$log" ] && { echo "--- $log (last 15 lines)" >&2; tail -n 15 "$log" >&2; }
  done
  exit 1
}

machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

# --- PostgreSQL: stock durability settings (fsync and synchronous_commit on) ----------------
bench_pg_start "$pg_dir" max_connections=200 || fail "no PostgreSQL cluster"
pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
pg_version=$("$pg_bindir/postgres" --version)
# new_database NAME: creates it (empty) and prints its URL.
new_database() {
  bench_pg_database "$1" || fail "cannot create a database"
}

# --- one setup: an empty store, N API processes, a project, a node, one livestream --------
# setup ENGINE NODES: ENGINE is postgres or sqlite. Sets api_urls, api_pids, api_key,
# project_id, media_server_id, stream_key.
api_urls=()
api_pids=()
setup() {
  local engine=$1 nodes=$2 i store_args serve_args out
  local data="$tmp/$engine-$nodes-data"
  mkdir -m 700 "$data"
  if [ "$engine" = postgres ]; then
    store_args=(--database "$(new_database "bench_${engine}_${nodes}")")
    serve_args=("${store_args[@]}" --data-dir "$data")
  else
    store_args=(--data-dir "$data")
    serve_args=("${store_args[@]}")
  fi
  "$ls_bin" db migrate "${store_args[@]}" >/dev/null || fail "db migrate failed"
  api_urls=()
  api_pids=()
  for ((i = 1; i <= nodes; i++)); do
    out="$tmp/$engine-$nodes-api$i.out"
    LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 \
      LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
      LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000 \
      LUNARSTREAM_HTTP_THREADS=$server_threads \
      "$ls_bin" serve --role api "${serve_args[@]}" --http 127.0.0.1:0 --log-level warn \
      >"$out" 2>"$tmp/$engine-$nodes-api$i.err" </dev/null &
    api_pids+=("$!")
    started_pids+=("$!")
    api_urls+=("$(bench_ready_field "$out" "$!" api)") || fail "API process $i on $engine did not start"
  done
  local project_json node_json
  project_json=$("$ls_bin" project create --name "bench-$engine-$nodes" "${store_args[@]}" --json) ||
    fail "project create failed"
  api_key=$(jq -r .apiKey <<<"$project_json")
  project_id=$(jq -r .projectId <<<"$project_json")
  # Creates need a media server; a registered node that never ran is enough (status UNKNOWN).
  node_json=$("$ls_bin" node add --name "bench-node" --rtmp-url rtmp://127.0.0.1:1935/live \
    --hls-url http://127.0.0.1:8080 "${store_args[@]}" --json) || fail "node add failed"
  media_server_id=$(jq -r .id <<<"$node_json")
  local body code
  body=$(jq -cn --arg p "$project_id" --arg m "$media_server_id" '{name: "bench-setup", projectId: $p, mediaServerId: $m}')
  code=$(curl -sS -o "$tmp/create.json" -w '%{http_code}' -H "ls-api-key: $api_key" \
    -H 'Content-Type: application/json' --data "$body" "${api_urls[0]}/api/v1/livestream")
  [ "$code" = 201 ] || fail "POST /api/v1/livestream answered $code: $(cat "$tmp/create.json")"
  stream_key=$(jq -r .data.streamKey "$tmp/create.json")
}

teardown() {
  local pid
  for pid in "${api_pids[@]}"; do bench_stop_pid "$pid"; done
  api_pids=()
}

# --- measuring ---------------------------------------------------------------------------
declare -A result our_cpu pg_cpu idle
clk_tck=$(getconf CLK_TCK)
pg_pids() { echo "$pg_pid $(pgrep -P "$pg_pid" | tr '\n' ' ')"; }
# measure LABEL PATH [wrk args...]: two wrk processes at once, on api_urls[0] and api_urls[1]
# (or both on api_urls[0]); sums their req/s; our CPU and PostgreSQL's over the run.
measure() {
  local label=$1 path=$2
  shift 2
  local url_a="${api_urls[0]}$path" url_b="${api_urls[${#api_urls[@]} - 1]}$path"
  "$wrk_bin" -t1 "-c$connections" "-d$warmup" "$@" "$url_a" >/dev/null 2>&1 &
  local w1=$!
  "$wrk_bin" -t1 "-c$connections" "-d$warmup" "$@" "$url_b" >/dev/null 2>&1 &
  wait $w1 $! || true
  local ours_before pg_before
  # shellcheck disable=SC2046
  ours_before=$(bench_cpu_ticks "${api_pids[@]}")
  # shellcheck disable=SC2046
  pg_before=$(bench_cpu_ticks $(pg_pids))
  local snap
  snap=$(bench_cpu_snapshot)
  echo "bench: $label: 2 x wrk -t1 -c$connections -d$duration $* ($url_a, $url_b)" >&2
  "$wrk_bin" -t1 "-c$connections" "-d$duration" --latency "$@" "$url_a" >"$tmp/wrk-$label-a.txt" 2>&1 &
  w1=$!
  "$wrk_bin" -t1 "-c$connections" "-d$duration" --latency "$@" "$url_b" >"$tmp/wrk-$label-b.txt" 2>&1 &
  local w2=$!
  wait $w1 || fail "wrk failed: $(cat "$tmp/wrk-$label-a.txt")"
  wait $w2 || fail "wrk failed: $(cat "$tmp/wrk-$label-b.txt")"
  idle[$label]=$(bench_idle_percent "$snap" "$(bench_cpu_snapshot)")
  local ours_after pg_after a b
  ours_after=$(bench_cpu_ticks "${api_pids[@]}")
  # shellcheck disable=SC2046
  pg_after=$(bench_cpu_ticks $(pg_pids))
  a=$(bench_parse_wrk "$tmp/wrk-$label-a.txt") || fail "cannot parse wrk output"
  b=$(bench_parse_wrk "$tmp/wrk-$label-b.txt") || fail "cannot parse wrk output"
  # req/s summed; p99 the worse of the two; non-2xx and socket errors summed.
  result[$label]=$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%.0f %.2f %.2f %d %d", x[1] + y[1], (x[2] > y[2] ? x[2] : y[2]), (x[4] > y[4] ? x[4] : y[4]),
      x[6] + y[6], x[7] + y[7] }')
  our_cpu[$label]=$(awk -v t=$((ours_after - ours_before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
  pg_cpu[$label]=$(awk -v t=$((pg_after - pg_before)) -v hz="$clk_tck" 'BEGIN { printf "%.2f", t / hz }')
}

export LS_API_KEY LS_PROJECT_ID LS_MEDIA_SERVER_ID
runs=(postgres-1 postgres-2 sqlite-1 sqlite-2)
for run in "${runs[@]}"; do
  engine=${run%-*}
  nodes=${run#*-}
  setup "$engine" "$nodes"
  LS_API_KEY=$api_key LS_PROJECT_ID=$project_id LS_MEDIA_SERVER_ID=$media_server_id
  measure "$run-info" "/api/v1/livestreams/stream-info/$stream_key"
  measure "$run-create" "/api/v1/livestream" -s "$repo/bench/api/post_livestream.lua"
  for pid in "${api_pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "an API process died during $run"; done
  teardown
done

# --- report ------------------------------------------------------------------------------
field() { awk -v n="$2" '{ print $n }' <<<"${result[$1]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
table=$(
  echo "| store | API processes | request | req/s | p50 ms | p99 ms | non-2xx | socket errors | lunarstream CPU s | PostgreSQL CPU s | machine idle % |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for run in "${runs[@]}"; do
    for kind in create info; do
      read -r rps p50 p99 non2xx sockerr <<<"${result[$run-$kind]}"
      what="POST livestream"; [ "$kind" = info ] && what="GET stream-info"
      pgc=${pg_cpu[$run-$kind]}; [ "${run%-*}" = sqlite ] && pgc="-"
      echo "| ${run%-*} | ${run#*-} | $what | $rps | $p50 | $p99 | $non2xx | $sockerr | ${our_cpu[$run-$kind]} | $pgc | ${idle[$run-$kind]} |"
    done
  done
  echo
  echo "| two API processes / one | POST livestream | GET stream-info |"
  echo "|---|---:|---:|"
  for engine in postgres sqlite; do
    echo "| $engine | $(ratio "$(field "$engine-2-create" 1)" "$(field "$engine-1-create" 1)") |" \
      "$(ratio "$(field "$engine-2-info" 1)" "$(field "$engine-1-info" 1)") |"
  done
)
echo "$table"
[ "$write" = 1 ] || exit 0

ls_commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
section="$tmp/section.md"
{
  echo "## Scale-out"
  echo
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/scaleout/run.sh --write\` (commit $ls_commit;" \
    "$duration per target after a $warmup warm-up; two wrk processes, one thread and $connections connections each)."
  echo
  echo "- Machine: $(bench_machine_line). Before the run: load average $loadavg, CPUs ${machine_busy}% busy."
  echo "- $pg_version from Debian, started by the script with stock durability (fsync, synchronous_commit on)."
  echo "- Each API process: \`serve --role api\`, $server_threads HTTP threads, rate limits raised to 10000000/min."
  echo "  SQLite runs share one data dir (WAL) between the processes. Creates go to a registered media node."
  echo "- wrk, PostgreSQL and every API process share the same $(nproc) cores: a second API process can add"
  echo "  throughput only where one process left cores idle (waiting on the database), not by bringing new cores."
  echo
  echo "$table"
  echo
  echo "CPU seconds are user+system time over the recorded run (from /proc); the machine has $(nproc) x ${duration%s} ="
  echo "$(($(nproc) * ${duration%s})) CPU-seconds in that time, shared by wrk, PostgreSQL and the API processes. Where"
  echo "\"machine idle %\" is near 0 the machine, not LunarStream, is the ceiling, and a second API process on the same"
  echo "cores can only share it: the two-process goal (at least 1.8x for creates) needs a second machine's cores, which"
  echo "this run does not have. Per create, LunarStream spends one RS256 signature (most of its CPU) and one insert."
  echo
  echo '```'
  echo "bench/scaleout/run.sh --write"
  echo '```'
} >"$section"
bench_replace_section "$repo/bench/RESULTS.md" Scale-out "$section"
echo "bench: wrote the Scale-out section of bench/RESULTS.md" >&2
