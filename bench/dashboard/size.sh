#!/usr/bin/env bash
# Gzipped size (gzip -9) of the dashboard bundle: each file, what a first
# visit loads (index.html and the scripts, stylesheets and icon it names),
# and the whole bundle (with the lazy chunk of the usage charts, uPlot). The
# preview is the server's preview page in a frame (its hls.js is served by the
# binary at /assets/hls.min.js, not part of this bundle).
# Usage: bench/dashboard/size.sh [--write] [dist dir]
#   dist dir  default: the build tree's copy, build/src/api/dashboard, which
#             is what the binary embeds (scripts/build.sh makes it)
#   --write   replace the "Dashboard bundle" section of bench/RESULTS.md
set -euo pipefail
write=0
dist=""
for arg in "$@"; do
  case "$arg" in
    --write) write=1 ;;
    *) dist="$(realpath "$arg")" ;;
  esac
done
cd "$(dirname "$0")/../.."
repo=$PWD
# shellcheck source=../lib/bench.sh
source bench/lib/bench.sh
dist="${dist:-$repo/build/src/api/dashboard}"
[ -f "$dist/index.html" ] || { echo "no dashboard build in $dist (run scripts/build.sh)" >&2; exit 1; }

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

initial=("$dist/index.html")
while read -r ref; do initial+=("$dist/${ref#/dashboard/}"); done \
  < <(grep -oE '(src|href)="/dashboard/assets/[^"]+"' "$dist/index.html" | sed -E 's/^(src|href)="//; s/"$//')
is_initial() { local f; for f in "${initial[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }

rows=""
total=0; total_raw=0; init=0
while read -r f; do
  raw=$(wc -c <"$f"); z=$(gz "$f")
  total=$((total + z)); total_raw=$((total_raw + raw))
  when="lazy"
  if is_initial "$f"; then init=$((init + z)); when="first visit"; fi
  rows+="| \`${f#"$dist"/}\` | $when | $raw | $z |"$'\n'
done < <(find "$dist" -type f | sort)

report=$(mktemp)
trap 'rm -f "$report"' EXIT
{
  echo "## Dashboard bundle"
  echo
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') by \`bench/dashboard/size.sh --write\` (gzip -9 of each file the binary embeds; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown))."
  echo
  echo "| file | loaded | bytes | gzipped |"
  echo "|---|---|---:|---:|"
  printf '%s' "$rows"
  echo
  echo "- First visit (index.html and what it names: entry script, stylesheet, icon): **$(kb "$init")** gzipped."
  echo "- Whole bundle (JS + CSS + HTML, the lazy chunks included): **$(kb "$total")** gzipped, $(kb "$total_raw") raw. Goal: under 150 KB."
  echo "- Lazy chunk: \`usage_chart-*\` (.js and .css) is uPlot with its stylesheet, fetched the first time the usage page draws a chart."
  echo "- No player: a livestream's preview is the server's preview page (\`/api/v1/livestreams/preview-playback/:streamKey\`) in a frame,"
  echo "  which plays with the hls.js the binary serves at \`/assets/hls.min.js\` (not counted here)."
  if [ "$total" -gt $((150 * 1024)) ]; then
    echo "- **Over the 150 KB goal** by $(kb $((total - 150 * 1024)))."
  fi
} >"$report"
cat "$report"
if [ "$write" = 1 ]; then
  bench_replace_section "$repo/bench/RESULTS.md" "Dashboard bundle" "$report"
  echo "bench: wrote the Dashboard bundle section of bench/RESULTS.md" >&2
fi
