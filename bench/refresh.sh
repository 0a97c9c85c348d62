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
# cycles through four one-word searches (python3, stdlib only) from before
# the first ingest until 2 s after the last. Prints: requests, p50, p99,
# max, how many took over 15 ms, and how many failed (no 200).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build" commits=10 every=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build|--commits|--every)
      [[ $# -ge 2 ]] || { echo "refresh.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in --build) build="$2" ;; --commits) commits="$2" ;; --every) every="$2" ;; esac
      shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "refresh.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -eq 1 && -d "$1/rocksdb" ]] || { echo "usage: bench/refresh.sh [--build DIR] [--commits N] [--every S] DATA (a data folder)" >&2; exit 2; }
[[ "$commits" =~ ^[0-9]+$ && "$every" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "refresh.sh: --commits takes a whole number, --every seconds" >&2; exit 2; }
source "$root/bench/dossierd_port.sh"
work="$(mktemp -d)"
pid="" ingests=""
cleanup() {
  [[ -n "$ingests" ]] && kill "$ingests" 2>/dev/null
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
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
  sleep 2
  touch "$work/done"
) &
ingests=$!
python3 - "http://127.0.0.1:$port" "$work/done" <<'PY'
import os, sys, time, urllib.error, urllib.request
base, done = sys.argv[1], sys.argv[2]
queries = ["/v1/search?q=water", "/v1/search?q=health", "/v1/search?q=planning", "/v1/search?q=nutrition"]
ms, failed, i = [], 0, 0
while not os.path.exists(done):
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(base + queries[i % len(queries)], timeout=30) as r:
            r.read()
    except (urllib.error.URLError, OSError):
        failed += 1
    ms.append(1000 * (time.perf_counter() - start))
    i += 1
ms.sort()
print(f"RESULT refresh: {len(ms)} requests, p50 {ms[len(ms) // 2]:.2f} ms, p99 {ms[int(len(ms) * 0.99)]:.2f} ms,"
      f" max {ms[-1]:.2f} ms, over 15 ms: {sum(1 for m in ms if m > 15)}, failed: {failed}")
PY
wait "$ingests"
ingests=""
