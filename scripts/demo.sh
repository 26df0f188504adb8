#!/usr/bin/env bash
# npm run demo: everything in one command on a fresh machine. Installs what is missing (Node 24, npm
# dependencies, Kafka jars), starts the local Kafka broker, the demo microservices and Topolog, prints the URL,
# and on Ctrl-C stops all of it (the broker too, if this script started it; KEEP_KAFKA=1 leaves it running).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
PORT=${PORT:-3000}
KAFKA_PORT=${KAFKA_PORT:-9092}
export KAFKA_PORT

bash scripts/setup.sh
export PATH="/usr/local/bin:$PATH"
hash -r

started_kafka=0
bash scripts/kafka.sh status >/dev/null 2>&1 || started_kafka=1
bash scripts/kafka.sh start

# Build the UI when there is no build or a source file is newer than it.
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib next.config.js package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  echo "building the UI (next build)…"
  npx --no-install next build >/tmp/topolog-build.log 2>&1 || { tail -30 /tmp/topolog-build.log; echo "UI build failed: /tmp/topolog-build.log" >&2; exit 1; }
fi

# The children run in sessions of their own, so Ctrl-C reaches only this script, which then asks each of them
# to stop exactly once (a second signal means "kill now" to the demo runner).
pids=()
cleanup() {
  trap '' INT TERM HUP
  trap - EXIT
  echo
  echo "stopping the demo services and Topolog…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "$started_kafka" = 1 ] && [ -z "${KEEP_KAFKA:-}" ]; then bash scripts/kafka.sh stop; fi
  echo "stopped."
  exit 0
}
trap cleanup INT TERM HUP EXIT

setsid node --import tsx demo/run.ts --brokers "127.0.0.1:$KAFKA_PORT" &
pids+=($!)
NODE_ENV=production setsid node --import tsx server/main.ts --brokers "127.0.0.1:$KAFKA_PORT" --port "$PORT" &
pids+=($!)

# Say where to look once the server answers.
for _ in $(seq 1 60); do
  if curl -fs "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; then
    echo
    echo "  Topolog is running: open http://127.0.0.1:$PORT   (Ctrl-C stops everything)"
    echo
    break
  fi
  sleep 1
done

# Wait until Ctrl-C, or until one of the processes exits on its own (then stop the rest).
wait -n "${pids[@]}" || true
