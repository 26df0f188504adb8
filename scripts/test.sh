#!/usr/bin/env bash
# npm test: installs what is missing, starts the real local Kafka, runs unit + integration tests (vitest) and
# the e2e tests (Playwright, system Chromium), then prints one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash scripts/setup.sh --browser || exit 1
export PATH="/usr/local/bin:$PATH"
hash -r

rm -rf .test-reports .test-data && mkdir -p .test-reports test-results/screens
started_kafka=0
if ! bash scripts/kafka.sh status >/dev/null 2>&1; then started_kafka=1; fi
bash scripts/kafka.sh start || { echo "0 passed, 1 failed"; exit 1; }

echo "== build (Next.js production build for the e2e tests)"
if ! npx --no-install next build >.test-reports/build.log 2>&1; then
  tail -40 .test-reports/build.log
  echo "the UI build failed (full log: .test-reports/build.log)" >&2
fi

echo "== unit and integration tests (vitest)"
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.test-reports/vitest.json
echo "== e2e tests (Playwright, $(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
# The e2e tests get a broker of their own, fresh every run: the map must show the demo's flow, not the topics and
# groups the integration tests leave on the shared broker.
e2e_kafka=(env KAFKA_PORT="${E2E_KAFKA_PORT:-9192}" TOPOLOG_STATE="$PWD/.test-data/e2e-kafka")
"${e2e_kafka[@]}" npx --no-install playwright test
"${e2e_kafka[@]}" bash scripts/kafka.sh stop >/dev/null 2>&1

if [ "$started_kafka" = 1 ] && [ -z "${KEEP_KAFKA:-}" ]; then bash scripts/kafka.sh stop >/dev/null; fi
node scripts/test-summary.mjs .test-reports/vitest.json .test-reports/e2e.json
