#!/bin/bash
# GNU parallel over ssh: one partition per host of HOSTS_FILE (one ssh login
# per line, as parallel's --sshloginfile takes), each ingesting its share of
# the archive into a shard folder on that host (docs/SCALING.md). The
# archive must be at ARCHIVE on every host. Then copy the shards to one
# machine and merge:
#   dossier merge /shards/0 /shards/1 ... --into /data/archive
# Usage: scripts/cluster/parallel-ingest.sh HOSTS_FILE ARCHIVE SHARDS_DIR [--dry-run]
# --dry-run: parallel prints the commands instead of running them.
set -euo pipefail
hosts="${1:?usage: parallel-ingest.sh HOSTS_FILE ARCHIVE SHARDS_DIR [--dry-run]}"
archive="${2:?usage: parallel-ingest.sh HOSTS_FILE ARCHIVE SHARDS_DIR [--dry-run]}"
shards="${3:?usage: parallel-ingest.sh HOSTS_FILE ARCHIVE SHARDS_DIR [--dry-run]}"
dry=()
[[ "${4:-}" == "--dry-run" ]] && dry=(--dry-run)
n=$(grep -cv '^\s*\(#\|$\)' "$hosts" || true)  # grep exits 1 when it counts 0
(( n > 0 )) || { echo "parallel-ingest.sh: $hosts lists no host" >&2; exit 2; }
command -v parallel >/dev/null || { echo "parallel-ingest.sh: GNU parallel missing (apt-get install parallel)" >&2; exit 2; }
# One job per partition, each on the next free host (-j1: one job per host
# at a time; dossier uses every core of its host itself).
seq 0 $((n - 1)) | parallel "${dry[@]}" --sshloginfile "$hosts" -j1 --halt now,fail=1 \
  mkdir -p "$shards" "&&" "${DOSSIER:-dossier}" --data "$shards/{}" ingest --partition "{}/$n" --report "$shards/{}.report.json" "$archive"
