#!/usr/bin/env bash
# Fuzzes dossierd: starts it on a data folder (BENCH_DIR/data when bench/server.sh
# made one, else the shipped samples ingested into a temporary folder) and runs
# bench/fuzz_server.py for DURATION seconds (default 120). Fails when any
# response is a 5xx, a 4xx lacks a JSON error body, or the server dies.
# Usage: bench/fuzz_server.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
duration="${DURATION:-120}"
tmp="$(mktemp -d)"
data="${BENCH_DIR:-/tmp/dossier-bench}/data"
if [[ ! -d "$data/rocksdb" ]]; then
  data="$tmp/data"
  "$build/bin/dossier" --data "$data" ingest -q "$root"/samples/*.pdf
fi
log="$tmp/dossierd.log"
"$build/bin/dossierd" --data "$data" --listen 127.0.0.1:0 --quiet 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
source "$root/bench/dossierd_port.sh"
port="$(dossierd_port "$log")" || exit 1
echo "== fuzzing dossierd (pid $pid, port $port, data $data) for $duration s"
status=0
python3 "$root/bench/fuzz_server.py" "127.0.0.1:$port" "$duration" 6 || status=$?
if ! kill -0 "$pid" 2>/dev/null; then
  echo "FAIL: dossierd is no longer running"; cat "$log"; exit 1
fi
kill -TERM "$pid"
for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "FAIL: dossierd still running 15 s after SIGTERM"; kill -KILL "$pid"; status=1
fi
wait "$pid" && echo "dossierd exited cleanly (0) on SIGTERM" || { echo "FAIL: dossierd exit status $?"; status=1; }
grep -v "listening on\|ready:\|SIGTERM\|stopped" "$log" | head -20 || true
exit $status
