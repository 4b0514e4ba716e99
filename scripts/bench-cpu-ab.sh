#!/usr/bin/env bash
# scripts/bench-cpu-ab.sh: client CPU per event of two builds, alternated run by run.
#
#   scripts/bench-cpu-ab.sh BEFORE AFTER [RUNS]
#   scripts/bench-cpu-ab.sh /tmp/before build 8
#
# BEFORE and AFTER are build directories (or copies of one's bin/ and lib/) holding
# bin/posthog-bench. Starts the bench-peers mock server (PEERS_SRC, default ../shared/bench-peers:
# this script drives that harness) and, RUNS times, runs each configuration with BEFORE then AFTER:
# a 200k burst (N), the defaults with the full chain of config/pipeline.xml, the same with batches
# of 1000, and the empty chain at both batch sizes (CONFIGS="full100 empty100" runs a subset).
# Per run it prints the process CPU per event (posthog-bench's self_cpu_ms: user + system, the
# physical-limit measurement excluded), the worker and senders' share, the producer's, the JSON
# and gzip limit of the same run, context switches per 1,000 events (perf stat, when perf is
# installed) and the 1-minute load average; then medians and minima per build and configuration.
# Alternating lets the load of the machine fall on both builds alike; CPU time still grows with
# load, so compare medians of one sitting.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
BEFORE="$1" AFTER="$2" RUNS="${3:-3}" N="${N:-200000}"
CONFIGS="${CONFIGS:-full100 full1000 empty100 empty1000}"
PEERS_SRC="${PEERS_SRC:-$ROOT/../shared/bench-peers}"
die() { echo "bench-cpu-ab: $*" >&2; exit 1; }
for b in "$BEFORE" "$AFTER"; do [ -x "$b/bin/posthog-bench" ] || die "no $b/bin/posthog-bench"; done

WORK="$(mktemp -d /tmp/posthog-cpu-ab.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2> /dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=scripts/bench-mock-server.sh
source "$ROOT/scripts/bench-mock-server.sh"
start_mock_server "$WORK"

flags() {
  case "$1" in
    full100) echo "--pipeline config/pipeline.xml" ;;
    full1000) echo "--pipeline config/pipeline.xml --max-batch 1000" ;;
    empty100) echo "" ;;
    empty1000) echo "--max-batch 1000" ;;
    *) die "unknown configuration $1" ;;
  esac
}

for r in $(seq "$RUNS"); do
  for cfg in $CONFIGS; do
    for side in before after; do
      dir="$BEFORE"
      [ "$side" = after ] && dir="$AFTER"
      load="$(cut -d' ' -f1 /proc/loadavg)"
      read -r -a extra <<< "$(flags "$cfg")"
      cmd=("$dir/bin/posthog-bench" --host "$HOST" --n "$N" --max-queue "$((N + 1))" --limit-events 20000 "${extra[@]}")
      cs=""
      if command -v perf > /dev/null; then
        (cd "$ROOT" && LD_LIBRARY_PATH="$dir/lib" perf stat -x, -e context-switches -o "$WORK/perf.txt" "${cmd[@]}") \
          > "$WORK/result.json" 2> /dev/null
        cs="$(grep context-switches "$WORK/perf.txt" | cut -d, -f1)"
      else
        (cd "$ROOT" && LD_LIBRARY_PATH="$dir/lib" "${cmd[@]}") > "$WORK/result.json" 2> /dev/null
      fi
      python3 - "$cfg" "$side" "$r" "$load" "${cs:-0}" "$WORK/result.json" >> "$WORK/runs.tsv" << 'PY'
import json, sys
cfg, side, r, load, cs, path = sys.argv[1:]
d = json.load(open(path))
n = d["n"]
lim = d.get("limit", {})
print("\t".join([cfg, side, r, load, f"{d['self_cpu_ms'] * 1000 / n:.2f}",
                 f"{d['background_cpu_ns_per_event']:.0f}", f"{d['producer_cpu_ms'] * 1000 / n:.2f}",
                 f"{lim.get('json_ns_per_event', 0):.0f}", f"{lim.get('gzip_ns_per_event', 0):.0f}",
                 f"{int(cs) * 1000 / n:.1f}", str(d["client_stats"]["delivered"])]))
PY
      tail -1 "$WORK/runs.tsv"
    done
  done
done | awk 'BEGIN { print "config\tbuild\trun\tload\tclient_cpu_us_per_ev\tworker_senders_ns\tproducer_us\tjson_ns\tgzip_ns\tcs_per_1000\tdelivered" } { print }'

python3 - "$WORK/runs.tsv" << 'PY'
import collections, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = collections.defaultdict(list)
for r in rows:
    by[(r[0], r[1])].append(r)
print("\nmedian (min) per configuration and build:")
for (cfg, side), rs in sorted(by.items(), key=lambda kv: (kv[0][0], kv[0][1] != "before")):
    def col(i):
        v = [float(x[i]) for x in rs]
        return f"{statistics.median(v):.2f} ({min(v):.2f})"
    loads = [float(x[3]) for x in rs]
    print(f"  {cfg:10} {side:6} runs {len(rs)}  client CPU us/ev {col(4)}  worker+senders ns/ev {col(5)}  "
          f"producer us/ev {col(6)}  cs/1000 ev {col(9)}  load {min(loads):.1f}-{max(loads):.1f}")
PY
