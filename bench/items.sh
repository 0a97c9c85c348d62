#!/usr/bin/env bash
# Item search benchmark (recommendations, findings, key actions as results):
#   1. Relevance: ../shared/corpus/real/*.pdf and pdf/*.pdf ingested with
#      --no-ocr; the judged queries of bench/items_queries.tsv (written before
#      any ranked query was run; see its header) through `dossier
#      recommendations QUERY --limit 5`; each query's judgements beside its
#      top 5, and the mean P@5 (target >= 0.8).
#   2. Similarity: for every recommendation with recurs links (`dossier
#      recommendations --recurring`), are the top min(3, links) of `--similar`
#      recurs-linked ones? (target: all), on both the corpus and the generated
#      archive (its first 200).
#   3. Speed and size at COUNT (default 10000) generated documents
#      (bench/gen_corpus.py): dossierd with --cache-mb 0, one client sending
#      ITEM_QUERIES (default 2000) item queries one at a time
#      (/v1/recommendations?q=…, gen_corpus.py's queries): p50, p90, p99
#      (target p99 < 10 ms); the item index's size against the page index
#      and the whole data folder (target: the index grows by at most 15 %).
#
# Usage: bench/items.sh [BUILD_DIR]        (default: build)
# Environment: BENCH_DIR (default /tmp/dossier-items-bench; a generated archive
# already ingested there is reused), COUNT, ITEM_QUERIES. Not run in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
work="${BENCH_DIR:-/tmp/dossier-items-bench}"
count="${COUNT:-10000}"
queries="${ITEM_QUERIES:-2000}"
dossier="$build/bin/dossier"
dossierd="$build/bin/dossierd"
corpus="$root/../shared/corpus"
[[ -x "$dossier" && -x "$dossierd" ]] || { echo "bench/items.sh: build first ($dossier)" >&2; exit 2; }
[[ -d "$corpus/real" && -d "$corpus/pdf" ]] || { echo "bench/items.sh: needs $corpus/real and $corpus/pdf" >&2; exit 2; }
mkdir -p "$work"

echo "== 1. relevance: real/*.pdf + pdf/*.pdf"
rm -rf "$work/corpus" "$work/corpus-data"
mkdir -p "$work/corpus/real" "$work/corpus/pdf"
cp "$corpus"/real/*.pdf "$work/corpus/real/"
cp "$corpus"/pdf/*.pdf "$work/corpus/pdf/"
"$dossier" --data "$work/corpus-data" ingest -q --no-ocr "$work/corpus"
python3 "$root/bench/items.py" relevance "$dossier" "$work/corpus-data" "$root/bench/items_queries.tsv"

echo
echo "== 2. similarity (recurs links in the corpus)"
python3 "$root/bench/items.py" similar "$dossier" "$work/corpus-data"

echo
documents() { "$dossier" --data "$work/data" stats --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null || echo 0; }
have="$(documents)"
if [[ "$have" -lt "$count" || ! -d "$work/data/xapian-items" ]]; then
  echo "== 3. generating $count documents in $work/docs"
  rm -rf "$work/docs" "$work/data"
  python3 "$root/bench/gen_corpus.py" "$work/docs" "$count" "$work/queries.txt"
  start=$(date +%s.%N)
  "$dossier" --data "$work/data" ingest -q "$work/docs"
  echo "ingested in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
else
  echo "== 3. reusing $have documents in $work/data"
  # A writer's open re-indexes a folder an earlier version's text analysis
  # made (docs/ARCHITECTURE.md, "Index format"); an ingest of nothing is one.
  mkdir -p "$work/nothing"
  "$dossier" --data "$work/data" ingest -q "$work/nothing"
fi
echo "index sizes at $count documents:"
python3 - "$work/data" <<'PY'
import os, sys
def size(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)
data = sys.argv[1]
items, pages, whole = size(data + "/xapian-items"), size(data + "/xapian"), size(data)
print(f"  item index {items / 2**20:.1f} MiB; page index {pages / 2**20:.1f} MiB; data folder {whole / 2**20:.1f} MiB")
print(f"  growth: search index +{100 * items / pages:.1f} % (target <= 15 %), data folder +{100 * items / (whole - items):.1f} %")
PY
echo "similarity at $count documents (the first 200 recommendations with recurs links):"
python3 "$root/bench/items.py" similar "$dossier" "$work/data" 200 | tail -1

source "$root/bench/dossierd_port.sh"
log="$work/dossierd.log"
"$dossierd" --data "$work/data" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
port="$(dossierd_port "$log")"
python3 "$root/bench/items.py" latency "http://127.0.0.1:$port" "$work/queries.txt" 200 >/dev/null  # warm the caches
python3 "$root/bench/items.py" latency "http://127.0.0.1:$port" "$work/queries.txt" "$queries"
