#!/usr/bin/env bash
# Gzipped size (gzip -9) of the dashboard bundle: each file, what a first
# visit loads (index.html and the scripts and stylesheets it names), and the
# whole bundle (with the lazy chunks: the preview player with hls.js, uPlot).
# Usage: bench/dashboard/size.sh [dist dir]  (default: the build tree's copy,
# build/src/api/dashboard, which is what the binary embeds)
set -euo pipefail
if [ $# -gt 0 ]; then dist="$(realpath "$1")"; fi
cd "$(dirname "$0")/../.."
dist="${dist:-build/src/api/dashboard}"
[ -f "$dist/index.html" ] || { echo "no dashboard build in $dist (run scripts/build.sh)" >&2; exit 1; }

gz() { gzip -9 -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

initial=("$dist/index.html")
while read -r ref; do initial+=("$dist/${ref#/dashboard/}"); done \
  < <(grep -oE '(src|href)="/dashboard/assets/[^"]+"' "$dist/index.html" | sed -E 's/^(src|href)="//; s/"$//')

printf '%-44s %10s %10s\n' file bytes gzip
total=0; total_raw=0
while read -r f; do
  raw=$(wc -c < "$f"); z=$(gz "$f")
  total=$((total + z)); total_raw=$((total_raw + raw))
  printf '%-44s %10d %10d\n' "${f#"$dist"/}" "$raw" "$z"
done < <(find "$dist" -type f | sort)
init=0
for f in "${initial[@]}"; do init=$((init + $(gz "$f"))); done
echo "initial load (index.html + entry JS + CSS): $(kb "$init") gzipped"
echo "whole bundle (JS + CSS + HTML, lazy chunks included): $(kb "$total") gzipped, $(kb "$total_raw") raw"
