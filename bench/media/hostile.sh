#!/usr/bin/env bash
# Hostile RTMP input against lunarstream on loopback, with the figures that
# issue #10 names:
#   1. a client flooding pings and acknowledgement requests while reading
#      nothing, next to 10 real publishers (loadgen, probed): server memory
#      growth and the worst segment availability lag of the publishers;
#   2. 10 000 idle connections from one address: RSS growth, how many the
#      server keeps, and how long a publisher from another address waits
#      from its TCP connect to the grant (NetStream.Publish.Start);
#   3. 64 clients (from 4 addresses) each trying to hold 7 MiB of an 8 MiB message: RSS growth and the
#      same publisher check.
# Prints one JSON object. Everything is bounded in count and time.
#   bench/media/hostile.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/bench.sh
source "$repo/bench/lib/bench.sh"
bench_apt_install ffmpeg jq curl procps nodejs
ls_bin=$(bench_lunarstream_bin "$repo")
loadgen_bin=$(bench_loadgen_bin "$repo")
tmp=$(mktemp -d)
started_pids=()
trap 'bench_cleanup "$tmp"' EXIT
ulimit -n "$(ulimit -Hn)"  # 10 000 client sockets in one process

flv="$tmp/pub.flv"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc=size=640x360:rate=30 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 -t 20 -c:v libx264 -preset ultrafast -g 60 \
  -pix_fmt yuv420p -b:v 1M -c:a aac -b:a 96k -f flv "$flv"

LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
  LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000 \
  LUNARSTREAM_ABR_ENABLED=false LUNARSTREAM_RTMP_THREADS=1 \
  "$ls_bin" serve --data-dir "$tmp/data" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn >"$tmp/out.log" 2>&1 &
pid=$!
started_pids+=("$pid")
http_port=$(bench_ready_field "$tmp/out.log" "$pid" http_port)
rtmp_port=$(bench_ready_field "$tmp/out.log" "$pid" rtmp_port)
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }

"$ls_bin" project create --name hostile --data-dir "$tmp/data" --json >"$tmp/project.json"
api_key=$(jq -r .apiKey "$tmp/project.json")
project_id=$(jq -r .projectId "$tmp/project.json")
media_server_id=$(bench_embedded_media_server "$ls_bin" "$tmp/data")
create() {
  curl -sS -X POST "http://127.0.0.1:$http_port/api/v1/livestream" -H "ls-api-key: $api_key" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"h\",\"projectId\":\"$project_id\",\"mediaServerId\":\"$media_server_id\"}"
}
for i in $(seq 1 10); do create | jq -r .data.streamKeyWithParams; done >"$tmp/keys.txt"

# ms from a real publisher's TCP connect (from 127.0.0.1) until the server
# grants its publish (NetStream.Publish.Start), on a new livestream.
publish_latency_ms() {
  local params
  params=$(create | jq -r .data.streamKeyWithParams)
  node "$repo/bench/media/hostile_clients.js" publish "$rtmp_port" "$params" | jq 'if .granted then .ms else null end'
}
peak_rss_during() {  # PID_TO_WATCH: prints the peak RSS while it runs
  local watched=$1 peak=0 r
  while kill -0 "$watched" 2>/dev/null; do
    r=$(rss_kib)
    [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
  echo "$peak"
}

# 0. The same publisher check with nobody attacking, for comparison.
baseline_latency=$(publish_latency_ms)

# 1. Flood next to 10 publishers.
"$loadgen_bin" --flv "$flv" --rtmp-url "rtmp://127.0.0.1:$rtmp_port/live/{key}" --keys "$tmp/keys.txt" \
  --streams 10 --probe-streams 10 --playlist-url "http://127.0.0.1:$http_port/live/{name}/hls.m3u8" \
  --duration 40 --quiet --report "$tmp/publishers.json" &
lg=$!
started_pids+=("$lg")
sleep 10
flood_before=$(rss_kib)
node "$repo/bench/media/hostile_clients.js" flood "$rtmp_port" 20 >"$tmp/flood.json" &
fl=$!
flood_peak=$(peak_rss_during "$fl")
wait "$lg" || true

# under_attack MODE COUNT ADDRESS: runs the hostile clients for about 11 s and,
# while they hold their connections, times a real publisher; writes
# $tmp/MODE.json (the clients' view) and prints "RSS_GROWTH_KIB LATENCY_MS".
under_attack() {
  local before clients latency peak
  before=$(rss_kib)
  HOLD_MS=8000 node "$repo/bench/media/hostile_clients.js" "$1" "$rtmp_port" "$2" "$3" >"$tmp/$1.json" &
  clients=$!
  sleep 4
  latency=$(publish_latency_ms)
  peak=$(peak_rss_during "$clients")
  echo "$((peak - before)) $latency"
}

# 2. 10 000 idle connections from 127.0.0.2.
read -r idle_growth idle_latency < <(under_attack idle 10000 127.0.0.2)
# 3. 64 clients (127.0.0.3 to .6) trying to hold most of an 8 MiB message each.
read -r half_growth half_latency < <(under_attack half 64 127.0.0.3)

jq -n --slurpfile pub "$tmp/publishers.json" --slurpfile flood "$tmp/flood.json" \
  --slurpfile idle "$tmp/idle.json" --slurpfile half "$tmp/half.json" \
  --argjson fb "$flood_before" --argjson fp "$flood_peak" --argjson ig "$idle_growth" --argjson hg "$half_growth" \
  --argjson il "$idle_latency" --argjson hl "$half_latency" --argjson bl "$baseline_latency" '{
  baseline: {publishGrantedMs: $bl},
  flood: ($flood[0] + {serverRssGrowthKiB: ($fp - $fb),
    publishers: {passed: $pub[0].summary.passed, segmentAvailabilityLagMs: $pub[0].summary.segmentAvailabilityLagMs,
                 disconnects: $pub[0].summary.disconnects}}),
  idle: ($idle[0] + {serverRssGrowthKiB: $ig, otherAddressPublishGrantedMs: $il}),
  half: ($half[0] + {serverRssGrowthKiB: $hg, otherAddressPublishGrantedMs: $hl})}'
