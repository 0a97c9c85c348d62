#!/usr/bin/env bash
# Bulk-ingest benchmark over the PDFs bench/corpus.sh fetched (DEST/timed:
# every second PDF of five Debian documentation packages), side by side:
#   floor     pdftotext over each file, two at a time (xargs -P2)
#   dossier   dossier ingest into a fresh data folder (entities + both indexes)
#   rerun     the same command again: nothing changed
#   recoll    recollindex into a fresh config dir (when recollcmd is installed)
#   omindex   omindex into a fresh database (when xapian-omega is installed)
#   broken    the corpus plus 20 broken and hostile files (bench/make_broken.py:
#             truncated, encrypted, empty, garbage, decompression bombs) with
#             --timeout 30: every good file must go in, every bad one be reported
# Wall time per tool is the median of RUNS runs (default 3; warm cache: one
# untimed pdftotext pass first). Memory: the largest single process
# (/usr/bin/time -f %M, which folds in reaped workers) and the peak of the sum
# of dossier's and its workers' RSS, sampled every 0.2 s from /proc.
# Size: the data folder after the last ingest (which compacts at its end)
# against omindex's database, both with `du -sb` (target: at most 1.5x).
# Usage: bench/bulk.sh [--runs N] [CORPUS_DIR] [BUILD_DIR]
# Environment: SKIP_PEERS=1 leaves out recollindex and omindex.
# Needs: poppler-utils (pdftotext), bc; recollcmd and xapian-omega for the peers.
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
# Samples the summed RSS (KiB) of every dossier / dossier-worker process into $1 until killed.
sample_rss() {
  set +e +o pipefail
  local peak=0 sum
  while true; do
    sum=$(ps -C dossier,dossier-worker -o rss= 2>/dev/null | awk '{s+=$1} END {print s+0}')
    (( sum > peak )) && peak=$sum && echo "$peak" > "$1"
    sleep 0.2
  done
}
# Runs "$@" and prints its wall time in seconds.
timed() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }

floor_run() { find "$corpus" -name '*.pdf' -print0 | xargs -0 -P2 -I{} pdftotext -q {} - >/dev/null; }
floor_run || true  # warm the page cache

results=()
t=(); for ((i = 0; i < runs; i++)); do t+=("$(timed floor_run)"); done
floor=$(printf '%s\n' "${t[@]}" | median); results+=("pdftotext -P2 (floor): ${floor} s  [${t[*]}]")

t=(); r=(); x=(); rss=(); total=()
for ((i = 0; i < runs; i++)); do
  rm -rf "$work/data"
  echo 0 > "$work/total"
  sample_rss "$work/total" & sampler=$!
  t+=("$(timed /usr/bin/time -f %M -o "$work/rss" "$dossier" --data "$work/data" ingest -q --report "$work/report.json" "$corpus")")
  # The same ingest without OCR: text-layer ingest alone (the target's measure).
  rm -rf "$work/data-text"
  x+=("$(timed "$dossier" --data "$work/data-text" ingest -q --no-ocr "$corpus")")
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  rss+=("$(tail -1 "$work/rss")")
  total+=("$(cat "$work/total")")
  r+=("$(timed "$dossier" --data "$work/data" ingest -q "$corpus")")
done
ingest=$(printf '%s\n' "${t[@]}" | median)
data_bytes=$(du -sb "$work/data" | cut -f1)  # after the last ingest (compacted at its end)
rerun=$(printf '%s\n' "${r[@]}" | median)
peak=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
peak_total=$(printf '%s\n' "${total[@]}" | sort -n | tail -1)
text_only=$(printf '%s\n' "${x[@]}" | median)
results+=("dossier ingest --no-ocr (text layer): ${text_only} s  [${x[*]}]  = $(echo "scale=2; $text_only / $floor" | bc)x floor (target <= 1.3)")
results+=("dossier ingest (with OCR of pages without text): ${ingest} s  [${t[*]}]  = $(echo "scale=2; $ingest / $floor" | bc)x floor")
results+=("dossier no-change rerun: ${rerun} s  [${r[*]}]  = $(echo "scale=2; 100 * $rerun / $ingest" | bc) % of the first run (target < 2 %)")
results+=("dossier peak RSS: largest process $((peak / 1024)) MiB; dossier + workers together $((peak_total / 1024)) MiB (target < 1024)")
results+=("dossier report: $(python3 -c "
import json,sys; d=json.load(open('$work/report.json'))
ocr = [f for f in d['files_report'] if f.get('ocr_pages', 0) > 0]
print('files', d['files'], 'ingested', d['ingested'], 'duplicates', d['duplicates'], 'failed', d['failed'], 'pages', d['pages'], 'ocr_pages', d['ocr_pages'], '| files with pages read by OCR:', len(ocr))
for f in d['files_report']:
    if f['outcome'] == 'failed': print('  failed:', f['path'], '-', f.get('message', ''))")")
"$dossier" --data "$work/data" stats | sed 's/^/  /'

# The corpus with 20 broken and hostile files mixed in.
mkdir -p "$work/mixed"
find "$corpus" -name '*.pdf' -exec ln -s {} "$work/mixed/" \;
python3 "$root/bench/make_broken.py" "$work/mixed/broken" $(find "$corpus" -name '*.pdf' | sort | head -4) >/dev/null
rm -rf "$work/data"
broken_time=$(timed "$dossier" --data "$work/data" ingest -q --timeout 30 --report "$work/broken.json" "$work/mixed")
results+=("with 20 broken files (--timeout 30): ${broken_time} s; $(python3 -c "
import json; d=json.load(open('$work/broken.json')); clean=json.load(open('$work/report.json'))
bad = [f for f in d['files_report'] if '/broken/' in f['path']]
good_in = sum(1 for f in d['files_report'] if '/broken/' not in f['path'] and f['outcome'] in ('ingested', 'duplicate'))
print('good files in:', good_in, 'of', clean['ingested'] + clean['duplicates'], '| broken reported failed:',
      sum(1 for f in bad if f['outcome'] == 'failed'), 'of 20 | slowest bomb reason:',
      next((f['message'] for f in bad if 'bomb' in f['path']), '-'))
for f in d['files_report']:
    if '/broken/' not in f['path'] and f['outcome'] not in ('ingested', 'duplicate'):
        print('  good file not in:', f['path'], '-', f['outcome'], f.get('message'))")")

if [[ -n "${SKIP_PEERS:-}" ]]; then
  printf '%s\n' "${results[@]}"
  exit 0
fi
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
  omega_bytes=$(du -sb "$work/omega" | cut -f1)
  results+=("size: dossier data folder $(echo "scale=1; $data_bytes / 1000000" | bc) MB (rocksdb/ + xapian/ + xapian-items/), omindex database $(echo "scale=1; $omega_bytes / 1000000" | bc) MB: $(echo "scale=2; $data_bytes / $omega_bytes" | bc)x (target <= 1.5)")
fi
printf '%s\n' "${results[@]}"
