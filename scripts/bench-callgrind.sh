#!/usr/bin/env bash
# scripts/bench-callgrind.sh: instructions per captured event, counted by valgrind's callgrind
# (stable on a noisy machine, unlike times).
#
#   scripts/bench-callgrind.sh [N] [posthog-bench flags...]
#   scripts/bench-callgrind.sh 20000 --pipeline config/pipeline.xml
#
# Runs posthog-bench twice under valgrind --tool=callgrind --separate-threads=yes against the
# bench-peers mock server: with N events and with none. The difference divided by N is what one
# event costs, start-up (plugin loading, TLS and Poco initialisation) taken out. Prints the total
# per event and each thread's share: the producer (main thread: building the event and capture()),
# the worker (pipeline, JSON) and the senders (gzip, HTTP), then the worker's and senders'
# hottest functions. Env: BUILD (default build-bench), PEERS_SRC (default ../shared/bench-peers),
# KEEP=1 keeps the callgrind files (printed at the end).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-20000}"
shift || true
BUILD="${BUILD:-$ROOT/build-bench}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench-peers}"
BIN="$BUILD/bin/posthog-bench"
die() { echo "bench-callgrind: $*" >&2; exit 1; }
command -v valgrind > /dev/null || die "valgrind is not installed (apt-get install valgrind)"
command -v callgrind_annotate > /dev/null || die "callgrind_annotate is missing (it comes with valgrind)"
if [ ! -x "$BIN" ]; then
  [ -f "$BUILD/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPOSTHOG_BUILD_BENCH=ON \
    -DPOSTHOG_BUILD_TESTS=OFF -DPOSTHOG_BUILD_SAMPLES=OFF >&2
  cmake --build "$BUILD" -j2 --target posthog-bench PostHogValidation PostHogEnrichment PostHogSampling PostHogPii >&2
fi

WORK="$(mktemp -d /tmp/posthog-callgrind.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2> /dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=scripts/bench-mock-server.sh
source "$ROOT/scripts/bench-mock-server.sh"
start_mock_server "$WORK"

run() { # label n [posthog-bench flags...]
  local label="$1" n="$2"
  shift 2
  mkdir -p "$WORK/$label"
  (cd "$ROOT" && valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$WORK/$label/callgrind.out" \
    "$BIN" --host "$HOST" --n "$n" --timing off --limit-events 0 --max-queue "$((N + 1))" "$@" \
    > "$WORK/$label/result.json" 2> "$WORK/$label/valgrind.log") ||
    { tail -20 "$WORK/$label/valgrind.log" >&2; die "posthog-bench failed under valgrind ($label)"; }
}
echo "bench-callgrind: N=$N, flags: ${*:-none} (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
run events "$N" "$@"
run empty 0 "$@"

python3 - "$WORK" "$N" << 'PY'
import glob, os, re, subprocess, sys
work, n = sys.argv[1], int(sys.argv[2])

def threads(label):
    """thread role -> total Ir, and the files of the worker/sender threads."""
    out, files = {}, {}
    for f in sorted(glob.glob(os.path.join(work, label, "callgrind.out*"))):
        text = open(f, errors="replace").read()
        m = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
        ir = int(m.group(1)) if m else 0
        if "ClientImpl::run" in text:
            role = "worker (pipeline, JSON)"
        elif "BatchingSink::Sender::run" in text:
            role = "senders (gzip, HTTP)"
        elif f.endswith("-01"):
            role = "producer (main: event + capture)"
        else:
            role = "other threads"
        out[role] = out.get(role, 0) + ir
        files.setdefault(role, []).append(f)
    return out, files

ev, files = threads("events")
base, _ = threads("empty")
roles = ["producer (main: event + capture)", "worker (pipeline, JSON)", "senders (gzip, HTTP)", "other threads"]
total = sum(ev.values()) - sum(base.values())
print(f"instructions per captured event (N={n}, minus a run with N=0):")
print(f"  {'total':34} {total / n:12,.0f} Ir/event")
for r in roles:
    if r in ev:
        d = ev[r] - base.get(r, 0)
        print(f"  {r:34} {d / n:12,.0f} Ir/event  ({100 * d / total:.0f}%)")
bg = sum(ev.get(r, 0) - base.get(r, 0) for r in roles[1:3])
print(f"  {'worker + senders':34} {bg / n:12,.0f} Ir/event  ({100 * bg / total:.0f}%)")
for role in roles[1:3]:
    for f in files.get(role, [])[:1]:
        print(f"\nhottest functions, {role} (exclusive Ir, whole run):")
        ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=90", f], capture_output=True, text=True).stdout
        rows = [l for l in ann.splitlines() if re.match(r"^\s*[\d,]+ \(", l)]
        for l in rows[1:13]:
            print("  " + l.strip()[:150])
PY
if [ "${KEEP:-0}" = 1 ]; then echo "callgrind files: $WORK" >&2; fi
