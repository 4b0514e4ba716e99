#!/usr/bin/env bash
# scripts/demo.sh: the README's first command. Installs what is missing, builds posthog-send,
# the built-in plugins and the local capture inspector, then sends samples/events.ndjson through
# config/pipeline.xml:
#
#   - by default to posthog-capture-inspector, started here on 127.0.0.1 (a free port), which
#     prints every request and event PostHog would have received, then a summary line;
#   - with POSTHOG_API_KEY set (and optionally POSTHOG_HOST, default https://us.i.posthog.com),
#     to that PostHog project instead; no inspector is started.
#
# Environment: BUILD_DIR (default build), JOBS (parallel build jobs, default: the number of CPUs).
# Exit status: posthog-send's (0 when every event was delivered).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}

bash scripts/install-deps.sh

echo "demo: building posthog-send, the plugins and the capture inspector in $BUILD_DIR"
mkdir -p "$BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$BUILD_DIR/demo-configure.log" 2>&1 ||
  { cat "$BUILD_DIR/demo-configure.log"; exit 1; }
cmake --build "$BUILD_DIR" -j"$JOBS" --target posthog-send posthog-capture-inspector \
  PostHogValidation PostHogEnrichment PostHogSampling PostHogPii

SEND=("$BUILD_DIR/bin/posthog-send" --config config/pipeline.xml samples/events.ndjson)

if [ -n "${POSTHOG_API_KEY:-}" ]; then
  echo "demo: sending samples/events.ndjson to ${POSTHOG_HOST:-https://us.i.posthog.com}"
  exec "${SEND[@]}"
fi

work=$(mktemp -d)
inspector=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$inspector" ] && kill -0 "$inspector" 2> /dev/null; then kill -TERM "$inspector" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The inspector stops by itself after a minute without requests, should this script die first.
"$BUILD_DIR/bin/posthog-capture-inspector" --port-file "$work/port" --exit-after-idle 60000 &
inspector=$!
for _ in $(seq 100); do
  [ -s "$work/port" ] && break
  kill -0 "$inspector" 2> /dev/null || { echo "demo: the capture inspector did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/port" ] || { echo "demo: the capture inspector did not report its port" >&2; exit 1; }
port=$(cat "$work/port")

echo "demo: posthog-send --config config/pipeline.xml samples/events.ndjson -> http://127.0.0.1:$port"
status=0
"${SEND[@]}" --api-key phc_local_demo_key --host "http://127.0.0.1:$port" || status=$?

# SIGTERM makes the inspector print its summary line and exit.
kill -TERM "$inspector"
wait "$inspector" || true
inspector=""
exit "$status"
