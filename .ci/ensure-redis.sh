#!/usr/bin/env bash
# Makes `redis-server` available for the Redis tests: installs Debian's package when it is missing.
# Idempotent and silent when the binary is already on PATH. CI runs as root with Debian's registry.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: redis-server is not on PATH and apt-get is unavailable; install Redis 6.2+ by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-redis: need root (or sudo) to install redis-server" >&2
    exit 1
  fi
fi

echo "ensure-redis: installing redis-server (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null

if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: redis-server still not on PATH after install" >&2
  exit 1
fi
