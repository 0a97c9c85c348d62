#!/usr/bin/env bash
# OCR benchmark: ingests each scanned PDF of ../shared/corpus/scanned with
# Dossier (render, clean-up, Tesseract in parallel workers) and, beside it,
# runs plain `tesseract -l eng` on the same pages (rendered by pdftoppm at the
# scan's resolution, two pages at a time, OMP_THREAD_LIMIT=1). Both outputs
# are scored against the text layer of the matching ../shared/corpus/pdf file
# with ../shared/tools/ocr_error_rate.py (CER, WER, BOW). Then one run over
# every scan300 file together gives the sustained pages/s.
# With --steps, it instead measures what each clean-up step is worth: the
# pages are OCR'd by dossier_bench_ocr with all steps, then with each one
# switched off (or Sauvola binarisation switched on), and the mean CER/BOW
# over the scan300 and the noisy files is printed for each variant.
# Arguments after `--` go to every `dossier ingest` (e.g. -- --ocr-strategy combined).
# Usage: bench/ocr.sh [BUILD_DIR] [--no-plain] [--steps] [-- INGEST_OPTIONS...]
# Needs: poppler-utils, tesseract-ocr (plain baseline), python3-levenshtein
# (installed here with apt-get when missing and run as root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
plain=1
steps=0
ingest_args=()
while (($#)); do
  arg="$1"; shift
  case "$arg" in
    --) ingest_args=("$@"); break ;;
    --no-plain) plain=0 ;;
    --steps) steps=1 ;;
    *) build="$(cd "$arg" && pwd)" ;;
  esac
done
shared="$root/../shared"
if [[ ! -d "$shared/corpus/scanned" ]]; then
  echo "bench/ocr.sh: needs the sample corpus in $shared/corpus (not found)" >&2
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
score() { /usr/bin/python3 "$shared/tools/ocr_error_rate.py" "$1" "$2" | sed 's/ reference_chars.*//'; }
now() { date +%s.%N; }

if ((steps)); then
  for f in "$shared"/corpus/pdf/*.pdf; do pdftotext "$f" "$work/$(basename "$f" .pdf).ref.txt"; done
  printf '%-28s %-26s %s\n' variant "scan300 mean CER / BOW" "noisy mean CER / BOW"
  for variant in "all steps" --no-rescale --no-orient --no-deskew --no-normalise --no-whiten --binarise \
                 "--var textord_tabfind_find_tables=1"; do
    flags=()
    [[ "$variant" != "all steps" ]] && read -ra flags <<<"$variant"
    line=""
    for kind in scan300 scan200-noisy; do
      sum_cer=0; sum_bow=0; n=0
      for pdf in "$shared"/corpus/scanned/*."$kind".pdf; do
        stem="$(basename "$pdf" | cut -d. -f1)"
        dpi="$(pdfimages -list "$pdf" | awk 'NR==3 {print $13}')"
        "$build/bin/dossier_bench_ocr" "$pdf" --dpi "${dpi:-300}" "${flags[@]}" >"$work/out.txt" 2>/dev/null
        read -r cer bow < <(score "$work/$stem.ref.txt" "$work/out.txt" | awk '{gsub("%",""); print $2, $6}')
        sum_cer="$(echo "$sum_cer + $cer" | bc -l)"; sum_bow="$(echo "$sum_bow + $bow" | bc -l)"; n=$((n + 1))
      done
      line+="$(printf '%5.2f%% / %5.2f%%            ' "$(echo "$sum_cer / $n" | bc -l)" "$(echo "$sum_bow / $n" | bc -l)")"
    done
    printf '%-28s %s\n' "$variant" "$line"
  done
  exit 0
fi

printf '%-44s %5s %7s %7s  %-32s %s\n' file pages seconds pages/s "dossier" "plain tesseract -l eng"
for pdf in "$shared"/corpus/scanned/*.pdf; do
  name="$(basename "$pdf" .pdf)"
  stem="${name%%.*}"
  ref="$work/$stem.ref.txt"
  pdftotext "$shared/corpus/pdf/$stem.pdf" "$ref"
  pages="$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"
  data="$work/data-$name"
  t0="$(now)"
  "$dossier" --data "$data" ingest -q "${ingest_args[@]}" "$pdf"
  t1="$(now)"
  "$dossier" --data "$data" show --text "$pdf" >"$work/$name.dossier.txt"
  ours="$(score "$ref" "$work/$name.dossier.txt")"
  theirs="-"
  if ((plain)); then
    dpi="$(pdfimages -list "$pdf" | awk 'NR==3 {print $13}')"
    mkdir -p "$work/$name.pages"
    pdftoppm -r "${dpi:-300}" -gray "$pdf" "$work/$name.pages/p"
    t2="$(now)"
    ls "$work/$name.pages"/p*.pgm | OMP_THREAD_LIMIT=1 xargs -P2 -I{} tesseract {} {} -l eng 2>/dev/null
    t3="$(now)"
    cat "$work/$name.pages"/p*.txt >"$work/$name.plain.txt"
    theirs="$(score "$ref" "$work/$name.plain.txt") in $(printf '%.1f' "$(echo "$t3 - $t2" | bc)") s"
  fi
  secs="$(echo "$t1 - $t0" | bc)"
  printf '%-44s %5s %7.1f %7.2f  %-32s %s\n' "$name" "$pages" "$secs" "$(echo "$pages / $secs" | bc -l)" "$ours" "$theirs"
done

echo "== sustained: every *.scan300.pdf in one ingest"
pages="$(for f in "$shared"/corpus/scanned/*.scan300.pdf; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | paste -sd+ | bc)"
t0="$(now)"
# CPU seconds (the workers' included) say more than wall time on a shared machine.
/usr/bin/time -f "peak RSS %M KB, CPU %U s user + %S s system" "$dossier" --data "$work/data-all" ingest -q "${ingest_args[@]}" \
  "$shared"/corpus/scanned/*.scan300.pdf
t1="$(now)"
secs="$(echo "$t1 - $t0" | bc)"
printf 'scan300: %s pages in %.1f s = %.2f pages/s\n' "$pages" "$secs" "$(echo "$pages / $secs" | bc -l)"
