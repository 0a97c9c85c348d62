#!/usr/bin/env bash
# Extraction benchmark: ingests ../shared/corpus/pdf (text-layer PDFs) with the
# entities extractor, exports JSON Lines, scores the export against the gold
# annotations with ../shared/tools/score_extraction.py, and measures the
# extractor's throughput on the corpus texts. Prints the figures.
# Usage: bench/extraction.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
shared="$root/../shared"
if [[ ! -d "$shared/corpus/pdf" ]]; then
  echo "bench/extraction.sh: needs the sample corpus in $shared/corpus (not found)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"

echo "== ingest $shared/corpus/pdf"
"$dossier" --data "$work/data" ingest -q "$shared/corpus/pdf"
"$dossier" --data "$work/data" export --format jsonl -o "$work/export.jsonl"
echo "== score (score_extraction.py)"
python3 "$shared/tools/score_extraction.py" "$work/export.jsonl" "$shared/corpus/gold"

echo "== throughput (entities rules, one thread, corpus texts repeated to 50 MB)"
"$build/bin/dossier_bench_extraction" "$root/plugins/entities/data/authority.tsv" 50 "$shared"/corpus/text/*.txt
