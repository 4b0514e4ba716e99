# scripts/bench-mock-server.sh: sourced by the bench scripts that drive posthog-bench against the
# bench-peers mock capture server (PEERS_SRC, default ../shared/bench-peers beside the checkout).
#
#   start_mock_server DIR   starts it on a free loopback port (its port file in DIR), and sets
#                           SERVER_PID (for the caller's cleanup trap) and HOST (http://127.0.0.1:PORT)
#
# The caller defines die() and PEERS_SRC.
start_mock_server() {
  local dir="$1"
  [ -f "$PEERS_SRC/mock_server.mjs" ] || die "no mock server at $PEERS_SRC (set PEERS_SRC)"
  command -v node > /dev/null || die "node is not installed (the mock server needs it)"
  node "$PEERS_SRC/mock_server.mjs" --port 0 --port-file "$dir/port" --parse fast --quiet > /dev/null 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
  [ -s "$dir/port" ] || die "the mock server did not start"
  HOST="http://127.0.0.1:$(cat "$dir/port")"
}
