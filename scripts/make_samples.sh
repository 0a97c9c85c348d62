#!/usr/bin/env bash
# Regenerate the shipped sample archive: samples/*.pdf from samples/src/*.txt.
#
# Usage: scripts/make_samples.sh
#
# Each document is listed below on one line:
#   name|title|author|date (YYYY-MM-DD)|language
# The PDF is written to samples/<name>.pdf from samples/src/<name>.txt by
# scripts/make_pdf.py (Python 3 standard library only). Output is
# deterministic, so rerunning the script on unchanged sources changes nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/samples/src"
OUT="$ROOT/samples"
MAKE_PDF="$ROOT/scripts/make_pdf.py"
PYTHON="${PYTHON:-python3}"

DOCUMENTS=(
  "ard_rwap_evaluation_2019|Evaluation of the Rural Water Access Programme, 2014–2018|Agency for Rural Development (ARD), Independent Evaluation Office|2019-11-12|en"
  "ard_rwap_management_response_2020|Management response to the evaluation of the Rural Water Access Programme|Agency for Rural Development (ARD)|2020-10-09|en"
  "mep_evaluacion_pae_2021|Evaluación del Programa de Alimentación Escolar, 2016–2020|Ministerio de Educación Pública, Dirección de Evaluación y Seguimiento|2021-03-15|es"
  "jp_local_services_review_2022|Joint Programme on Local Social Services: mid-term review|Lakeshore Policy Associates|2022-09-06|en"
)

for entry in "${DOCUMENTS[@]}"; do
  IFS='|' read -r name title author date lang <<<"$entry"
  "$PYTHON" "$MAKE_PDF" "$SRC/$name.txt" "$OUT/$name.pdf" \
    --title "$title" --author "$author" --date "$date" --lang "$lang" --aligned-tables
  echo "wrote samples/$name.pdf"
done

# Warn about sources that have no line above.
for txt in "$SRC"/*.txt; do
  name="$(basename "$txt" .txt)"
  found=0
  for entry in "${DOCUMENTS[@]}"; do
    [[ "${entry%%|*}" == "$name" ]] && found=1
  done
  if [[ $found -eq 0 ]]; then
    echo "warning: samples/src/$name.txt is not listed in $0" >&2
  fi
done
