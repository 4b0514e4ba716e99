#!/usr/bin/env bash
# bench-flags.sh: local feature flag evaluation, posthog-flags against posthog-node 5.70.
#
#     scripts/bench-flags.sh [BUILD_DIR]        (default: build)
#
# Both evaluate the same ~80 flags (posthog-flags-microbench --write-definitions) for the same
# 2,000 contexts, locally only, with the definitions served by one loopback server
# (/flags/definitions). posthog-node 5.70 comes from ../shared/bench-peers (its package.json and
# lock file; node_modules are installed into BUILD_DIR/bench-flags/peers when that folder has
# none) and is warmed with 3 rounds per run; posthog-flags runs --local-only --bench-rounds, on
# one thread and with --threads THREADS (default: the number of CPUs), labelled apart.
# Runs alternate (node, one thread, THREADS), 3 of each (RUNS); each run line shows the 1-minute
# load average when it started; medians are printed with the ratios, both in wall-clock
# contexts/s and per CPU second of the evaluating process.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
RUNS=${RUNS:-3}
FLAGS=${FLAGS:-80}
CONTEXTS=${CONTEXTS:-2000}
# ../shared/bench-peers beside the checkout (one level further up from a git worktree).
PEERS=${PEERS:-$ROOT/../shared/bench-peers}
[ -d "$PEERS" ] || PEERS=$ROOT/../../shared/bench-peers
WORK=$BUILD/bench-flags
mkdir -p "$WORK"

for tool in posthog-flags posthog-flags-microbench; do
  [ -x "$BUILD/bin/$tool" ] || { echo "bench-flags: $BUILD/bin/$tool is missing (cmake --build $BUILD --target $tool)" >&2; exit 2; }
done
"$BUILD/bin/posthog-flags-microbench" --flags "$FLAGS" --contexts "$CONTEXTS" \
  --write-definitions "$WORK/definitions.json" --write-contexts "$WORK/contexts.ndjson"

# posthog-node from the peers' pinned versions.
NODE_DIR=$PEERS
if [ ! -d "$PEERS/node_modules/posthog-node" ]; then
  NODE_DIR=$WORK/peers
  mkdir -p "$NODE_DIR"
  cp "$PEERS/package.json" "$PEERS/package-lock.json" "$NODE_DIR/"
  [ -d "$NODE_DIR/node_modules/posthog-node" ] || (cd "$NODE_DIR" && npm ci --no-audit --no-fund > "$WORK/npm.log" 2>&1)
fi
cp "$ROOT/scripts/bench-flags-node.mjs" "$NODE_DIR/bench-flags-node.mjs"

# One loopback server for both: the definitions for any /flags/definitions request.
cat > "$WORK/server.mjs" << 'JS'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
const body = readFileSync(process.argv[2])
const server = createServer((req, res) => {
  if (req.url.startsWith('/flags/definitions')) {
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"bench"' })
    res.end(body)
  } else {
    req.resume()
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end('{"status": 1}')
  }
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
JS
node "$WORK/server.mjs" "$WORK/definitions.json" > "$WORK/port" &
SERVER=$!
trap 'kill $SERVER 2> /dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
HOST=http://127.0.0.1:$(cat "$WORK/port")

ROUNDS=${ROUNDS:-10}
THREADS=${THREADS:-$(nproc)}
run_flags() { # $1: threads; prints posthog-flags' --bench-rounds report
  "$BUILD/bin/posthog-flags" --api-key phc_bench_flags_key --personal-api-key phx_bench_flags_personal \
    --host "$HOST" --local-only --threads "$1" --bench-rounds "$ROUNDS" "$WORK/contexts.ndjson" 2>&1 > /dev/null | grep '^{'
}
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, d))' "$1" "$2"; }
node_rates=() cpp_rates=() par_rates=() node_cpu=() cpp_cpu=() par_cpu=()
for run in $(seq "$RUNS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  node_json=$(cd "$NODE_DIR" && node bench-flags-node.mjs "$HOST" "$WORK/contexts.ndjson" 3)
  node_rates+=("$(field "$node_json" contexts_per_s)")
  node_cpu+=("$(field "$node_json" 'contexts/cpu_seconds')")
  cpp_json=$(run_flags 1)
  cpp_rates+=("$(field "$cpp_json" requests_per_s)")
  cpp_cpu+=("$(field "$cpp_json" 'requests/cpu_seconds')")
  par_json=$(run_flags "$THREADS")
  par_rates+=("$(field "$par_json" requests_per_s)")
  par_cpu+=("$(field "$par_json" 'requests/cpu_seconds')")
  echo "run $run (load $load): posthog-node ${node_rates[-1]} contexts/s, posthog-flags ${cpp_rates[-1]}," \
    "posthog-flags --threads $THREADS ${par_rates[-1]}"
done
python3 - "${node_rates[*]}" "${cpp_rates[*]}" "$FLAGS" "$CONTEXTS" "${node_cpu[*]}" "${cpp_cpu[*]}" \
  "${par_rates[*]}" "${par_cpu[*]}" "$THREADS" << 'PY'
import os, statistics, sys
med = lambda arg: statistics.median(float(x) for x in arg.split())
n, c, p = med(sys.argv[1]), med(sys.argv[2]), med(sys.argv[7])
nc, cc, pc = med(sys.argv[5]), med(sys.argv[6]), med(sys.argv[8])
print(f"{sys.argv[3]} flags x {sys.argv[4]} contexts, local evaluation, medians of {len(sys.argv[1].split())} alternating runs:")
print(f"  posthog-node 5.70:                  {n:,.0f} contexts/s")
print(f"  posthog-flags (one thread):         {c:,.0f} contexts/s ({c / n:.1f}x)")
print(f"  posthog-flags --threads {sys.argv[9]}:          {p:,.0f} contexts/s ({p / n:.1f}x)")
print(f"  per CPU second (what a busy machine distorts least): posthog-node {nc:,.0f}, posthog-flags {cc:,.0f} ({cc / nc:.1f}x), --threads {sys.argv[9]} {pc:,.0f} ({pc / nc:.1f}x)")
print("  load average: %.2f %.2f %.2f, %d cores" % (os.getloadavg() + (os.cpu_count(),)))
PY
