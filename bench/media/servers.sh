# Starting and stopping the two media servers of bench/media/run.sh. Source it after
# bench/lib/bench.sh; it uses the caller's $tmp, $shm, $ls_bin, $nginx_bin, $nginx_workers,
# $server_launch (a CPU-pinning prefix, maybe empty), $started_pids and fail().
# Every server is started fresh for each measurement and stopped by PID.


# server_pids: the PIDs whose CPU and memory count for the running server
# (nginx: master and workers; lunarstream: its one process).
server_pids() {
  if [ "$server" = nginx ]; then
    echo "$server_pid $(pgrep -P "$server_pid" | tr '\n' ' ')"
  else
    echo "$server_pid"
  fi
}

# pss_kib PID...: proportional set size summed over the processes (shared pages
# of nginx's master and workers are counted once), in KiB.
pss_kib() {
  local pid total=0 v
  for pid in "$@"; do
    v=$(awk '/^Pss:/ { print $2; exit }' "/proc/$pid/smaps_rollup" 2>/dev/null) || v=0
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# media_free_port: a free TCP port below the kernel's ephemeral range. The load
# generator's thousands of client sockets (and their TIME_WAIT remains) take
# ports from that range, and nginx could not bind one of those.
media_free_port() {
  local low port tries
  low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for ((tries = 0; tries < 200; tries++)); do
    port=$((10000 + RANDOM % (low - 10000)))
    if ! ss -Htan "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  echo "bench: no free port found" >&2
  return 1
}

# start_nginx LABEL: nginx with the RTMP module, RTMP -> HLS on tmpfs, the HLS
# directory served over HTTP by the same nginx, and a static root for the
# playlist-serving comparison. Sets server_pid, rtmp_url, playlist_url, http_base, hls_dir.
start_nginx() {
  local label=$1 dir="$tmp/nginx-$1" rtmp_port http_port
  hls_dir="$shm/$label"
  mkdir -p "$dir" "$hls_dir" "$tmp/www"
  # Workers run as www-data when we are root: they write the fragments and read the static root.
  chmod 777 "$hls_dir"
  chmod 755 "$tmp" "$tmp/www"
  rtmp_port=$(media_free_port)
  http_port=$(media_free_port)
  while [ "$http_port" = "$rtmp_port" ]; do http_port=$(media_free_port); done
  cat >"$dir/nginx.conf" <<EOF
load_module $nginx_rtmp_module;
daemon off;
master_process on;
worker_processes $nginx_workers;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
rtmp {
  server {
    listen 127.0.0.1:$rtmp_port;
    chunk_size 4096;
    application live {
      live on;
      hls on;
      hls_path $hls_dir;
      hls_fragment 2s;
      hls_playlist_length 12s;
    }
  }
}
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:$http_port;
    location /hls/ { alias $hls_dir/; add_header Cache-Control no-cache; }
    location /static/ { alias $tmp/www/; }
  }
}
EOF
  "${server_launch[@]}" "$nginx_bin" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null >"$dir/stdout.log" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
  bench_wait_port "$rtmp_port" 10 "$server_pid" || fail "nginx ($label) did not listen on $rtmp_port"
  bench_wait_port "$http_port" 10 "$server_pid" || fail "nginx ($label) did not listen on $http_port"
  server=nginx
  rtmp_url="rtmp://127.0.0.1:$rtmp_port/live/{key}"
  http_base="http://127.0.0.1:$http_port"
  playlist_url="$http_base/hls/{name}.m3u8"
  keys_file=""
}

# start_lunarstream LABEL: lunarstream serve on 127.0.0.1:0 with the bench's data
# dir (created livestreams persist across restarts; HLS state does not). Sets
# server_pid, rtmp_url, playlist_url, http_base.
start_lunarstream() {
  local label=$1 out="$tmp/lunarstream-$1.out" i port=""
  mkdir -p -m 700 "$tmp/ls-data"
  : >"$out"  # exists before the server writes to it, so the wait below can read it at once
  # ABR off for the ingest comparison (nginx-rtmp does not transcode). Unknown
  # LUNARSTREAM_ keys are ignored by builds without ABR. Rate limits out of the way.
  LUNARSTREAM_ABR_ENABLED=false \
    LUNARSTREAM_RATELIMIT_PARTNER_PER_MINUTE=10000000 \
    LUNARSTREAM_RATELIMIT_PARTNER_PER_HOUR=10000000 \
    LUNARSTREAM_RATELIMIT_PUBLIC_PER_MINUTE=10000000 \
    "${server_launch[@]}" "$ls_bin" serve --data-dir "$tmp/ls-data" --http 127.0.0.1:0 --rtmp 127.0.0.1:0 --log-level warn \
    >"$out" 2>"$tmp/lunarstream-$label.err" </dev/null &
  server_pid=$!
  started_pids+=("$server_pid")
  port=$(bench_ready_field "$out" "$server_pid" rtmp_port) || fail "lunarstream ($label) did not start"
  server=lunarstream
  http_base=$(bench_ready_field "$out" "$server_pid" api) || fail "lunarstream ($label) did not start"
  rtmp_url="rtmp://127.0.0.1:$port/live/{key}"
  playlist_url="$http_base/live/{name}/hls.m3u8"
  keys_file="$tmp/ls-keys.txt"
}

# ensure_ls_keys COUNT: livestreams created through the partner API until the
# keys file holds COUNT lines of streamKeyWithParams (lunarstream must be running).
ensure_ls_keys() {
  local want=$1 have=0 project_json api_key project_id media_server_id body i batch
  [ -f "$tmp/ls-keys.txt" ] && have=$(wc -l <"$tmp/ls-keys.txt")
  [ "$have" -ge "$want" ] && return 0
  if [ ! -f "$tmp/ls-project.json" ]; then
    "$ls_bin" project create --name bench-media --data-dir "$tmp/ls-data" --json >"$tmp/ls-project.json" ||
      fail "lunarstream project create failed"
  fi
  api_key=$(jq -r .apiKey "$tmp/ls-project.json")
  project_id=$(jq -r .projectId "$tmp/ls-project.json")
  media_server_id=$(bench_embedded_media_server "$ls_bin" "$tmp/ls-data")
  body=$(jq -cn --arg p "$project_id" --arg m "$media_server_id" '{name: "bench-media", projectId: $p, mediaServerId: $m}')
  batch=$((want - have))
  # One curl process, one keep-alive connection, $batch POSTs.
  for ((i = 0; i < batch; i++)); do
    [ "$i" -gt 0 ] && echo next
    printf 'url = "%s/api/v1/livestream"\nrequest = POST\nheader = "ls-api-key: %s"\n' "$http_base" "$api_key"
    printf 'header = "Content-Type: application/json"\ndata = "%s"\n' "${body//\"/\\\"}"
  done >"$tmp/create.curl"
  curl -sS -K "$tmp/create.curl" >"$tmp/created.json" || fail "creating livestreams failed"
  jq -r '.data.streamKeyWithParams // empty' "$tmp/created.json" >>"$tmp/ls-keys.txt"
  have=$(wc -l <"$tmp/ls-keys.txt")
  [ "$have" -ge "$want" ] || fail "only $have livestreams could be created ($(head -c 300 "$tmp/created.json"))"
}

# start_server NAME LABEL, stop_server.
start_server() {
  if [ "$1" = nginx ]; then start_nginx "$2"; else start_lunarstream "$2"; fi
}
stop_server() {
  bench_stop_pid "$server_pid"
  [ "$server" = nginx ] && rm -rf "${hls_dir:?}"
  return 0
}
