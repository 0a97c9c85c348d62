#!/usr/bin/env bash
# Extraction benchmark: ingests the sample corpus (../shared/corpus/pdf) and the
# real development set (../shared/corpus/real, text layers only: --no-ocr) each
# into its own data folder, exports JSON Lines, scores each export against its
# gold with ../shared/tools/score_extraction.py (samples and real set printed
# separately), and measures the extractor's single-thread throughput on the
# page texts of both. Prints the figures.
# With --scanned it also renders the real documents of at most 30 pages as
# greyscale images at 200 dpi (pdftoppm), wraps them as image-only PDFs
# (scripts/make_pdf.py --scan) and scores what OCR extraction finds in them
# against the same gold: extraction on scans, headings found by type size.
# Usage: bench/extraction.sh [BUILD_DIR] [--verbose] [--scanned]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
verbose=""
scanned=0
for arg in "$@"; do
  case "$arg" in
    --verbose) verbose="--verbose" ;;
    --scanned) scanned=1 ;;
    *) build="$(cd "$arg" && pwd)" ;;
  esac
done
shared="$root/../shared"
if [[ ! -d "$shared/corpus/pdf" ]]; then
  echo "bench/extraction.sh: needs the sample corpus in $shared/corpus (not found)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"
[[ -x "$build/bin/dossier_bench_extraction" ]] || { echo "bench/extraction.sh: $build/bin/dossier_bench_extraction is missing: build the benchmarks with cmake -S . -B build -DBUILD_TESTING=ON" >&2; exit 2; }

score() {  # NAME GOLD INPUT...   (OCR off unless NAME ends in -ocr)
  local name="$1" gold="$2"; shift 2
  local ocr=(--no-ocr)
  [[ "$name" == *-ocr ]] && ocr=()
  "$dossier" --data "$work/$name" ingest -q "${ocr[@]}" "$@"
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

if ((scanned)) && [[ -d "$shared/corpus/real/gold" ]]; then
  command -v pdftoppm >/dev/null || { echo "bench/extraction.sh: --scanned needs pdftoppm (apt-get install poppler-utils)" >&2; exit 2; }
  mkdir -p "$work/scans"
  scans=()
  for pdf in "$shared"/corpus/real/*.pdf; do
    pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    [[ -n "$pages" && "$pages" -le 30 ]] || continue
    name="$(basename "$pdf" .pdf)"
    pdftoppm -gray -r 200 "$pdf" "$work/scans/$name"
    args=()
    for page in "$work/scans/$name"-*.pgm; do args+=(--scan "$page"); done
    : >"$work/scans/empty.txt"
    python3 "$root/scripts/make_pdf.py" "$work/scans/empty.txt" "$work/scans/$name.scan200.pdf" --scan-dpi 200 "${args[@]}"
    scans+=("$work/scans/$name.scan200.pdf")
  done
  echo
  echo "== real development set scanned: ${#scans[@]} documents of at most 30 pages, rendered at 200 dpi and OCR'd"
  start=$(date +%s.%N)
  score real-ocr "$shared/corpus/real/gold" "${scans[@]}"
  echo "($(python3 -c "print(round($(date +%s.%N) - $start, 1))") s with OCR)"
fi

echo
echo "== throughput (entities rules with the structure model, one thread, page texts repeated to 50 MB)"
"$build/bin/dossier_bench_extraction" "$root/plugins/entities/data/authority.tsv" "$root/plugins/structure/data" 50 \
  "$work"/samples-text/*.txt "$work"/real-text/*.txt
