#!/usr/bin/env bash
# Titles and dates benchmark: ingests the sample corpus (../shared/corpus:
# pdf, scanned, mixed, text) and the real set (real/*.pdf) into a fresh data
# folder, with OCR, exports the records and compares each document's title
# and date with bench/titles.tsv (written by reading the covers).
#   title right: the words of the title (folded: case, accents, punctuation)
#                and the expected title have an F1 of at least 0.8;
#   date right:  the date starts with the expected YYYY or YYYY-MM, or both
#                are empty ("-": the document prints no date).
# Prints one line per file (title and date right/WRONG, with what was chosen
# and where from) and the percentages for the real set and the samples.
# Usage: bench/titles.sh [BUILD_DIR] [--no-ocr]   (default: build)
#   --no-ocr: the text layers only (real, pdf, mixed, text; scanned/ is left
#   out and not counted), for a quick run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
corpus="$root/../shared/corpus"
if [[ ! -d "$corpus/real" ]]; then
  echo "bench/titles.sh: needs the corpus in $corpus (not found)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dossier="$build/bin/dossier"
inputs=("$corpus"/real/*.pdf "$corpus"/pdf "$corpus"/scanned "$corpus"/mixed "$corpus"/text)
options=(--timeout 3600 --ocr-page-timeout 1200)
if [[ "${2:-}" == "--no-ocr" ]]; then
  inputs=("$corpus"/real/*.pdf "$corpus"/pdf "$corpus"/mixed "$corpus"/text)
  options=(--no-ocr)
fi
# Generous limits: OCR on a busy machine is slow, and a timed-out scan would count as wrong.
"$dossier" --data "$work/data" ingest -q "${options[@]}" "${inputs[@]}"
"$dossier" --data "$work/data" export --format jsonl -o "$work/export.jsonl" >/dev/null
python3 - "$root/bench/titles.tsv" "$work/export.jsonl" "$corpus" "${2:-}" <<'PY'
import json, os, re, sys, unicodedata
expected_file, export_file, corpus, mode = sys.argv[1:5]

def words(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.findall(r"[a-z0-9]+", text)

def f1(got, want):
    g, w = words(got), words(want)
    if not g or not w:
        return 0.0
    common = 0
    pool = list(w)
    for x in g:
        if x in pool:
            pool.remove(x)
            common += 1
    if common == 0:
        return 0.0
    p, r = common / len(g), common / len(w)
    return 2 * p * r / (p + r)

records = {}
for line in open(export_file, encoding="utf-8"):
    record = json.loads(line)
    for source in record.get("sources") or [record.get("source", "")]:
        records[os.path.relpath(os.path.realpath(source), os.path.realpath(corpus))] = record

tally = {}
for line in open(expected_file, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    name, title, date = line.rstrip("\n").split("\t")
    if mode == "--no-ocr" and name.startswith("scanned/"):
        continue
    group = "real" if name.startswith("real/") else "samples"
    record = records.get(name)
    got_title = record.get("title", "") if record else ""
    got_date = (record.get("date") or "") if record else ""
    title_ok = f1(got_title, title) >= 0.8
    date_ok = (got_date == "") if date == "-" else got_date.startswith(date)
    t = tally.setdefault(group, [0, 0, 0])
    t[0] += 1
    t[1] += title_ok
    t[2] += date_ok
    print("%-72s title %-5s date %-5s | %s [%s] | %s [%s]" % (
        name, "right" if title_ok else "WRONG", "right" if date_ok else "WRONG",
        got_title[:90], (record or {}).get("title_source") or "-", got_date or "-", (record or {}).get("date_source") or "-"))
print()
all_n = sum(t[0] for t in tally.values())
for group in ("real", "samples"):
    n, titles, dates = tally.get(group, [0, 0, 0])
    if n:
        print("%-8s %2d files: titles %5.1f %% right (%d), dates %5.1f %% right (%d)" % (group, n, 100.0 * titles / n, titles, 100.0 * dates / n, dates))
titles = sum(t[1] for t in tally.values())
dates = sum(t[2] for t in tally.values())
print("%-8s %2d files: titles %5.1f %% right (%d), dates %5.1f %% right (%d)" % ("all", all_n, 100.0 * titles / all_n, titles, 100.0 * dates / all_n, dates))
PY
