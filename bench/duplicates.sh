#!/usr/bin/env bash
# Near-duplicate detection on the sample corpus and the real set: ingests
# text/, pdf/, scanned/ (OCR), mixed/, images/ and real/*.pdf of the shared
# corpus into a fresh data folder, then prints
#   - the linked pairs (`dossier duplicates --json`) with their similarity,
#   - the pairs expected (every two versions of one sample document: its text,
#     its PDF, its scans, a page image that is the whole document), the ones
#     missed, and the false ones (two different documents: every pair in
#     real/ is false),
#   - the distribution: the exact resemblance of every pair of documents that
#     share at least 5 % of their shingles (dossier_bench_duplicates).
# A pair between a mixed/ file ("000+001-…": the evaluation with the memo
# annexed) and a version of a document it wholly contains is counted apart,
# as "contains", neither expected nor false.
# Usage: bench/duplicates.sh [--data DIR] [--jobs N] [CORPUS]
#        (default CORPUS: ../shared/corpus beside the repository; DATA: a
#        temporary folder, removed at the end unless --data is given)
# Needs: a build in build/ (cmake --build build), python3, pdfinfo.
# OCR of the eight scanned PDFs takes a few minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/bin"
[[ -x "$bin/dossier_bench_duplicates" ]] || { echo "bench/duplicates.sh: $bin/dossier_bench_duplicates is missing: build the benchmarks with cmake -S . -B build -DBUILD_TESTING=ON" >&2; exit 2; }
data="" jobs="" corpus="$root/../shared/corpus"
while (( $# )); do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) corpus="$1"; shift ;;
  esac
done
corpus="$(cd "$corpus" && pwd)"
keep=1
if [[ -z "$data" ]]; then data="$(mktemp -d /tmp/dossier-duplicates-XXXXXX)"; keep=0; fi
trap '[[ $keep == 1 ]] || rm -rf "$data"' EXIT
dossier=("$bin/dossier" --data "$data" --plugin-dir "$root/build/lib/dossier/plugins")

echo "duplicates.sh: ingesting $corpus (samples with OCR, and real/*.pdf) into $data" >&2
start=$(date +%s)
"${dossier[@]}" ingest -q ${jobs:+--jobs "$jobs"} "$corpus/text" "$corpus/pdf" "$corpus/scanned" "$corpus/mixed" \
  "$corpus/images" "$corpus"/real/*.pdf
echo "duplicates.sh: ingest took $(( $(date +%s) - start )) s" >&2

"${dossier[@]}" duplicates --json --limit 1000 > "$data/duplicates.json"
"$bin/dossier_bench_duplicates" "$data" --min 0.05 > "$data/resemblance.tsv"

python3 - "$corpus" "$data/duplicates.json" "$data/resemblance.tsv" <<'PY'
import json, os, re, subprocess, sys
corpus, dup_path, tsv_path = sys.argv[1:4]
groups = json.load(open(dup_path))["groups"]

def rel(path):
    return os.path.relpath(path, corpus)

def stem(path):
    return os.path.basename(path).split(".")[0]

def pages(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0

# The versions of each sample document, by the corpus layout (corpus README):
# text/X.txt, pdf/X.pdf, scanned/X.*.pdf, and images/X.pageN.* when X has one page.
versions = {}
for folder in ("text", "pdf", "scanned", "images"):
    d = os.path.join(corpus, folder)
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if folder == "images" and pages(os.path.join(corpus, "pdf", stem(name) + ".pdf")) != 1:
            continue  # one page of a longer document: a part, not a version
        versions.setdefault(stem(name), []).append(rel(path))
expected = set()
for docs in versions.values():
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            expected.add(tuple(sorted((a, b))))
contains = {}  # mixed/A+B-… -> the stems it holds whole
for name in os.listdir(os.path.join(corpus, "mixed")):
    contains[rel(os.path.join(corpus, "mixed", name))] = set(name.split("-")[0].split("+"))

found = {}
for g in groups:
    source = {d["id"]: rel(d["source"]) for d in g["documents"]}
    for p in g["pairs"]:
        a, b = (source[x] for x in p["documents"])
        found[tuple(sorted((a, b)))] = p["similarity"]

def kind(pair):
    if pair in expected:
        return "expected"
    for m, stems in contains.items():
        if m in pair:
            other = pair[0] if pair[1] == m else pair[1]
            if not other.startswith("real/") and any(stem(other).startswith(s + "_") for s in stems):
                return "contains"
    return "FALSE"

print("Pairs found (similarity = MinHash estimate of shared 4-word shingles):")
for pair, sim in sorted(found.items(), key=lambda x: (-x[1], x[0])):
    print(f"  {sim:.2f}  {pair[0]}  ~  {pair[1]}   [{kind(pair)}]")
missed = sorted(expected - set(found))
false = sorted(p for p in found if kind(p) == "FALSE")
print(f"\nExpected pairs: {len(expected)}; found: {len(expected & set(found))}; missed: {len(missed)}; "
      f"false: {len(false)}; contains (mixed file ~ a document it holds): {sum(1 for p in found if kind(p) == 'contains')}")
for p in missed:
    print(f"  missed: {p[0]}  ~  {p[1]}")
for p in false:
    print(f"  FALSE:  {p[0]}  ~  {p[1]}")

print("\nDistribution (exact resemblance of every pair sharing >= 5 % of shingles):")
rows = []
with open(tsv_path) as f:
    next(f)
    for line in f:
        exact, estimate, linked, na, nb, a, b = line.rstrip("\n").split("\t")
        pair = tuple(sorted((rel(a), rel(b))))
        rows.append((float(exact), float(estimate), linked, kind(pair), pair))
for label in ("expected", "contains", "FALSE"):
    values = sorted(r[0] for r in rows if r[3] == label)
    if label == "expected":  # an expected pair under 5 % counts as 0
        values = sorted(values + [0.0] * (len(expected) - len(values)))
    if values:
        print(f"  {'different documents' if label == 'FALSE' else label:20s} n={len(values):3d}  min {values[0]:.3f}  "
              f"median {values[len(values)//2]:.3f}  max {values[-1]:.3f}")
for r in sorted(rows, key=lambda r: -r[0]):
    if r[3] == "FALSE" and r[0] >= 0.05:
        print(f"  different: exact {r[0]:.3f} estimate {r[1]:.3f}  {r[4][0]}  ~  {r[4][1]}")
lowest = sorted((r for r in rows if r[3] == "expected"), key=lambda r: r[0])[:5]
for r in lowest:
    print(f"  lowest expected: exact {r[0]:.3f} estimate {r[1]:.3f} linked {r[2]}  {r[4][0]}  ~  {r[4][1]}")
PY
