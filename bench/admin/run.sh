#!/usr/bin/env bash
# Administration API reads on loopback: 10 000 livestreams over 4 projects,
# then GET /api/v1/admin/livestreams (page 1, a deep page, each with and
# without a status filter), /api/v1/admin/projects and /api/v1/admin/audit-log,
# compared with the partner API's GET /api/v1/livestream on the same data in
# the same run (ratio rule).
#
# Usage: bench/admin/run.sh [--engine sqlite|postgres] [--write]
#   --engine  the store (default sqlite). postgres starts its own PostgreSQL
#             (initdb in the temporary directory, loopback, stock durability
#             settings; run as the `postgres` user when we are root).
#   --write   replace the "Administration API" section of bench/RESULTS.md
#             ("Administration API (PostgreSQL)" with --engine postgres).
# Environment:
#   LUNARSTREAM_BIN      server binary (default build/src/app/lunarstream)
#   BENCH_DURATION       wrk duration per route (default 5s; at most 20s)
#   BENCH_CONNECTIONS    wrk connections (default 8)
#   BENCH_LIVESTREAMS    livestreams seeded (default 10000; at most 20000)
#   BENCH_KEEP_TMP=1     keep the temporary directory
#   LS_POSTGRES_BINDIR   directory with initdb and pg_ctl (default: newest /usr/lib/postgresql/*/bin)
# Starts its own lunarstream (and PostgreSQL) on 127.0.0.1 and stops exactly
# those (by PID, pg_ctl stop) on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../lib
# shellcheck source=bench.sh
source "$repo/bench/lib/bench.sh"

write=0
engine=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --write) write=1 ;;
    --engine)
      [ $# -ge 2 ] || { echo "run.sh: --engine needs sqlite or postgres" >&2; exit 2; }
      engine=$2
      shift
      ;;
    --engine=*) engine=${1#--engine=} ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$engine" in
  sqlite | postgres) ;;
  *) echo "run.sh: --engine is sqlite or postgres (got '$engine')" >&2; exit 2 ;;
esac

duration=${BENCH_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-8}
livestreams=${BENCH_LIVESTREAMS:-10000}
if ! [[ "$duration" =~ ^([0-9]+)s$ ]] || [ "${BASH_REMATCH[1]}" -gt 20 ]; then
  echo "run.sh: BENCH_DURATION is whole seconds like 5s, at most 20s (got '$duration')" >&2
  exit 2
fi
if ! [[ "$livestreams" =~ ^[0-9]+$ ]] || [ "$livestreams" -lt 100 ] || [ "$livestreams" -gt 20000 ]; then
  echo "run.sh: BENCH_LIVESTREAMS is 100..20000 (got '$livestreams')" >&2
  exit 2
fi

if [ "$engine" = postgres ]; then bench_apt_install wrk jq curl postgresql; else bench_apt_install wrk jq curl; fi
wrk_bin=$(command -v wrk)
ls_bin=$(bench_lunarstream_bin "$repo") || exit 1

tmp=$(mktemp -d /tmp/lunarstream-bench-admin.XXXXXX)
chmod 755 "$tmp"
pg_dir="$tmp/pg"
trap 'bench_pg_stop; bench_cleanup "$tmp"' EXIT
trap 'exit 130' INT TERM

fail() {
  echo "run.sh: $*" >&2
  for log in "$tmp/lunarstream.err" "$pg_dir/server.log"; do
    [ -s "$log" ] && { echo "--- $log (last 20 lines)" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

machine_busy=$(bench_cpu_busy_percent)
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -m 700 "$tmp/data"
store_args=(--data-dir "$tmp/data")
store_line="\`lunarstream serve\` (SQLite)"
if [ "$engine" = postgres ]; then
  bench_pg_start "$pg_dir" || fail "no PostgreSQL cluster"
  db_url=$(bench_pg_database bench_admin) || fail "cannot create a database"
  store_args+=(--database "$db_url")
  store_line="\`lunarstream serve\` on PostgreSQL ($("$pg_bindir/postgres" --version | sed 's/^postgres (PostgreSQL) //'), its own cluster on loopback, stock fsync/synchronous_commit)"
fi

email=bench@example.com
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s' "$password" | "$ls_bin" user create --email "$email" --password-stdin --admin "${store_args[@]}" >/dev/null ||
  fail "user create failed"
team=$("$ls_bin" team create --name bench "${store_args[@]}" --json | jq -r .id) || fail "team create failed"
projects=()
first_project=""
first_key=""
for i in 1 2 3 4; do
  made=$("$ls_bin" project create --name "p$i" --team-id "$team" "${store_args[@]}" --json) || fail "project create failed"
  projects+=("$(jq -r .apiKey <<<"$made"):$(jq -r .projectId <<<"$made")")
  [ -n "$first_project" ] || { first_project=$(jq -r .projectId <<<"$made"); first_key=$(jq -r .apiKey <<<"$made"); }
done

LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 \
  LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
  LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000 \
  "$ls_bin" serve "${store_args[@]}" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn \
  >"$tmp/lunarstream.out" 2>"$tmp/lunarstream.err" </dev/null &
ls_pid=$!
started_pids+=("$ls_pid")
api=$(bench_ready_field "$tmp/lunarstream.out" "$ls_pid" api) || fail "lunarstream did not start"

server_id=$(curl -sS -H "ls-api-key: $first_key" "$api/api/v1/media-servers/available" | jq -r '.data[0].id')
echo "bench: seeding $livestreams livestreams over ${#projects[@]} projects" >&2
node "$here/seed.js" "$api" "$livestreams" 8 "$server_id" "${projects[@]}" || fail "seeding failed"
token=$(curl -sS -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg e "$email" --arg p "$password" '{email: $e, password: $p}')" "$api/api/v1/auth/login" |
  jq -r .data.accessToken)
[ -n "$token" ] && [ "$token" != null ] || fail "login failed"

deep=$((livestreams / 20 / 2))  # the middle page at limit 20
rows=()
run() {  # label, auth header, path
  local label=$1 header=$2 path=$3
  local cmd=("$wrk_bin" -t2 "-c$connections" "-d$duration" --latency -H "$header" "$api$path")
  echo "bench: $label: ${cmd[*]/$token/<token>}" >&2
  "${cmd[@]}" >"$tmp/wrk.txt" 2>&1 || fail "wrk failed: $(cat "$tmp/wrk.txt")"
  kill -0 "$ls_pid" 2>/dev/null || fail "lunarstream died during the run"
  local rps p50 p90 p99 n non2xx sockerr
  read -r rps p50 p90 p99 n non2xx sockerr < <(bench_parse_wrk "$tmp/wrk.txt") || fail "cannot parse wrk output"
  rows+=("| $label | \`$path\` | $rps | $p50 | $p90 | $p99 | $n | $non2xx |")
}
bearer="Authorization: Bearer $token"
partner="ls-api-key: $first_key"
run "partner list, page 1 (one project)" "$partner" "/api/v1/livestream?projectId=$first_project&limit=20"
run "admin list, page 1 (one project)" "$bearer" "/api/v1/admin/livestreams?projectId=$first_project&limit=20"
run "admin list, page 1 (the team: 4 projects)" "$bearer" "/api/v1/admin/livestreams?teamId=$team&limit=20"
run "admin list, page $deep (the team)" "$bearer" "/api/v1/admin/livestreams?teamId=$team&limit=20&page=$deep"
run "partner list, status READY_FOR_USE" "$partner" "/api/v1/livestream?projectId=$first_project&limit=20&status=READY_FOR_USE"
run "admin list, status READY_FOR_USE (the team)" "$bearer" "/api/v1/admin/livestreams?teamId=$team&limit=20&status=READY_FOR_USE"
run "admin list, page $deep, status READY_FOR_USE" "$bearer" "/api/v1/admin/livestreams?teamId=$team&limit=20&status=READY_FOR_USE&page=$deep"
run "admin projects" "$bearer" "/api/v1/admin/projects?teamId=$team"
run "admin audit log" "$bearer" "/api/v1/admin/audit-log?teamId=$team&limit=50"

table=$(
  echo "| request | path | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
)
echo "$table"
[ "$write" = 1 ] || exit 0

section=$(mktemp "$tmp/section.XXXXXX")
heading="Administration API"
engine_flag=""
if [ "$engine" = postgres ]; then heading="Administration API (PostgreSQL)"; engine_flag=" --engine postgres"; fi
{
  echo "## $heading"
  echo
  echo "Written by \`bench/admin/run.sh$engine_flag --write\` on $(date -u +%Y-%m-%dT%H:%MZ). $(bench_machine_line);"
  echo "machine ${machine_busy}% busy before the run, load average $loadavg."
  echo
  echo "Command: \`BENCH_DURATION=$duration bench/admin/run.sh$engine_flag --write\` (wrk -t2 -c$connections -d$duration --latency per row) against one"
  echo "$store_line holding $livestreams livestreams over 4 projects of one team; the admin"
  echo "requests carry a system administrator's access token (one session read each), the partner ones"
  echo "the first project's API key. Ratio rule: the partner rows are the peer, same data, same run."
  echo
  echo "$table"
} >"$section"
bench_replace_section "$repo/bench/RESULTS.md" "$heading" "$section"
echo "bench: wrote the $heading section of bench/RESULTS.md" >&2
