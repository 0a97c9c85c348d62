#!/usr/bin/env bash
# Invariant check on the shared corpora: every JSON Dossier emits (CLI
# --json, export records, the ingest report, dossierd's document endpoints)
# is valid UTF-8 and validates against its schema. See bench/json_check.py.
# Usage: bench/json_check.sh [BUILD_DIR] [-- INGEST_OPTIONS...]   (e.g. -- --no-ocr)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
if [ $# -gt 0 ] && [ "$1" != "--" ]; then build=$1; shift; fi
[ "${1:-}" = "--" ] && shift
corpus=../shared/corpus
if [ ! -d "$corpus/pdf" ]; then
  echo "json_check: ../shared/corpus is not here; nothing to check" >&2
  exit 2
fi
opts=()
for o in "$@"; do opts+=(--ingest-option="$o"); done
exec python3 bench/json_check.py --build "$build" "${opts[@]}" \
  "$corpus/text" "$corpus/pdf" "$corpus/mixed" "$corpus/scanned" "$corpus/images" "$corpus"/real/*.pdf
