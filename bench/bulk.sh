#!/usr/bin/env bash
# Bulk-ingest benchmark over the PDFs bench/corpus.sh fetched (DEST/timed:
# every second PDF of five Debian documentation packages), side by side:
#   floor     pdftotext over each file, two at a time (xargs -P2)
#   dossier   dossier ingest into a fresh data folder (entities + both indexes)
#   rerun     the same command again: nothing changed
#   recoll    recollindex into a fresh config dir (when recollcmd is installed)
#   omindex   omindex into a fresh database (when xapian-omega is installed)
# Wall time per tool is the median of RUNS runs (default 3; warm cache: one
# untimed pdftotext pass first). Peak RSS of dossier (the parent; each worker
# is a separate process, listed too) comes from /usr/bin/time -f %M.
# Usage: bench/bulk.sh [--runs N] [CORPUS_DIR] [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=3
if [[ "${1:-}" == "--runs" ]]; then runs="$2"; shift 2; fi
corpus="${1:-$root/build/bench-corpus/timed}"
build="$(cd "${2:-$root/build}" && pwd)"
if [[ ! -d "$corpus" ]]; then
  echo "bench/bulk.sh: no corpus in $corpus (run bench/corpus.sh first)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"
files=$(find "$corpus" -name '*.pdf' | wc -l)
echo "corpus: $corpus: $files PDFs, $(du -shL "$corpus" | cut -f1); $runs run(s) each; $(nproc) cores"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs "$@" and prints its wall time in seconds.
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }

floor_run() { find "$corpus" -name '*.pdf' -print0 | xargs -0 -P2 -I{} pdftotext -q {} - >/dev/null; }
floor_run || true  # warm the page cache

results=()
t=(); for ((i = 0; i < runs; i++)); do t+=("$(timed floor_run)"); done
floor=$(printf '%s\n' "${t[@]}" | median); results+=("pdftotext -P2 (floor): ${floor} s  [${t[*]}]")

t=(); r=(); rss=()
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/data"
  t+=("$(timed /usr/bin/time -f %M -o "$work/rss" "$dossier" --data "$work/data" ingest -q --report "$work/report.json" "$corpus")")
  rss+=("$(cat "$work/rss")")
  r+=("$(timed "$dossier" --data "$work/data" ingest -q "$corpus")")
done
ingest=$(printf '%s\n' "${t[@]}" | median)
rerun=$(printf '%s\n' "${r[@]}" | median)
peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
results+=("dossier ingest: ${ingest} s  [${t[*]}]  = $(echo "scale=2; $ingest / $floor" | bc)x floor (target <= 1.3)")
results+=("dossier no-change rerun: ${rerun} s  [${r[*]}]  = $(echo "scale=2; 100 * $rerun / $ingest" | bc) % of the first run (target < 2 %)")
results+=("dossier parent peak RSS: $((peak / 1024)) MiB (target < 1024)")
results+=("dossier report: $(python3 -c "
import json,sys; d=json.load(open('$work/report.json'))
print('files', d['files'], 'ingested', d['ingested'], 'duplicates', d['duplicates'], 'failed', d['failed'], 'pages', d['pages'], 'ocr_pages', d['ocr_pages'])")")
"$dossier" --data "$work/data" stats | sed 's/^/  /'

if command -v recollindex >/dev/null; then
  t=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/recoll"; mkdir -p "$work/recoll"
    printf 'topdirs = %s\nloglevel = 1\n' "$corpus" > "$work/recoll/recoll.conf"
    t+=("$(timed recollindex -c "$work/recoll")")
  done
  results+=("recollindex: $(printf '%s\n' "${t[@]}" | median) s  [${t[*]}]")
fi
if command -v omindex >/dev/null; then
  t=()
  for ((i = 0; i < runs; i++)); do
    rm -rf "$work/omega"
    t+=("$(timed omindex --db "$work/omega" --url / "$corpus")")
  done
  results+=("omindex: $(printf '%s\n' "${t[@]}" | median) s  [${t[*]}]")
fi
printf '%s\n' "${results[@]}"
