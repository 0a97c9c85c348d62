#!/usr/bin/env bash
# Search A/B: two dossierd builds on one data folder, over distinct queries
# drawn from its vocabulary (bench/vocab_queries.py), with the response cache
# off. Prints, for each build:
#   1. whether its responses are byte for byte the other's (every query);
#   2. dossierd's CPU time a search (user + system from /proc, over the
#      queries sent by one client after 50 warm-up ones), and the client's
#      p50/p99, in ROUNDS interleaved rounds (A, B, A, B, ...): the machine's
#      noise (±0.2 ms here) shows as the spread between rounds;
#   3. with CALLGRIND=1, the instructions a search (valgrind's callgrind,
#      the HTTP handler's inclusive count over the first 100 queries, two
#      server threads): the same from run to run, so a change of a few
#      percent shows where the CPU time's noise hides it.
#
# Usage: bench/search_ab.sh DOSSIERD_A DOSSIERD_B DATA_FOLDER [QUERIES]
# QUERIES: a file of /v1/search?... lines; made (400 queries) when absent.
# Environment: ROUNDS (default 3), CALLGRIND (default 0), WORK (where the
# logs and responses go; default a temporary folder, removed at the end).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/dossierd_port.sh"
[[ $# -ge 3 ]] || { awk 'NR > 1 && /^#/ {print; next} NR > 1 {exit}' "$0" >&2; exit 2; }
bin_a="$1" bin_b="$2" data="$3" queries="${4:-}"
rounds="${ROUNDS:-3}"
work="${WORK:-}"
own_work=0
if [[ -z "$work" ]]; then work="$(mktemp -d)"; own_work=1; fi
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ $own_work == 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# start BIN LOG [EXTRA...]: a dossierd on DATA, cache off; sets $pid and $port.
start() {
  local bin="$1" log="$2"
  shift 2
  : >"$log"
  "$@" "$bin" --data "$data" --listen 127.0.0.1:0 --quiet --cache-mb 0 2>"$log" &
  pid=$!
  pids+=("$pid")
  port="$(dossierd_port "$log")"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

if [[ -z "$queries" ]]; then
  queries="$work/queries.txt"
  start "$bin_a" "$work/vocab.log"
  python3 "$root/bench/vocab_queries.py" "http://127.0.0.1:$port" 400 "$queries" >/dev/null
  stop "$pid"
fi
echo "queries: $(wc -l <"$queries") from $queries"

# 1. The same responses?
start "$bin_a" "$work/a.log"; pid_a=$pid port_a=$port
start "$bin_b" "$work/b.log"; pid_b=$pid port_b=$port
differ=0
while read -r q; do
  curl -s "http://127.0.0.1:$port_a$q" >"$work/ra"
  curl -s "http://127.0.0.1:$port_b$q" >"$work/rb"
  if ! cmp -s "$work/ra" "$work/rb"; then
    differ=$((differ + 1))
    [[ $differ -le 3 ]] && echo "  differs: $q"
  fi
done <"$queries"
stop "$pid_a"; stop "$pid_b"
echo "RESULT responses: $differ of $(wc -l <"$queries") differ between A and B"

# 2. CPU time a search, interleaved rounds.
send() {  # BASE FILE: one client, prints p50/p99
  python3 - "$1" "$2" <<'PY'
import sys, time, urllib.request
base, path = sys.argv[1], sys.argv[2]
lat = []
for line in open(path):
    t = time.perf_counter()
    with urllib.request.urlopen(base + line.strip()) as r:
        r.read()
    lat.append((time.perf_counter() - t) * 1000)
lat.sort()
print(f"p50 {lat[len(lat) // 2]:.2f} ms, p99 {lat[int(len(lat) * .99)]:.2f} ms")
PY
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"
n="$(wc -l <"$queries")"
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    bin="$bin_a"; [[ $side == B ]] && bin="$bin_b"
    start "$bin" "$work/cpu.log"
    head -50 "$queries" | while read -r q; do curl -s "http://127.0.0.1:$port$q" >/dev/null; done
    t0="$(ticks "$pid")"
    latency="$(send "http://127.0.0.1:$port" "$queries")"
    t1="$(ticks "$pid")"
    rss="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
    stop "$pid"
    cpu="$(python3 -c "print(f'{($t1 - $t0) * 1000 / $hz / $n:.2f}')")"
    echo "RESULT round $round $side: CPU $cpu ms a search, $latency, peak RSS $((rss / 1024)) MB"
  done
done

# 3. Instructions a search.
if [[ "${CALLGRIND:-0}" == 1 ]]; then
  command -v valgrind >/dev/null || { echo "CALLGRIND=1 needs valgrind (apt-get install valgrind)" >&2; exit 2; }
  head -100 "$queries" >"$work/q100.txt"
  for side in A B; do
    bin="$bin_a"; [[ $side == B ]] && bin="$bin_b"
    out="$work/callgrind.$side.out"
    rm -f "$out"
    : >"$work/cg.log"
    # (Under valgrind's LD_PRELOAD dossierd keeps glibc's allocator
    # defaults: the thread caches it runs with in service are set here,
    # unless GLIBC_TUNABLES says otherwise. docs/HTTP_API.md, "Memory allocation".)
    GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.tcache_count=128}" \
      valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --data "$data" --listen 127.0.0.1:0 --quiet \
      --cache-mb 0 --threads 2 2>"$work/cg.log" &
    vpid=$!
    pids+=("$vpid")
    port=""
    for _ in $(seq 1 600); do  # valgrind starts slowly
      port="$(grep -ao 'listening on http://127.0.0.1:[0-9]*' "$work/cg.log" | grep -o '[0-9]*$' || true)"
      [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
      sleep 0.2
    done
    while read -r q; do curl -s "http://127.0.0.1:$port$q" >/dev/null; done <"$work/q100.txt"
    kill -INT "$vpid"; wait "$vpid" 2>/dev/null || true
    total="$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep 'HttpApi::Handle(' | head -1 | awk '{gsub(",", "", $1); print $1}')"
    echo "RESULT instructions $side: $(python3 -c "print(f'{$total / 100 / 1e6:.2f}')") M a search (callgrind, 100 queries)"
  done
fi
