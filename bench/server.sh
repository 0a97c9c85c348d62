#!/usr/bin/env bash
# Server benchmark: generates an archive of COUNT (default 10000) synthetic
# reports (bench/gen_corpus.py: text files, English/Spanish/French, with
# organisations and recommendations), ingests it, starts dossierd, and runs
# wrk (installing Debian's wrk when missing: needs root) twice, rotating
# through realistic requests:
#   1. searches (bench/gen_corpus.py's queries: words, AND, OR, phrases,
#      wildcards, year/org/lang filters);
#   2. lookups: /v1/entities/{id}, /v1/recommendations?doc=ID,
#      /v1/documents/{id}, /v1/graph/neighbors/{node}.
# Prints p50, p99 and requests/s for each, the targets (p99 < 25 ms for
# search, < 10 ms for lookups), the load average, dossierd's CPU time per
# request (user + system, from /proc: independent of how busy the machine is)
# and its memory after each run (peak and current RSS, of which the index's
# and libraries' mapped files; target under 300 MB).
# Both runs are made twice: against dossierd as it ships, whose response
# cache answers repeats of the 400 searches and 300 lookups from memory (each
# is first sent once, one at a time, which gives the latency of a computed
# request without queueing), and with --cache-mb 0, where every request
# under wrk is computed.
# wrk keeps CONNECTIONS requests in flight, so by Little's law the mean
# latency is about CONNECTIONS / (requests/s): meeting a p99 target at
# -c32 takes a throughput well above 32 / target.
#
# Last, a distinct-query run: 30,000 one- and two-word searches drawn from
# the archive's vocabulary (bench/vocab_queries.py), cache off, then the same
# from one client (wrk -t1 -c1: one connection kept alive, no queueing;
# target p99 < 3 ms); and both on a data folder of real PDFs when REAL_DATA
# names one.
#
# Usage: bench/server.sh [BUILD_DIR]        (default: build)
# Environment: BENCH_DIR (default /tmp/dossier-bench; an archive already
# ingested there is reused), COUNT, DURATION (default 20s), CONNECTIONS
# (default 32), THREADS (wrk threads, default 2), SERVER_THREADS (dossierd
# --threads, default its own), DISTINCT (default 30000), REAL_DATA.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
work="${BENCH_DIR:-/tmp/dossier-bench}"
count="${COUNT:-10000}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-32}"
wrk_threads="${THREADS:-2}"
dossier="$build/bin/dossier"
dossierd="$build/bin/dossierd"
# Before anything else: without them the archive below would look empty and
# be generated again (its folder emptied first).
for binary in "$dossier" "$dossierd"; do
  if [[ ! -x "$binary" ]]; then
    echo "bench/server.sh: $binary is missing: give a build folder holding bin/dossier and bin/dossierd" >&2
    exit 2
  fi
done

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian package)"
  if [[ $(id -u) -ne 0 ]]; then echo "bench/server.sh: wrk is missing; run as root or apt-get install wrk" >&2; exit 2; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
mkdir -p "$work"

documents() { "$dossier" --data "$work/data" stats --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null || echo unreadable; }
have=0
if [[ -d "$work/data" ]]; then
  have="$(documents)"
  if [[ "$have" == unreadable ]]; then
    echo "bench/server.sh: $work/data exists but $dossier cannot read it (dossier --data $work/data stats); remove it to generate the archive again" >&2
    exit 2
  fi
fi
if [[ "$have" -lt "$count" ]]; then
  echo "== generating $count documents in $work/docs"
  rm -rf "$work/docs" "$work/data"
  python3 "$root/bench/gen_corpus.py" "$work/docs" "$count" "$work/queries.txt"
  echo "== ingesting"
  start=$(date +%s.%N)
  "$dossier" --data "$work/data" ingest -q "$work/docs"
  echo "ingested in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
else
  echo "== reusing $have documents in $work/data"
fi
[[ -f "$work/queries.txt" ]] || python3 "$root/bench/gen_corpus.py" "$work/docs-unused" 0 "$work/queries.txt"

source "$root/bench/dossierd_port.sh"
start_server() {  # extra dossierd arguments
  log="$work/dossierd.log"
  local server_args=(--data "$work/data" --listen 127.0.0.1:0 --quiet "$@")
  [[ -n "${SERVER_THREADS:-}" ]] && server_args+=(--threads "$SERVER_THREADS")
  echo "== starting dossierd ${*}"
  "$dossierd" "${server_args[@]}" 2>"$log" &
  server_pid=$!
  port="$(dossierd_port "$log")" || exit 1
  base="http://127.0.0.1:$port"
  head -1 "$log"
}
stop_server() { kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
trap stop_server EXIT
start_server

echo "== collecting lookup targets"
python3 - "$base" "$work/lookups.txt" <<'EOF'
import json, sys, urllib.request, urllib.parse
base, out = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(base + path))
entities = get("/v1/entities?limit=200")["entities"]
docs = get("/v1/documents?limit=300&offset=1000")["documents"]
paths = []
for i in range(300):
    e = entities[i % len(entities)]
    d = docs[i % len(docs)]
    kind = i % 4
    if kind == 0: paths.append("/v1/entities/" + e["id"])
    elif kind == 1: paths.append("/v1/recommendations?doc=" + d["id"])
    elif kind == 2: paths.append("/v1/documents/" + d["id"])
    else: paths.append("/v1/graph/neighbors/D:" + d["id"])
open(out, "w").write("\n".join(paths) + "\n")
print(f"{len(paths)} lookups over {len(entities)} entities and {len(docs)} documents")
EOF

cat > "$work/rotate.lua" <<'EOF'
-- Sends the requests of PATHS_FILE in turn (each wrk thread from its own offset).
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do if #line > 0 then paths[#paths + 1] = line end end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
EOF

cpu_seconds() {  # dossierd's user + system CPU time so far
  python3 -c 'import os,sys; f=open("/proc/%s/stat" % sys.argv[1]).read().rsplit(")",1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf("SC_CLK_TCK"))' "$server_pid"
}

run() {  # NAME PATHS_FILE TARGET_MS
  local name="$1" file="$2" target="$3" out="$work/wrk-$1.txt"
  echo "== $name: wrk -t$wrk_threads -c$connections -d$duration --latency ($(wc -l <"$file") distinct requests)"
  echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  local cpu_before; cpu_before="$(cpu_seconds)"
  PATHS_FILE="$file" wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$work/rotate.lua" "$base" >"$out"
  local cpu_after; cpu_after="$(cpu_seconds)"
  echo "   load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E "^\s+(50|75|90|99)%|Requests/sec|Non-2xx|Socket errors|requests in" "$out" | sed 's/^/   /'
  python3 - "$out" "$name" "$target" "$cpu_before" "$cpu_after" <<'EOF'
import re, sys
text, name, target = open(sys.argv[1]).read(), sys.argv[2], float(sys.argv[3])
cpu = float(sys.argv[5]) - float(sys.argv[4])
def ms(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % p, text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50, p99 = ms(50), ms(99)
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
requests = int(re.search(r"(\d+) requests in", text).group(1))
print(f"RESULT {name}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, {rps:.0f} requests/s, non-2xx {bad.group(1) if bad else 0},"
      f" dossierd CPU {1000 * cpu / max(requests, 1):.2f} ms/request"
      f" -> p99 target {target:g} ms {'met' if p99 < target else 'NOT met'}")
EOF
  memory
}

memory() {  # dossierd's peak and current memory (target: under 300 MB)
  python3 - "$server_pid" <<'EOF'
import sys
status = dict(line.split(":", 1) for line in open("/proc/%s/status" % sys.argv[1]) if ":" in line)
mb = lambda key: int(status[key].split()[0]) / 1024
print(f"   dossierd memory: peak (VmHWM) {mb('VmHWM'):.0f} MB, now {mb('VmRSS'):.0f} MB"
      f" ({mb('RssAnon'):.0f} MB its own, {mb('RssFile'):.0f} MB of mapped files: the index and libraries)"
      f" -> target 300 MB {'met' if mb('VmHWM') < 300 else 'NOT met'}")
EOF
}

first_pass() {  # NAME PATHS_FILE: each distinct request once, one at a time (all computed: the cache is empty)
  python3 - "$base" "$2" "$1" <<'EOF2'
import sys, time, urllib.parse, urllib.request
base, paths, name = sys.argv[1], [l.strip() for l in open(sys.argv[2]) if l.strip()], sys.argv[3]
ms = []
for p in paths:
    p = "".join(c if ord(c) < 128 else urllib.parse.quote(c) for c in p)  # wrk sends the raw bytes
    start = time.perf_counter()
    with urllib.request.urlopen(base + p) as r:
        r.read()
    ms.append(1000 * (time.perf_counter() - start))
ms.sort()
pick = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print(f"RESULT {name} first pass, one client, every request computed: {len(ms)} requests,"
      f" p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms, max {ms[-1]:.2f} ms")
EOF2
}

echo "== with the response cache (the default): each distinct request computed once, one client at a time, then wrk on the warm cache"
first_pass search "$work/queries.txt"
first_pass lookups "$work/lookups.txt"
run search "$work/queries.txt" 25
run lookups "$work/lookups.txt" 10
echo "== server after the runs: $(curl -s "$base/health")"
stop_server
echo "== without it (--cache-mb 0): every request computed"
start_server --cache-mb 0
run search-uncached "$work/queries.txt" 25
run lookups-uncached "$work/lookups.txt" 10
echo "== server after the runs: $(curl -s "$base/health")"

# Distinct queries (issue "search under load"): DISTINCT (default 30,000)
# one- and two-word searches drawn from the archive's own vocabulary
# (bench/vocab_queries.py), cache off, so every request is computed and none
# repeats; target p99 < 40 ms at 10,000 documents. With REAL_DATA set to a
# data folder of real PDFs (bench/corpus.sh's, ingested), the same run
# there, target p99 < 25 ms.
distinct="${DISTINCT:-30000}"
echo "== distinct queries drawn from the vocabulary, --cache-mb 0"
python3 "$root/bench/vocab_queries.py" "$base" "$distinct" "$work/distinct.txt"
run search-distinct "$work/distinct.txt" 40
# One client (one connection, kept alive): the latency of a computed search
# with no queueing, target p99 < 3 ms.
connections=1 wrk_threads=1 run search-distinct-one-client "$work/distinct.txt" 3
stop_server
if [[ -n "${REAL_DATA:-}" ]]; then
  echo "== the same on the real PDFs of $REAL_DATA"
  "$dossierd" --data "$REAL_DATA" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$work/dossierd-real.log" &
  server_pid=$!
  port="$(dossierd_port "$work/dossierd-real.log")" || exit 1
  base="http://127.0.0.1:$port"
  python3 "$root/bench/vocab_queries.py" "$base" "$distinct" "$work/distinct-real.txt"
  run search-distinct-real "$work/distinct-real.txt" 25
  connections=1 wrk_threads=1 run search-distinct-real-one-client "$work/distinct-real.txt" 3
  stop_server
fi
