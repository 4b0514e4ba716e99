#!/usr/bin/env bash
# scripts/bench-burst.sh: one posthog-bench burst against the bench-peers mock server, for the
# figures that the load of the machine moves least: peak RSS, context switches and CPU time.
#
#   scripts/bench-burst.sh [N] [posthog-bench flags...]
#   scripts/bench-burst.sh 200000 --pipeline config/pipeline.xml
#   WRAP="heaptrack -o /tmp/burst" scripts/bench-burst.sh 200000 --pipeline config/pipeline.xml
#
# It starts node ../shared/bench-peers/mock_server.mjs (PEERS_SRC) on a free loopback port, runs
# posthog-bench with --max-queue N (the bench-peers "lossless" burst: nothing dropped) under
# `perf stat -e context-switches,task-clock` (or WRAP, a command line put in front instead),
# and prints posthog-bench's result fields that matter here: self_rss_peak_kb, capture p50,
# delivered events, the process's voluntary and involuntary context switches per 1,000 events
# (getrusage, printed by posthog-bench) and the perf counts. Env: BUILD (default build).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-200000}"
shift || true
BUILD="${BUILD:-$ROOT/build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench-peers}"
BIN="$BUILD/bin/posthog-bench"
die() { echo "bench-burst: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "no $BIN: cmake --build $BUILD --target posthog-bench and the plugins"

WORK="$(mktemp -d /tmp/posthog-burst.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=scripts/bench-mock-server.sh
source "$ROOT/scripts/bench-mock-server.sh"
start_mock_server "$WORK"

if [ -n "${WRAP:-}" ]; then
  read -r -a wrap <<< "$WRAP"
else
  wrap=(perf stat -e context-switches,task-clock -x, -o "$WORK/perf.txt")
fi
echo "bench-burst: N=$N, flags: ${*:-none}, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
(cd "$ROOT" && "${wrap[@]}" "$BIN" --host "$HOST" --n "$N" --max-queue "$N" --limit-events 0 "$@") > "$WORK/result.json"

python3 - "$WORK" "$N" << 'PY'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
r = json.loads(open(os.path.join(work, "result.json")).read().strip().splitlines()[-1])
stats = r.get("client_stats", {})
print(f"self_rss_peak_kb {r.get('self_rss_peak_kb')}  capture_ns_p50 {r.get('capture_ns_p50')}  "
      f"delivered {stats.get('delivered')}  requests {stats.get('requests')}  "
      f"background_cpu_ns_per_event {r.get('background_cpu_ns_per_event')}")
if "ctxt_switches" in r:
    c = r["ctxt_switches"]
    print(f"context switches (getrusage): voluntary {c['voluntary']}, involuntary {c['involuntary']}, "
          f"{1000.0 * (c['voluntary'] + c['involuntary']) / n:.1f} per 1,000 events")
p = os.path.join(work, "perf.txt")
if os.path.exists(p):
    for line in open(p):
        f = line.strip().split(",")
        if len(f) > 2 and f[2] in ("context-switches", "task-clock"):
            v = float(f[0])
            extra = f"  ({1000.0 * v / n:.1f} per 1,000 events)" if f[2] == "context-switches" else ""
            print(f"perf stat {f[2]}: {v:.0f}{extra}")
PY
