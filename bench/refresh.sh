#!/usr/bin/env bash
# Searching while an ingest commits: one client searches without pause
# (dossierd, cache off) while small ingests land in the same data folder,
# and the script prints the latency of every search over the run: the
# searches that pay for a new revision (dossierd catching up with each
# commit) show in the tail.
#
#   bench/refresh.sh [--build DIR] [--commits N] [--every S] DATA
#
# DATA: a data folder (bench/server.sh's 10,000 generated documents, or
# bench/corpus.sh's real PDFs, ingested); it is copied to a temporary folder
# first and left unchanged. N ingests (default 10), S seconds apart (default
# 3), each of one new text file, by the build's `dossier ingest`. The client
# cycles through four one-word searches (python3, stdlib only) for N * S + 4
# seconds. Prints: requests, p50, p99, max, and how many took over 15 ms.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build" commits=10 every=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --commits) commits="$2"; shift 2 ;;
    --every) every="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "refresh.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 && -d "$1/rocksdb" ]] || { echo "usage: bench/refresh.sh [--build DIR] [--commits N] [--every S] DATA (a data folder)" >&2; exit 2; }
source "$root/bench/dossierd_port.sh"
work="$(mktemp -d)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp -r "$1" "$work/data"
"$build/bin/dossierd" --data "$work/data" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$work/dossierd.log" &
pid=$!
port="$(dossierd_port "$work/dossierd.log")"
(
  for n in $(seq 1 "$commits"); do
    sleep "$every"
    mkdir -p "$work/in/$n"
    printf 'Note %s of the refresh benchmark on water services.\n' "$n" > "$work/in/$n/note-$n.txt"
    "$build/bin/dossier" --data "$work/data" ingest -q "$work/in/$n" >/dev/null
  done
) &
ingests=$!
python3 - "http://127.0.0.1:$port" "$((commits * every + 4))" <<'EOF'
import sys, time, urllib.request
base, seconds = sys.argv[1], float(sys.argv[2])
queries = ["/v1/search?q=water", "/v1/search?q=health", "/v1/search?q=planning", "/v1/search?q=nutrition"]
ms, end, i = [], time.time() + seconds, 0
while time.time() < end:
    start = time.perf_counter()
    with urllib.request.urlopen(base + queries[i % len(queries)]) as r:
        r.read()
    ms.append(1000 * (time.perf_counter() - start))
    i += 1
ms.sort()
print(f"RESULT refresh: {len(ms)} requests, p50 {ms[len(ms) // 2]:.2f} ms, p99 {ms[int(len(ms) * 0.99)]:.2f} ms,"
      f" max {ms[-1]:.2f} ms, over 15 ms: {sum(1 for m in ms if m > 15)}")
EOF
wait "$ingests"
