#!/usr/bin/env bash
# Page-layout benchmark: reading order on pages set in columns.
# Each fixture of tests/fixtures/layout/*.json is made into a text-layer PDF
# with scripts/make_layout_pdf.py (which also writes the text in reading
# order), and a single-column control: the same blocks with every region of
# columns set in one column. Every PDF is read
#   - through its text layer: Dossier (dossier ingest + show --text) beside
#     plain pdftotext;
#   - as a scan: rendered at 300 and 200 dpi (pdftoppm, grey), read by
#     Dossier (OCR plugin with its clean-up) beside plain `tesseract -l eng`.
# Scores are ../shared/tools/ocr_error_rate.py's CER (reading order counts)
# against the reference. The target: each multi-column fixture's CER within
# 1 point of its single-column control.
# Usage: bench/layout.sh [BUILD_DIR]
# Needs: poppler-utils, tesseract-ocr, python3-levenshtein (installed here
# with apt-get when missing and run as root), and ../shared/tools.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
tools="$root/../shared/tools"
if [[ ! -f "$tools/ocr_error_rate.py" ]]; then
  echo "bench/layout.sh: needs $tools/ocr_error_rate.py (../shared, not found)" >&2
  exit 2
fi
need=()
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v tesseract >/dev/null || need+=(tesseract-ocr tesseract-ocr-eng)
/usr/bin/python3 -c 'import Levenshtein' 2>/dev/null || need+=(python3-levenshtein)
if ((${#need[@]})); then
  echo "== installing ${need[*]}"
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"
cer() { /usr/bin/python3 "$tools/ocr_error_rate.py" "$1" "$2" | awk '{print $2}'; }

# Dossier's text of one file (a PDF or a page image), in a fresh data folder.
read_with_dossier() {
  rm -rf "$work/data"
  "$dossier" --data "$work/data" ingest -q "$1" >/dev/null
  "$dossier" --data "$work/data" show --text "$1"
}

printf '%-20s %-8s %-22s %-22s %-22s\n' fixture layout "text layer: dossier/pdftotext" "scan 300: dossier/tesseract" "scan 200: dossier/tesseract"
for spec in "$root"/tests/fixtures/layout/*.json; do
  name="$(basename "$spec" .json)"
  python3 - "$spec" "$work/$name.one.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
for page in spec["pages"]:
    for block in page:
        if "columns" in block:
            block["columns"] = 1
json.dump(spec, open(sys.argv[2], "w"))
EOF
  for variant in columns one; do
    src="$spec"
    [[ "$variant" == one ]] && src="$work/$name.one.json"
    pdf="$work/$name.$variant.pdf"
    ref="$work/$name.$variant.ref.txt"
    python3 "$root/scripts/make_layout_pdf.py" "$src" "$pdf" --reference "$ref"
    read_with_dossier "$pdf" >"$work/out.txt"
    pdftotext "$pdf" "$work/plain.txt"
    line="$(printf '%7s / %-7s' "$(cer "$ref" "$work/out.txt")" "$(cer "$ref" "$work/plain.txt")")"
    for dpi in 300 200; do
      pdftoppm -r "$dpi" -gray -png -singlefile "$pdf" "$work/page"
      read_with_dossier "$work/page.png" >"$work/out.txt"
      OMP_THREAD_LIMIT=1 tesseract "$work/page.png" "$work/plain" -l eng >/dev/null 2>&1
      line+="$(printf '       %7s / %-7s' "$(cer "$ref" "$work/out.txt")" "$(cer "$ref" "$work/plain.txt")")"
    done
    printf '%-20s %-8s %s\n' "$name" "$variant" "$line"
  done
done
