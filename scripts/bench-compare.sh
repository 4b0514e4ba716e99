#!/usr/bin/env bash
# scripts/bench-compare.sh: posthog-node and posthog-cpp against the same loopback mock endpoint,
# run by run in alternation, and one table that leads with client CPU per event.
#
#   scripts/bench-compare.sh [N]              # N events per run (default 200000)
#
# It drives the peer benchmark in ../shared/bench-peers (bench.py, its mock server and its
# posthog-node driver): that folder is copied to BUILD/bench-peers, with its node_modules when
# it has them (else its run.sh runs `npm ci` there), and never written.
#
# Rows, all the lossless scenario (a burst of N, queue bound N, gzip on), one run of each per round,
# RUNS rounds, in this order every round so that load drifting during the sitting hits both peers:
#   posthog-node           the peer, its defaults
#   posthog-cpp            the library defaults (batch.size 100) with config/pipeline.xml (validation,
#                          enrichment, sampling, pii): the figure a user sees after install-deps.sh
#   posthog-cpp-batch1000  the same with --max-batch 1000
#   posthog-cpp-empty      the defaults with no pipeline stage
#   posthog-cpp-4threads   the defaults with config/pipeline.xml and 4 producer threads
# Client CPU µs per event (user + system time of the driver process, from wait4) is the figure load
# disturbs least, so it comes first; delivered events/s and peak RSS follow.
#
# Load: before every run the 1-minute load average must be at most MAX_LOAD (default 1.5). The
# script waits for it up to LOAD_WAIT seconds (default 300); a run that starts above it anyway is
# marked "not a measurement", and the medians leave it out (a row with no measured run shows the
# medians of all its runs, marked so).
#
# Env: RUNS (rounds, default 3), BUILD (build dir, default build-bench; posthog-bench and the four
# plugins are built there, Release, when missing), PEERS_SRC (default ../shared/bench-peers),
# ROWS (space-separated subset of the row names above), MAX_LOAD, LOAD_WAIT, SKIP_NODE=1.
# Results: BUILD/bench-results/<stamp>/ (compare.md, runs.tsv with the load of every run, raw JSON).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-200000}"
RUNS="${RUNS:-3}"
BUILD="${BUILD:-$ROOT/build-bench}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench-peers}"
MAX_LOAD="${MAX_LOAD:-1.5}"
LOAD_WAIT="${LOAD_WAIT:-300}"
ALL_ROWS="posthog-node posthog-cpp posthog-cpp-batch1000 posthog-cpp-empty posthog-cpp-4threads"
ROWS="${ROWS:-$ALL_ROWS}"
[ "${SKIP_NODE:-0}" = 1 ] && ROWS="${ROWS//posthog-node/}"
PIPELINE="$ROOT/config/pipeline.xml"
BIN="$BUILD/bin/posthog-bench"
PLUGINS=(PostHogValidation PostHogEnrichment PostHogSampling PostHogPii)

die() { echo "bench-compare: $*" >&2; exit 1; }
[ -f "$PEERS_SRC/run.sh" ] || die "no bench-peers at $PEERS_SRC (set PEERS_SRC)"
[ -f "$PIPELINE" ] || die "no $PIPELINE"
command -v node > /dev/null || die "node is not installed (the mock server and posthog-node need it)"
for r in $ROWS; do
  case " $ALL_ROWS " in *" $r "*) ;; *) die "unknown row '$r' (rows: $ALL_ROWS)" ;; esac
done

# 1. posthog-bench and the plugins, Release, when missing.
missing=0
[ -x "$BIN" ] || missing=1
for p in "${PLUGINS[@]}"; do
  [ -f "$BUILD/lib/posthog-cpp/plugins/lib$p.so" ] || missing=1
done
if [ "$missing" = 1 ]; then
  echo "bench-compare: building posthog-bench and the plugins in $BUILD (Release)" >&2
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPOSTHOG_BUILD_BENCH=ON -DPOSTHOG_BUILD_PLUGINS=ON \
      -DPOSTHOG_BUILD_TESTS=OFF -DPOSTHOG_BUILD_SAMPLES=OFF -DPOSTHOG_BUILD_TOOLS=OFF >&2
  fi
  cmake --build "$BUILD" -j2 --target posthog-bench "${PLUGINS[@]}" >&2
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" ||
  echo "bench-compare: warning: $BUILD is not a Release build" >&2
if grep -q '^POSTHOG_LIBDEFLATE_LIBRARY:FILEPATH=.*NOTFOUND' "$BUILD/CMakeCache.txt"; then
  GZIP_ENGINE=zlib
else
  GZIP_ENGINE=libdeflate
fi
INSTALLED=zlib
dpkg-query -W -f='${Status}' libdeflate-dev 2> /dev/null | grep -q "install ok installed" && INSTALLED=libdeflate
[ "$GZIP_ENGINE" = "$INSTALLED" ] ||
  echo "bench-compare: warning: $BUILD gzips with $GZIP_ENGINE but this machine has $INSTALLED (reconfigure $BUILD)" >&2

# 2. A private copy of bench-peers (run.sh runs npm ci in its own folder).
PEERS="$BUILD/bench-peers"
mkdir -p "$PEERS"
for f in README.md bench.py drivers loadgen.mjs mock_server.mjs package-lock.json package.json run.sh; do
  rm -rf "${PEERS:?}/$f"
  cp -r "$PEERS_SRC/$f" "$PEERS/$f"
done
# Its installed node_modules too, when it has them (run.sh would otherwise fetch them with npm ci).
if [ -d "$PEERS_SRC/node_modules" ] && [ ! -d "$PEERS/node_modules" ]; then
  cp -r "$PEERS_SRC/node_modules" "$PEERS/node_modules"
fi
chmod -R u+w "$PEERS"
OUT="$BUILD/bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

{
  echo "command: scripts/bench-compare.sh $N  (RUNS=$RUNS MAX_LOAD=$MAX_LOAD LOAD_WAIT=$LOAD_WAIT)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
  echo "gzip: $GZIP_ENGINE"
  echo "cores: $(nproc)"
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$OUT/command.txt"
printf 'round\trow\tstart_utc\tload1\tload5\tload15\twaited_s\tstatus\n' > "$OUT/runs.tsv"

load1() { cut -d' ' -f1 /proc/loadavg; }
above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

# Waits (bounded) for the 1-minute load average to fall to MAX_LOAD; prints the seconds waited.
wait_for_quiet() {
  local waited=0
  while above "$(load1)" "$MAX_LOAD" && [ "$waited" -lt "$LOAD_WAIT" ]; do
    sleep 5
    waited=$((waited + 5))
  done
  echo "$waited"
}

one_run() { # round row
  local round="$1" row="$2" waited status args=""
  waited=$(wait_for_quiet)
  read -r l1 l5 l15 _ < /proc/loadavg
  status=measured
  above "$l1" "$MAX_LOAD" && status="not a measurement (load $l1 > $MAX_LOAD)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$row" "$(date -u +%H:%M:%S)" "$l1" "$l5" "$l15" "$waited" \
    "$status" >> "$OUT/runs.tsv"
  echo "bench-compare: round $round $row, load $l1 $l5 $l15: $status" >&2
  local dir="$OUT/round$round"
  mkdir -p "$dir"
  case "$row" in
    posthog-node)
      OUT="$dir" RUNS=1 "$PEERS/run.sh" posthog-node "$N" lossless > /dev/null
      return
      ;;
    posthog-cpp) args="--pipeline $PIPELINE" ;;
    posthog-cpp-batch1000) args="--pipeline $PIPELINE --max-batch 1000" ;;
    posthog-cpp-empty) args="" ;;
    posthog-cpp-4threads) args="--pipeline $PIPELINE --threads 4" ;;
  esac
  OUT="$dir" RUNS=1 DRIVER_ARGS="$args" "$PEERS/run.sh" --driver-cmd "$BIN" --name "$row" "$N" lossless > /dev/null
}

for round in $(seq 1 "$RUNS"); do
  for row in $ROWS; do
    one_run "$round" "$row"
  done
done
echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$OUT/command.txt"

python3 - "$OUT" << 'PY'
import csv, glob, json, os, statistics, sys
out = sys.argv[1]
meta = dict(l.rstrip("\n").split(": ", 1) for l in open(os.path.join(out, "command.txt")) if ": " in l)
loads = {(r["round"], r["row"]): r for r in csv.DictReader(open(os.path.join(out, "runs.tsv")), delimiter="\t")}
runs = {}  # row -> [(run, load row)]
for f in sorted(glob.glob(os.path.join(out, "round*", "*__lossless.json"))):
    j = json.load(open(f))
    rnd = os.path.basename(os.path.dirname(f))[len("round"):]
    for r in j["runs"]:
        runs.setdefault(j["peer"], []).append((r, loads.get((rnd, j["peer"]), {})))

def value(r, key):
    v = r
    for k in key.split("."):
        v = v.get(k) if isinstance(v, dict) else None
    return v

def chosen(row):
    rs = runs.get(row, [])
    measured = [r for r, l in rs if l.get("status") == "measured"]
    return (measured, True) if measured else ([r for r, _ in rs], False)

def med(row, key):
    rs, _ = chosen(row)
    vals = [value(r, key) for r in rs if value(r, key) is not None]
    return (statistics.median(vals), min(vals), max(vals)) if vals else None

def cell(m, f):
    if m is None:
        return "–"
    c = f.format(m[0])
    return c if f.format(m[1]) == f.format(m[2]) else f"{c} ({f.format(m[1])}–{f.format(m[2])})"

def span(vals):
    if not vals:
        return "–"
    a, b = f"{min(vals):.2f}", f"{max(vals):.2f}"
    return a if a == b else f"{a}–{b}"

labels = {"posthog-node": "posthog-node (its defaults)",
          "posthog-cpp": "**posthog-cpp, library defaults (batch 100), full chain**",
          "posthog-cpp-batch1000": "posthog-cpp, batch 1000, full chain",
          "posthog-cpp-empty": "posthog-cpp, defaults, empty chain",
          "posthog-cpp-4threads": "posthog-cpp, defaults, full chain, 4 producer threads"}
order = [r for r in labels if r in runs]
n = next((r["n"] for rs in runs.values() for r, _ in rs), 0)
lines = [f"N = {n} events per run, lossless burst, gzip ({meta.get('gzip', '?')}), {meta.get('cores', '?')} cores; "
         f"rows alternate run by run; cells are medians (min–max) of the measured runs. Commit {meta.get('commit')}, "
         f"{meta.get('started')} to {meta.get('finished', '?')}.", ""]
unmeasured = sum(1 for rs in runs.values() for _, l in rs if l.get("status") != "measured")
if unmeasured:
    lines[-1:-1] = [f"**{unmeasured} of {sum(len(rs) for rs in runs.values())} runs started with the 1-minute load "
                    f"average above the limit: not a measurement (see runs.tsv).**"]
lines.append("| row | runs measured | client CPU µs/event | delivered ev/s | peak RSS MB | capture p50 µs | lost | "
             "load (1 min) at start | CPU ÷ node | ev/s × node |")
lines.append("|---|---|---|---|---|---|---|---|---|---|")
node_cpu, node_eps = med("posthog-node", "cpu_us_per_event"), med("posthog-node", "delivered_eps")
for row in order:
    rs, ok = chosen(row)
    ls = [float(l["load1"]) for _, l in runs[row] if l.get("load1")]
    cpu, eps = med(row, "cpu_us_per_event"), med(row, "delivered_eps")
    measured = sum(1 for _, l in runs[row] if l.get("status") == "measured")
    lines.append(f"| {labels[row]}{'' if ok else ' (NOT A MEASUREMENT: load above the limit)'} | "
                 f"{measured}/{len(runs[row])} | {cell(cpu, '{:.2f}')} | {cell(eps, '{:,.0f}')} | "
                 f"{cell(med(row, 'rss_peak_mb'), '{:.1f}')} | {cell(med(row, 'capture_us_p50'), '{:.3f}')} | "
                 f"{cell(med(row, 'lost'), '{:.0f}')} | {span(ls)} | "
                 f"{'–' if row == 'posthog-node' or not (cpu and node_cpu) else '1/{:.0f}'.format(node_cpu[0] / cpu[0])} | "
                 f"{'–' if row == 'posthog-node' or not (eps and node_eps) else '{:.1f}'.format(eps[0] / node_eps[0])} |")
lines += ["", "posthog-cpp's own figures (its result line) and the mock server's load:", "",
          "| row | worker + senders CPU ns/event | JSON + gzip limit ns/event | worker ÷ limit | requests | server busy % |",
          "|---|---|---|---|---|---|"]
for row in order:
    if row == "posthog-node":
        continue
    lines.append(f"| {row} | {cell(med(row, 'driver.background_cpu_ns_per_event'), '{:,.0f}')} | "
                 f"{cell(med(row, 'driver.limit.limit_ns_per_event'), '{:,.0f}')} | "
                 f"{cell(med(row, 'driver.worker_vs_limit'), '{:.2f}')} | {cell(med(row, 'requests'), '{:.0f}')} | "
                 f"{cell(med(row, 'server_busy_pct'), '{:.0f}')} |")

def target(name, m, goal, ok):
    return f"| {name} | {m} | {goal} | {'met' if ok else 'MISSED'} |"

lines += ["", "| target (issue 13) | measured | goal | |", "|---|---|---|---|"]
for row, goal in (("posthog-cpp", 3.0), ("posthog-cpp-batch1000", 2.5)):
    m = med(row, "cpu_us_per_event")
    if m:
        lines.append(target(f"client CPU µs/event, {row}", f"{m[0]:.2f}", f"<= {goal}", m[0] <= goal))
for row, goal in (("posthog-cpp", 30), ("posthog-cpp-batch1000", 40)):
    m, lost = med(row, "delivered_eps"), med(row, "lost")
    if m and node_eps:
        lines.append(target(f"delivered ev/s vs posthog-node, {row}", f"{m[0] / node_eps[0]:.1f}x, lost {lost[0]:.0f}",
                            f">= {goal}x, 0 lost", m[0] / node_eps[0] >= goal and lost[0] == 0))
m = med("posthog-cpp", "rss_peak_mb")
if m:
    lines.append(target("peak RSS MB, defaults", f"{m[0]:.1f}", "<= 60", m[0] <= 60))
a, b = med("posthog-node", "capture_us_p50"), med("posthog-cpp", "capture_us_p50")
if a and b:
    lines.append(target("capture() p50 vs posthog-node", f"{b[0] * 1000:.0f} vs {a[0] * 1000:.0f} ns = 1/{a[0] / b[0]:.1f}",
                        "<= 1/20", a[0] / b[0] >= 20))
text = "\n".join(lines)
open(os.path.join(out, "compare.md"), "w").write(text + "\n")
print(text)
PY
echo >&2
column -t -s $'\t' "$OUT/runs.tsv" >&2
echo "bench-compare: results in $OUT (compare.md, runs.tsv, raw JSON per round)" >&2
