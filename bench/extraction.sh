#!/usr/bin/env bash
# Extraction benchmark: ingests the sample corpus (../shared/corpus/pdf) and the
# real development set (../shared/corpus/real, text layers only: --no-ocr) each
# into its own data folder, exports JSON Lines, scores each export against its
# gold with ../shared/tools/score_extraction.py (samples and real set printed
# separately), and measures the extractor's single-thread throughput on the
# page texts of both. Prints the figures.
# Usage: bench/extraction.sh [BUILD_DIR] [--verbose]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
verbose="${2:-}"
shared="$root/../shared"
if [[ ! -d "$shared/corpus/pdf" ]]; then
  echo "bench/extraction.sh: needs the sample corpus in $shared/corpus (not found)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"
[[ -x "$build/bin/dossier_bench_extraction" ]] || { echo "bench/extraction.sh: $build/bin/dossier_bench_extraction is missing: build the benchmarks with cmake -S . -B build -DBUILD_TESTING=ON" >&2; exit 2; }

score() {  # NAME INPUT... -- GOLD
  local name="$1" gold="$2"; shift 2
  "$dossier" --data "$work/$name" ingest -q --no-ocr "$@"
  "$dossier" --data "$work/$name" export --format jsonl -o "$work/$name.jsonl" >/dev/null
  mkdir -p "$work/$name-text"
  for f in "$@"; do
    "$dossier" --data "$work/$name" show --text "$(readlink -f "$f")" >"$work/$name-text/$(basename "$f").txt"
  done
  python3 "$shared/tools/score_extraction.py" "$work/$name.jsonl" "$gold" $verbose
}

echo "== samples: $shared/corpus/pdf"
score samples "$shared/corpus/gold" "$shared"/corpus/pdf/*.pdf
if [[ -d "$shared/corpus/real/gold" ]]; then
  echo
  echo "== real development set: $shared/corpus/real (text layers, no OCR)"
  score real "$shared/corpus/real/gold" "$shared"/corpus/real/*.pdf
fi

echo
echo "== throughput (entities rules with the structure model, one thread, page texts repeated to 50 MB)"
"$build/bin/dossier_bench_extraction" "$root/plugins/entities/data/authority.tsv" "$root/plugins/structure/data" 50 \
  "$work"/samples-text/*.txt "$work"/real-text/*.txt
