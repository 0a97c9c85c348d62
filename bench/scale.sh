#!/usr/bin/env bash
# Scale-out benchmark (issue 22): the same files ingested into one data folder
# and, with --partition K/3, into three shard folders at once (one worker
# each), then `dossier merge` of the shards; wall time and CPU of each, the
# merge's share of the single ingest, pages per CPU-second (per core), and
# whether the merged folder exports as the single one (JSON lines sorted,
# JSON-LD and GraphML as they are). On a 2-core machine the three partitions
# show the overhead of splitting, not a speed-up: each shard machine of a
# real cluster runs one of them.
#
# Usage: bench/scale.sh [FOLDER]   (default: build/bench-corpus/timed, made by bench/corpus.sh)
# Environment: BUILD (default build), WORK (default /tmp/dossier-scale-bench). Not run in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$root/build/bench-corpus/timed}"
bin="$(cd "${BUILD:-$root/build}" && pwd)/bin"
work="${WORK:-/tmp/dossier-scale-bench}"
[[ -d "$src" ]] || { echo "bench/scale.sh: no folder $src (bench/corpus.sh makes one)" >&2; exit 2; }
[[ -x "$bin/dossier" ]] || { echo "bench/scale.sh: build first ($bin/dossier)" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work"
timed() {  # timed LABEL COMMAND...: runs it, prints and records wall and CPU seconds
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S" -o "$work/$label.time" "$@"
  read -r wall user sys < "$work/$label.time"
  printf '%-14s wall %7.2f s   CPU %7.2f s (user %.2f, sys %.2f)\n' "$label" "$wall" "$(awk "BEGIN {print $user + $sys}")" "$user" "$sys"
}
echo "files: $(find "$src" -type f | wc -l) in $src"
timed single "$bin/dossier" --data "$work/single" ingest -q --no-compact "$src"
timed partitions bash -c "for k in 0 1 2; do '$bin/dossier' --data '$work/shard'\$k ingest -q --no-compact --jobs 1 --partition \$k/3 '$src' & done; wait"
timed merge "$bin/dossier" merge -q "$work/shard0" "$work/shard1" "$work/shard2" --into "$work/merged"
pages=$("$bin/dossier" --data "$work/single" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"])')
read -r s_wall s_user s_sys < "$work/single.time"
read -r p_wall p_user p_sys < "$work/partitions.time"
read -r m_wall m_user m_sys < "$work/merge.time"
python3 - "$pages" "$s_wall" "$s_user" "$s_sys" "$p_wall" "$p_user" "$p_sys" "$m_wall" <<'PY'
import sys
pages, sw, su, ss, pw, pu, ps, mw = (float(x) for x in sys.argv[1:])
print(f"pages: {pages:.0f}")
print(f"single ingest: {pages / sw:.1f} pages/s wall, {pages / (su + ss):.1f} pages per CPU-second (one core)")
print(f"3 partitions:  {pages / pw:.1f} pages/s wall, CPU {pu + ps:.1f} s = {100 * ((pu + ps) / (su + ss) - 1):+.1f} % against one folder")
print(f"merge: {mw:.2f} s = {100 * mw / sw:.1f} % of the single ingest's wall time (target <= 10 %)")
PY
same=yes
for format in jsonl jsonld graphml; do
  "$bin/dossier" --data "$work/single" export --format "$format" | sort > "$work/single.$format"
  "$bin/dossier" --data "$work/merged" export --format "$format" | sort > "$work/merged.$format"
  cmp -s "$work/single.$format" "$work/merged.$format" || { same=no; echo "export $format differs: diff $work/single.$format $work/merged.$format"; }
done
echo "merged exports equal to the single folder's (sorted): $same"
du -sh "$work/single" "$work/merged" "$work"/shard? | sed 's/^/size: /'
