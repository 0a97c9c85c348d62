#!/usr/bin/env bash
# kill -9 under load: kills `dossier ingest` at random moments over a mixed
# folder, reruns it, and checks the data folder after each rerun.
#
#   bench/kill9.sh [--runs N] [--seed S] [--jobs J] [--build DIR] [--keep] SOURCE...
#
# SOURCE: files and folders copied into the mixed folder (text PDFs, scans,
# images, text files). The script adds a ZIP archive (the copied .txt files
# and one PDF, so some content is both in and out of the archive) and the
# broken files of bench/make_broken.py --no-bombs (truncated, encrypted, empty,
# garbage). Default SOURCE: samples/*.pdf.
#
# First one clean ingest (into its own data folder) gives the reference: its
# wall time T, its export and its stats. Then, N times (default 20), into a
# fresh data folder: `dossier ingest` is started and killed with SIGKILL after
# a random delay in [0.05 T, 0.95 T]; its worker processes must be gone within
# 10 s; what the killed run left is read (documents stored and their paths,
# failures recorded, pending markers); the same command is run again to the
# end (--report), and then:
#   1. documents == index entries, and no pending marker is left (stats);
#   2. the export (jsonl, sorted) equals the clean ingest's, and so do the
#      counts of documents, pages and failed files;
#   3. no finished file is read again: no path of a document stored before
#      the rerun is reported ingested, duplicate or failed by it, and every
#      failure recorded before it is met as "failed before and unchanged
#      since" (or is an empty file, refused from its size without a read).
# Prints one line per run and a summary; exits 1 when any run is inconsistent.
# Needs python3 (stdlib only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs=20 seed=17 jobs=2 build="$root/build" keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) echo "bench/kill9.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
sources=("$@")
if [[ ${#sources[@]} -eq 0 ]]; then sources=("$root"/samples/*.pdf); fi
dossier="$(cd "$build" && pwd)/bin/dossier"
[[ -x "$dossier" ]] || { echo "bench/kill9.sh: no $dossier (build first)" >&2; exit 2; }

work="$(mktemp -d)"
ingest_pid=""
cleanup() {
  [[ -n "$ingest_pid" ]] && kill -9 "$ingest_pid" 2>/dev/null || true
  if [[ $keep -eq 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The mixed folder.
mixed="$work/mixed"
mkdir -p "$mixed/docs"
for s in "${sources[@]}"; do cp -r "$s" "$mixed/docs/"; done
python3 - "$mixed" <<'EOF'
import os, sys, zipfile
mixed = sys.argv[1]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(mixed, "docs")) for f in fs)
texts = [f for f in files if f.endswith((".txt", ".md"))]
pdfs = [f for f in files if f.endswith(".pdf")]
with zipfile.ZipFile(os.path.join(mixed, "archive.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for f in texts:
        z.write(f, "notes/" + os.path.basename(f))
    if pdfs:
        z.write(pdfs[0], "copy-of-" + os.path.basename(pdfs[0]))
EOF
mapfile -t good_pdfs < <(find "$mixed/docs" -name '*.pdf' | sort | head -4)
[[ ${#good_pdfs[@]} -gt 0 ]] || { echo "bench/kill9.sh: the sources hold no PDF" >&2; exit 2; }
python3 "$root/bench/make_broken.py" --no-bombs "$mixed/broken" "${good_pdfs[@]}" >/dev/null
nfiles=$(find "$mixed" -type f | wc -l)

ingest() {  # DATA [ARGS...]: the ingest command every run uses (in the foreground)
  local data="$1"; shift
  "$dossier" --data "$data" ingest -j "$jobs" "$@" "$mixed"
}
# The start time of process $1 (field 22 of /proc/PID/stat), empty when it is gone.
start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }
# True while process $1, started at $2, runs. A zombie (dead, not yet reaped)
# does not count, nor a process whose memory is already released (an empty
# /proc/PID/cmdline: it is inside exit, which can take a while on a loaded machine).
alive() {
  [[ -r /proc/$1/stat && "$(start_time "$1")" == "$2" ]] || return 1
  [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]] || return 1
  [[ -n "$( { tr -d '\0' < "/proc/$1/cmdline"; } 2>/dev/null)" ]]
}
export_sorted() { "$dossier" --data "$1" export --format jsonl | sort; }

# The reference: one clean ingest.
start=$(date +%s.%N)
ingest "$work/ref" -q >/dev/null 2>&1 || true
end=$(date +%s.%N)
clean_s=$(python3 -c "print(round($end - $start, 2))")
export_sorted "$work/ref" > "$work/ref.jsonl"
"$dossier" --data "$work/ref" stats --json > "$work/ref-stats.json"
echo "mixed folder: $nfiles files (${#sources[@]} source(s), archive.zip, $(find "$mixed/broken" -type f | wc -l) broken);" \
     "clean ingest: ${clean_s} s, $(python3 -c "import json;s=json.load(open('$work/ref-stats.json'));print(s['documents'],'documents,',s['pages'],'pages,',s['ocr_pages'],'by OCR,',s['failed_files'],'failed files')")"

consistent=0 reread_total=0 leftover_total=0
for ((i = 1; i <= runs; i++)); do
  data="$work/data"
  rm -rf "$data" "$work/report.json"
  delay=$(python3 -c "import random; r=random.Random($seed*1000+$i); print(round(r.uniform(0.05, 0.95)*$clean_s, 2))")
  # The dossier process itself must be the background job (a function would put a subshell between).
  "$dossier" --data "$data" ingest -j "$jobs" -q "$mixed" >/dev/null 2>&1 &
  ingest_pid=$!
  sleep "$delay"
  # Its workers, each as pid:start-time (a pid alone could be reused by then).
  workers=""
  for w in $(ps --ppid "$ingest_pid" -o pid= 2>/dev/null); do workers+="$w:$(start_time "$w") "; done
  killed=no
  if kill -9 "$ingest_pid" 2>/dev/null; then killed=yes; fi
  wait "$ingest_pid" 2>/dev/null || true
  ingest_pid=""
  # Its workers must not outlive it.
  leftover=0
  for w in $workers; do
    for ((t = 0; t < 100; t++)); do alive "${w%%:*}" "${w#*:}" || break; sleep 0.1; done
    if alive "${w%%:*}" "${w#*:}"; then
      echo "worker ${w%%:*} still runs 10 s after the kill: $(cut -d' ' -f1-3 "/proc/${w%%:*}/stat" 2>/dev/null) $(tr '\0' ' ' < "/proc/${w%%:*}/cmdline" 2>/dev/null)" >&2
      leftover=$((leftover + 1)); kill -9 "${w%%:*}" 2>/dev/null || true
    fi
  done
  leftover_total=$((leftover_total + leftover))
  # What the killed run finished (read-only: the repair is the rerun's job).
  if [[ -d "$data" ]]; then
    "$dossier" --data "$data" stats --json > "$work/before-stats.json" 2>/dev/null || echo '{}' > "$work/before-stats.json"
    "$dossier" --data "$data" export --format jsonl > "$work/before.jsonl" 2>/dev/null || : > "$work/before.jsonl"
  else
    echo '{}' > "$work/before-stats.json"; : > "$work/before.jsonl"
  fi
  ingest "$data" -q --report "$work/report.json" >/dev/null 2>&1 || true
  "$dossier" --data "$data" stats --json > "$work/after-stats.json"
  export_sorted "$data" > "$work/after.jsonl"
  if python3 - "$work" "$i" "$delay" "$killed" "$leftover" <<'EOF'
import json, os, sys
work, run, delay, killed, leftover = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def load(name):
    try:
        return json.load(open(os.path.join(work, name)))
    except ValueError as e:
        sys.exit("run %s: %s is not JSON: %s" % (run, name, e))
ref, before, after, report = load("ref-stats.json"), load("before-stats.json"), load("after-stats.json"), load("report.json")
problems = []
if after["documents"] != after["index_entries"]:
    problems.append("documents %d != index entries %d" % (after["documents"], after["index_entries"]))
if after.get("pending", 0) != 0:
    problems.append("%d pending marker(s) left" % after["pending"])
for key in ("documents", "pages", "failed_files"):
    if after[key] != ref[key]:
        problems.append("%s %d, clean ingest %d" % (key, after[key], ref[key]))
if open(os.path.join(work, "after.jsonl")).read() != open(os.path.join(work, "ref.jsonl")).read():
    problems.append("export differs from the clean ingest's")
done = set()
for line in open(os.path.join(work, "before.jsonl")):
    if line.strip():
        done.update(json.loads(line).get("sources", []))
reread = []
met_again = 0
for f in report["files_report"]:
    if f["path"] in done and f["outcome"] in ("ingested", "duplicate", "failed"):
        reread.append(f["path"])
    if f["outcome"] == "failed" and ("failed before" in (f["message"] or "") or "empty file" in (f["message"] or "")):
        met_again += 1
recorded = before.get("failed_files", 0)
if met_again < recorded:
    problems.append("%d failure(s) recorded before the rerun, only %d met without a read" % (recorded, met_again))
if reread:
    problems.append("finished file(s) read again: " + ", ".join(reread[:5]))
if leftover:
    problems.append("%d worker(s) outlived the killed ingest" % leftover)
repaired = report.get("repaired", {})
line = ("run %2s: killed after %5s s%s: %d document(s) stored, %d pending, %d failure(s) recorded; rerun: %d ingested, "
        "%d unchanged, %d failed, repaired %d re-indexed + %d removed; finished files read again: %d; %s") % (
    run, delay, "" if killed == "yes" else " (had already ended)", before.get("documents", 0), before.get("pending", 0),
    recorded, report["ingested"], report["unchanged"], report["failed"], repaired.get("reindexed", 0),
    repaired.get("removed", 0), len(reread), "consistent" if not problems else "INCONSISTENT: " + "; ".join(problems))
print(line)
open(os.path.join(work, "reread"), "w").write(str(len(reread)))
sys.exit(1 if problems else 0)
EOF
  then consistent=$((consistent + 1)); fi
  reread_total=$((reread_total + $(cat "$work/reread")))
done
echo "kill9: $consistent of $runs runs consistent; finished files read again: $reread_total; workers outliving a kill: $leftover_total"
[[ $consistent -eq $runs ]]
