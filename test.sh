#!/usr/bin/env bash
# The test command of the README: installs what the tests need on a fresh Debian machine, then runs them.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: sox and espeak-ng make spoken test audio, chromium is the real browser of
# the playground tests, haproxy is the load balancer of the scale-out test (deploy/scaleout), npm fetches the
# Silero VAD model at build time (when the machine has no npm yet).
need=()
for pkg in sox espeak-ng chromium fonts-liberation haproxy; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  if [ -n "$sudo_cmd" ] && ! command -v sudo >/dev/null 2>&1; then
    echo "test.sh: cannot install ${need[*]} (not root, no sudo); the tests that need them will say so." >&2
  else
    $sudo_cmd apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
  fi
fi

dotnet test --solution V2V.slnx -c Release "$@"
