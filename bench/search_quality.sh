#!/usr/bin/env bash
# Search quality benchmark: Dossier beside Recoll (recollindex + recollq) and
# Omega (omindex + quest) on the same files, scored against the judged queries
# of bench/search_queries.tsv (written before any tool was run; see its header
# for the judging rule).
#
# The files: ../shared/corpus/pdf/*.pdf, text/*.txt and real/*.pdf, copied into
# one temporary folder (pdf/, text/, real/) that all three tools index:
#   Dossier: dossier --data DIR ingest -q --no-ocr FILES (every file has a text
#            layer), then dossier search --json --limit 5 QUERY;
#   Recoll:  a temporary RECOLL_CONFDIR whose topdirs is that folder, stemming
#            for english, french and spanish; recollq -n 5 -s LANG -A -p 1 QUERY
#            (query language, each query with its own language's stemming, and
#            one snippet per hit with its page: Recoll's best place);
#   Omega:   omindex --db DB --url / FOLDER (PDFs through pdftotext), then
#            quest -d DB -m 5 QUERY (its defaults: OR, BM25, english stemming;
#            quest gives no page, so it has no best-page figure).
# Then bench/search_quality.py prints, per tool:
#   P@5 = mean over queries of (relevant in the top 5) / min(5, relevant documents)
#   best page = share of queries whose top result is relevant and whose page is
#               one of the judged best pages for it
# and, with --verbose, each query's top 5 per tool (+ relevant, - not) and pages.
#
# Usage: bench/search_quality.sh [BUILD_DIR] [--verbose] [--keep]
# Needs the bench tools: bash scripts/install-deps.sh --bench (recollcmd,
# xapian-omega, xapian-tools, poppler-utils, python3). Not run in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
verbose=()
keep=0
for arg in "$@"; do
  case "$arg" in
    --verbose) verbose=(--verbose) ;;
    --keep) keep=1 ;;
    *) build="$(cd "$arg" && pwd)" ;;
  esac
done
corpus="$root/../shared/corpus"
if [[ ! -d "$corpus/real" || ! -d "$corpus/pdf" || ! -d "$corpus/text" ]]; then
  echo "bench/search_quality.sh: needs the corpus in $corpus (pdf/, text/, real/; not found)" >&2
  exit 2
fi
missing=()
for tool in recollindex recollq omindex quest pdftotext python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "bench/search_quality.sh: missing ${missing[*]}: run 'bash scripts/install-deps.sh --bench' as root" >&2
  exit 2
fi
dossier="$build/bin/dossier"
[[ -x "$dossier" ]] || { echo "bench/search_quality.sh: no $dossier (build first)" >&2; exit 2; }

work="$(mktemp -d)"
if ((keep)); then echo "work folder kept: $work"; else trap 'rm -rf "$work"' EXIT; fi
files="$work/files"
mkdir -p "$files/pdf" "$files/text" "$files/real"
cp "$corpus"/pdf/*.pdf "$files/pdf/"
cp "$corpus"/text/*.txt "$files/text/"
cp "$corpus"/real/*.pdf "$files/real/"
count=$(find "$files" -type f | wc -l)
echo "indexing $count files with each tool"

start=$EPOCHREALTIME
"$dossier" --data "$work/dossier" ingest -q --no-ocr "$files"/pdf/*.pdf "$files"/text/*.txt "$files"/real/*.pdf
t_dossier=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

mkdir -p "$work/recoll"
cat >"$work/recoll/recoll.conf" <<EOF
topdirs = $files
dbdir = $work/recoll/xapiandb
indexstemminglanguages = english french spanish
noaspell = 1
EOF
start=$EPOCHREALTIME
recollindex -c "$work/recoll" -z >"$work/recollindex.log" 2>&1 || { cat "$work/recollindex.log" >&2; exit 1; }
t_recoll=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')

start=$EPOCHREALTIME
omindex --db "$work/omega" --url / "$files" >"$work/omindex.log" 2>&1 || { cat "$work/omindex.log" >&2; exit 1; }
t_omega=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
printf 'index time (wall, s): dossier %.1f, recoll %.1f, omega %.1f\n\n' "$t_dossier" "$t_recoll" "$t_omega"

python3 "$root/bench/search_quality.py" "$root/bench/search_queries.tsv" "$files" \
  "dossier=$dossier,$work/dossier" "recoll=$work/recoll" "omega=$work/omega" "${verbose[@]}"
