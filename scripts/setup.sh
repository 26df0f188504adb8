#!/usr/bin/env bash
# Installs what Topolog needs on a fresh machine, skipping what is already there:
# Node 24 (scripts/ensure-node.sh), npm dependencies, and with --browser Debian's Chromium for the e2e tests.
# The Kafka jars are fetched by scripts/kafka.sh on first start.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-node.sh >/dev/null
export PATH="/usr/local/bin:$PATH"
hash -r

# Install when node_modules is missing or older than the lock file. npm install honours package-lock.json; npm ci
# cannot be used here: the registry does not serve Next's darwin/win32 SWC packages, and npm ci then rejects the lock.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies…"
  npm install --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--browser" ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the e2e tests use the system browser)." >&2
    exit 1
  fi
  echo "installing Chromium from Debian (apt-get)…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# A Java 17+ runtime and Maven are needed to fetch and run the broker (scripts/kafka.sh checks and explains).
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "installing Java 17 and Maven from Debian (apt-get)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null
  fi
fi
