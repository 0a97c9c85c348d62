#!/usr/bin/env bash
# Remote search benchmark (issue 22, "search shards through Xapian's remote
# backend"): COUNT (default 3000) generated documents (bench/gen_corpus.py)
# ingested into one folder and, with --partition K/3, into three shard
# folders; three xapian-tcpsrv (package xapian-tools) serve the shards'
# xapian/ on this machine; dossierd on the whole folder against dossierd
# --data WHOLE --remote-index on the three shards, both with --cache-mb 0.
# One client sends SEARCHES (default 2000) of gen_corpus.py's search requests,
# each to both servers in turn: p50, p90, p99 of each and the ratio of the
# p50s (target: remote <= 2x local), and how many answers differ (total or
# weights in rank order).
#
# Usage: bench/remote.sh [BUILD_DIR]        (default: build)
# Environment: BENCH_DIR (default /tmp/dossier-remote-bench; folders already
# ingested there are reused), COUNT, SEARCHES. Not run in CI.
#
# SCALE_DIR=DIR: real documents instead: the folders bench/scale.sh leaves
# in DIR (shard0..2 made by --partition K/3, and `merged`, which both
# dossierd use as --data), and 400 distinct queries drawn from their
# vocabulary (vocab_queries.py).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
work="${BENCH_DIR:-/tmp/dossier-remote-bench}"
count="${COUNT:-3000}"
searches="${SEARCHES:-2000}"
dossier="$build/bin/dossier"
dossierd="$build/bin/dossierd"
[[ -x "$dossier" && -x "$dossierd" ]] || { echo "bench/remote.sh: build first ($dossier)" >&2; exit 2; }
command -v xapian-tcpsrv >/dev/null || { echo "bench/remote.sh: xapian-tcpsrv missing: install xapian-tools" >&2; exit 2; }
mkdir -p "$work"

whole="$work/all"
if [[ -n "${SCALE_DIR:-}" ]]; then
  work="$SCALE_DIR"
  whole="$work/merged"
  for d in shard0 shard1 shard2 merged; do
    [[ -d "$work/$d" ]] || { echo "bench/remote.sh: $work/$d missing: run bench/scale.sh first" >&2; exit 2; }
  done
elif [[ ! -f "$work/ingested-$count" ]]; then
  rm -rf "$work/docs" "$work/all" "$work"/shard* "$work"/ingested-*
  python3 "$root/bench/gen_corpus.py" "$work/docs" "$count" "$work/queries.txt"
  start=$(date +%s.%N)
  "$dossier" --data "$work/all" ingest -q "$work/docs"
  echo "one folder: $count documents ingested in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  for k in 0 1 2; do
    start=$(date +%s.%N)
    "$dossier" --data "$work/shard$k" ingest -q --partition "$k/3" "$work/docs"
    echo "shard $k: $("$dossier" --data "$work/shard$k" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])') documents ingested in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
  done
  touch "$work/ingested-$count"
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
shards=""
for k in 0 1 2; do
  port="$(free_port)"
  setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$work/shard$k/xapian" 2>/dev/null &
  pids+=($!)
  shards="${shards:+$shards,}127.0.0.1:$port"
done
source "$root/bench/dossierd_port.sh"
"$dossierd" --data "$whole" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$work/local.log" &
pids+=($!)
"$dossierd" --data "$whole" --remote-index "$shards" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$work/remote.log" &
pids+=($!)
local_port="$(dossierd_port "$work/local.log")"
remote_port="$(dossierd_port "$work/remote.log")"
echo "shards: $shards"
if [[ -n "${SCALE_DIR:-}" && ! -f "$work/remote-queries.txt" ]]; then
  python3 "$root/bench/vocab_queries.py" "http://127.0.0.1:$local_port" 400 "$work/remote-queries.txt" >/dev/null
fi
queries="$work/queries.txt"
[[ -n "${SCALE_DIR:-}" ]] && queries="$work/remote-queries.txt"
python3 "$root/bench/remote.py" "http://127.0.0.1:$local_port" "http://127.0.0.1:$remote_port" "$queries" 200 >/dev/null  # warm up
python3 "$root/bench/remote.py" "http://127.0.0.1:$local_port" "http://127.0.0.1:$remote_port" "$queries" "$searches"
