#!/usr/bin/env bash
# scripts/bench-compare.sh: posthog-node and posthog-cpp against the same loopback mock endpoint
# (../shared/bench-peers), in one run, and a table of every figure beside posthog-node's with the
# ratios and the targets of issue 7.
#
#   scripts/bench-compare.sh [N]              # N events per run (default 200000)
#
# Env: RUNS (runs per scenario, default 3; cells are medians), BUILD (build dir, default
# build-bench; posthog-bench and the four plugins are built there when missing), CPP_ARGS (extra
# posthog-bench flags for the posthog-cpp runs, default '--max-batch 1000'), PEERS_SRC (the
# bench-peers folder, default ../shared/bench-peers), SKIP_NODE=1 (posthog-cpp only).
#
# What runs (bench.py starts a fresh mock server per run, `--parse fast`):
#   posthog-node         lossless (burst of N, queue bound N), nogzip, rate10k
#   posthog-cpp          the same three, with the full chain: --pipeline config/pipeline.xml
#   posthog-cpp-empty    lossless with no pipeline stages
#   posthog-cpp-4threads lossless with the full chain, 4 producer threads
#   posthog-cpp-defaults lossless with the full chain and no CPP_ARGS (library defaults)
#   posthog-cpp-nopii    lossless with the chain minus its pii stage (what the pii stage costs)
# The bench-peers folder is copied to BUILD/bench-peers (its run.sh runs `npm ci` there; the
# shared folder stays read-only). Results: BUILD/bench-results/<stamp>/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N="${1:-200000}"
RUNS="${RUNS:-3}"
BUILD="${BUILD:-$ROOT/build-bench}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench-peers}"
CPP_ARGS="${CPP_ARGS---max-batch 1000}"
PIPELINE="$ROOT/config/pipeline.xml"
BIN="$BUILD/bin/posthog-bench"
PLUGINS=(PostHogValidation PostHogEnrichment PostHogSampling PostHogPii)

die() { echo "bench-compare: $*" >&2; exit 1; }
[ -f "$PEERS_SRC/run.sh" ] || die "no bench-peers at $PEERS_SRC (set PEERS_SRC)"
[ -f "$PIPELINE" ] || die "no $PIPELINE"
command -v node > /dev/null || die "node is not installed (the mock server and posthog-node need it)"

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
      -DPOSTHOG_BUILD_TESTS=OFF -DPOSTHOG_BUILD_SAMPLES=OFF >&2
  fi
  cmake --build "$BUILD" -j2 --target posthog-bench "${PLUGINS[@]}" >&2
fi
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" ||
  echo "bench-compare: warning: $BUILD is not a Release build" >&2

# 2. A private copy of bench-peers (run.sh runs npm ci in its own folder).
PEERS="$BUILD/bench-peers"
mkdir -p "$PEERS"
for f in README.md bench.py drivers loadgen.mjs mock_server.mjs package-lock.json package.json run.sh; do
  rm -rf "${PEERS:?}/$f"
  cp -r "$PEERS_SRC/$f" "$PEERS/$f"
done
chmod -R u+w "$PEERS"
OUT="$BUILD/bench-results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
export OUT RUNS

load() { echo "$(date -u +%H:%M:%S) $1: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/loadavg.txt" >&2; }
cpp() { # name driver-args scenarios...
  local name="$1" args="$2"; shift 2
  load "$name $*"
  DRIVER_ARGS="$args" "$PEERS/run.sh" --driver-cmd "$BIN" --name "$name" "$N" "$@" > /dev/null
}

{
  echo "command: scripts/bench-compare.sh $N  (RUNS=$RUNS CPP_ARGS='$CPP_ARGS')"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
  echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$OUT/command.txt"

if [ "${SKIP_NODE:-0}" != 1 ]; then
  load "posthog-node lossless nogzip rate10k"
  "$PEERS/run.sh" posthog-node "$N" lossless nogzip rate10k > /dev/null
fi
cpp posthog-cpp "$CPP_ARGS --pipeline $PIPELINE" lossless nogzip rate10k
cpp posthog-cpp-empty "$CPP_ARGS" lossless
cpp posthog-cpp-4threads "$CPP_ARGS --pipeline $PIPELINE --threads 4" lossless
[ -n "$CPP_ARGS" ] && cpp posthog-cpp-defaults "--pipeline $PIPELINE" lossless
cpp posthog-cpp-nopii "$CPP_ARGS --pipeline $PIPELINE --set posthog.pipeline.stages=validation,enrichment,sampling" lossless
load "done"

python3 - "$OUT" << 'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
runs = {}
for f in glob.glob(os.path.join(out, "*__*.json")):
    j = json.load(open(f))
    runs[(j["peer"], j["scenario"])] = j["runs"]

def med(peer, scen, key, drv=False, sub=None):
    rs = runs.get((peer, scen))
    if not rs:
        return None
    vals = []
    for r in rs:
        v = r.get("driver", {}) if drv else r
        for k in key.split("."):
            v = v.get(k) if isinstance(v, dict) else None
        if v is not None:
            vals.append(v)
    return statistics.median(vals) if vals else None

def fmt(v, f):
    return "–" if v is None else f.format(v)

def ratio(a, b, f="{:.1f}x"):
    return "–" if a is None or b is None or b == 0 else f.format(a / b)

N = next(iter(runs.values()))[0]["n"] if runs else 0
k = len(next(iter(runs.values()))) if runs else 0
cpp_args = open(os.path.join(out, "command.txt")).read().split("CPP_ARGS='")[1].split("'")[0]
lines = [f"N = {N}, {k} run(s) per row, medians. posthog-cpp rows use config/pipeline.xml (validation, enrichment, "
         f"sampling, pii) unless named -empty, and the flags '{cpp_args}' unless named -defaults.", ""]
metrics = [("lost", "lost", "{:.0f}", False), ("delivered_eps", "delivered ev/s", "{:,.0f}", False),
           ("e2e_ms", "e2e ms", "{:,.0f}", False), ("capture_us_p50", "capture p50 µs", "{:.3f}", False),
           ("capture_us_p99", "capture p99 µs", "{:.2f}", False), ("rss_peak_mb", "peak RSS MB", "{:.1f}", False),
           ("cpu_us_per_event", "client CPU µs/ev", "{:.2f}", False), ("requests", "requests", "{:.0f}", False),
           ("server_busy_pct", "server busy %", "{:.0f}", False)]
lines.append("| scenario | metric | posthog-node | posthog-cpp | cpp ÷ node |")
lines.append("|---|---|---|---|---|")
pairs = [("lossless", "posthog-cpp", "lossless (burst, gzip, full chain)"),
         ("lossless", "posthog-cpp-empty", "lossless (burst, gzip, empty chain)"),
         ("lossless", "posthog-cpp-4threads", "lossless, 4 producer threads"),
         ("lossless", "posthog-cpp-defaults", "lossless, library defaults (batch 100), full chain"),
         ("lossless", "posthog-cpp-nopii", "lossless, chain without its pii stage"),
         ("nogzip", "posthog-cpp", "nogzip (full chain)"), ("rate10k", "posthog-cpp", "rate10k (full chain)")]
for scen, cpp, label in pairs:
    if (cpp, scen) not in runs:
        continue
    for key, name, f, drv in metrics:
        a, b = med("posthog-node", scen, key, drv), med(cpp, scen, key, drv)
        lines.append(f"| {label} | {name} | {fmt(a, f)} | {fmt(b, f)} | {ratio(b, a, '{:.3g}')} |")
lines.append("")
lines.append("posthog-cpp's own figures (from its result line):")
lines.append("")
lines.append("| run | worker CPU ns/ev | limit ns/ev (JSON + gzip) | worker ÷ limit | JSON ns/ev | gzip ns/ev | stages ns/msg |")
lines.append("|---|---|---|---|---|---|---|")
for cpp, scen in [("posthog-cpp", "lossless"), ("posthog-cpp-empty", "lossless"), ("posthog-cpp-4threads", "lossless"),
                  ("posthog-cpp-defaults", "lossless"), ("posthog-cpp-nopii", "lossless"),
                  ("posthog-cpp", "nogzip"), ("posthog-cpp", "rate10k")]:
    if (cpp, scen) not in runs:
        continue
    st = runs[(cpp, scen)][-1]["driver"].get("stages", [])
    stages = ", ".join(f"{s['name']} {s['ns_per_message']:.0f}" for s in st) or "none"
    lines.append(f"| {cpp} {scen} | {fmt(med(cpp, scen, 'background_cpu_ns_per_event', True), '{:,.0f}')} | "
                 f"{fmt(med(cpp, scen, 'limit.limit_ns_per_event', True), '{:,.0f}')} | "
                 f"{fmt(med(cpp, scen, 'worker_vs_limit', True), '{:.2f}')} | "
                 f"{fmt(med(cpp, scen, 'limit.json_ns_per_event', True), '{:.0f}')} | "
                 f"{fmt(med(cpp, scen, 'limit.gzip_ns_per_event', True), '{:.0f}')} | {stages} |")
lines.append("")

def target(name, value, ok, goal):
    return f"| {name} | {value} | {goal} | {'met' if ok else 'MISSED'} |"

node_eps = med("posthog-node", "lossless", "delivered_eps")
cpp_eps = med("posthog-cpp", "lossless", "delivered_eps")
cpp_lost = med("posthog-cpp", "lossless", "lost")
node_p50 = med("posthog-node", "lossless", "capture_us_p50")
cpp_p50 = med("posthog-cpp", "lossless", "capture_us_p50")
wl = med("posthog-cpp", "lossless", "worker_vs_limit", True)
node_rss = med("posthog-node", "lossless", "rss_peak_mb")
cpp_rss = med("posthog-cpp", "lossless", "rss_peak_mb")
eps4 = med("posthog-cpp-4threads", "lossless", "delivered_eps")
lines.append("| target (issue 7) | measured | goal | |")
lines.append("|---|---|---|---|")
if node_eps and cpp_eps:
    lines.append(target("delivered ev/s, gzip + full chain, lossless burst",
                        f"{cpp_eps:,.0f} vs {node_eps:,.0f} = {cpp_eps / node_eps:.1f}x, lost {cpp_lost:.0f}",
                        cpp_eps / node_eps >= 50 and cpp_lost == 0, ">= 50x, 0 lost"))
if node_p50 and cpp_p50:
    lines.append(target("capture() p50 on the caller", f"{cpp_p50 * 1000:.0f} ns vs {node_p50 * 1000:.0f} ns = 1/{node_p50 / cpp_p50:.1f}",
                        node_p50 / cpp_p50 >= 20, "<= 1/20"))
if wl is not None:
    lines.append(target("worker CPU vs physical limit (JSON + gzip)", f"{wl:.2f}x", wl <= 2, "<= 2x"))
if node_rss and cpp_rss:
    lines.append(target("peak RSS, 200k burst, nothing lost", f"{cpp_rss:.1f} MB vs {node_rss:.0f} MB = 1/{node_rss / cpp_rss:.1f}",
                        node_rss / cpp_rss >= 20, "<= 1/20"))
if eps4 and cpp_eps:
    lines.append(target("4 producers vs 1", f"{eps4:,.0f} vs {cpp_eps:,.0f} ev/s = {eps4 / cpp_eps:.2f}x", eps4 >= cpp_eps, ">= 1x"))
text = "\n".join(lines)
open(os.path.join(out, "compare.md"), "w").write(text + "\n")
print(text)
PY
echo >&2
cat "$OUT/loadavg.txt" >&2
echo "bench-compare: results in $OUT (compare.md, summary.md, raw JSON)" >&2
