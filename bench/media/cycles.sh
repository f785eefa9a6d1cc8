#!/usr/bin/env bash
# Memory after many publish/unpublish cycles: does RSS come back?
#
# Starts lunarstream on loopback with a short HLS linger, creates CYCLES
# livestreams, publishes them CONCURRENT at a time for SECONDS each with the
# load generator (each stream once: a distinct key per cycle, as a busy
# platform sees), waits until every ended stream's HLS was freed, and prints
# RSS at start, once the livestreams exist, after the first round (warm: thread arenas and pools exist),
# at the peak and at the end, as JSON. Bounded: CYCLES <= 5000, one loadgen
# run per round.
#
#   bench/media/cycles.sh            # 1200 cycles, 40 at a time, 3 s each
#   CYCLES=400 bench/media/cycles.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/bench.sh
source "$repo/bench/lib/bench.sh"
cycles=${CYCLES:-1200}
concurrent=${CONCURRENT:-40}
seconds=${SECONDS_EACH:-3}
[ "$cycles" -le 5000 ] || { echo "CYCLES is at most 5000" >&2; exit 2; }
bench_apt_install ffmpeg jq curl procps
ls_bin=$(bench_lunarstream_bin "$repo")
loadgen_bin=$(bench_loadgen_bin "$repo")
tmp=$(mktemp -d)
started_pids=()
trap 'bench_cleanup "$tmp"' EXIT

flv="$tmp/cycle.flv"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc=size=640x360:rate=30 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 -t 10 -c:v libx264 -preset ultrafast -g 30 \
  -pix_fmt yuv420p -b:v 1M -c:a aac -b:a 96k -f flv "$flv"

LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
  LUNARSTREAM_HLS_ENDED_LINGER_SECONDS=2 "$ls_bin" serve --data-dir "$tmp/data" --http 127.0.0.1:0 \
  --rtmp 127.0.0.1:0 --log-level warn >"$tmp/out.log" 2>&1 &
pid=$!
started_pids+=("$pid")
http_port=$(bench_ready_field "$tmp/out.log" "$pid" http_port)
rtmp_port=$(bench_ready_field "$tmp/out.log" "$pid" rtmp_port)
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
start_rss=$(rss_kib)

"$ls_bin" project create --name cycles --data-dir "$tmp/data" --json >"$tmp/project.json"
api_key=$(jq -r .apiKey "$tmp/project.json")
project_id=$(jq -r .projectId "$tmp/project.json")
media_server_id=$(bench_embedded_media_server "$ls_bin" "$tmp/data")
body=$(jq -cn --arg p "$project_id" --arg m "$media_server_id" '{name: "cycle", projectId: $p, mediaServerId: $m}')
for ((i = 0; i < cycles; i++)); do
  [ "$i" -gt 0 ] && echo next
  printf 'url = "http://127.0.0.1:%s/api/v1/livestream"\nrequest = POST\nheader = "ls-api-key: %s"\n' "$http_port" "$api_key"
  printf 'header = "Content-Type: application/json"\ndata = "%s"\n' "${body//\"/\\\"}"
done >"$tmp/create.curl"
curl -sS -K "$tmp/create.curl" | jq -r '.data.streamKeyWithParams // empty' >"$tmp/keys.txt"
[ "$(wc -l <"$tmp/keys.txt")" -eq "$cycles" ] || { echo "could not create $cycles livestreams" >&2; exit 1; }
# Creating the livestreams grows SQLite's page cache; the cycles start here.
created_rss=$(rss_kib)

peak=$start_rss
warm=""
for ((offset = 0; offset < cycles; offset += concurrent)); do
  n=$(( cycles - offset < concurrent ? cycles - offset : concurrent ))
  "$loadgen_bin" --flv "$flv" --rtmp-url "rtmp://127.0.0.1:$rtmp_port/live/{key}" --keys "$tmp/keys.txt" \
    --key-offset "$offset" --streams "$n" --duration "$seconds" --ramp-ms 200 --quiet --report "$tmp/round.json"
  r=$(rss_kib)
  [ "$r" -gt "$peak" ] && peak=$r
  [ -z "$warm" ] && warm=$r
done
# Every stream has ended; its HLS lingers 2 s and is swept within a second after.
sleep 5
end_rss=$(rss_kib)
ended=$(curl -s "http://127.0.0.1:$http_port/metrics" | awk '/^lunarstream_media_publishes_ended_total/ { print $2 }')
jq -n --argjson cycles "$cycles" --argjson start "$start_rss" --argjson created "$created_rss" --argjson warm "$warm" --argjson peak "$peak" \
  --argjson final "$end_rss" --argjson ended "${ended:-0}" \
  '{cycles: $cycles, publishesEnded: $ended, rssKiB: {start: $start, afterCreating: $created, afterFirstRound: $warm, peak: $peak, end: $final},
    endOverStart: (($final / $start) * 1000 | round / 1000),
    endOverCreated: (($final / $created) * 1000 | round / 1000), endOverWarm: (($final / $warm) * 1000 | round / 1000)}'
