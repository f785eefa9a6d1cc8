#!/usr/bin/env bash
# Installs everything LunarStream needs to build, run and test on Debian 12.
# Usage: scripts/install-deps.sh [runtime|test]   (default: test, which is a superset)
set -euo pipefail
profile="${1:-test}"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libcurl4-openssl-dev libsqlite3-dev libpq-dev libargon2-dev libspdlog-dev libfmt-dev
  libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavformat-dev
)
# The machine may already carry its own Node.js; Debian's only when there is none.
if ! command -v npm >/dev/null 2>&1; then build_pkgs+=(nodejs npm); fi
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  ffmpeg
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  chromium postgresql sqlite3 jq python3
  # nginx: the caching CDN edges of the content-steering tests (proxy_cache)
  nginx
)
pkgs=("${build_pkgs[@]}")
if [ "$profile" = "test" ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The TypeScript SDK's build and test packages (openapi-typescript, typescript,
# standardwebhooks), pinned by its lockfile.
if [ "$profile" = "test" ]; then
  npm ci --prefix "$(dirname "$0")/../sdk/typescript" --no-audit --no-fund --loglevel=error
fi
