#!/usr/bin/env bash
# Soak test of dossierd: 10 minutes (--duration SECONDS) of mixed API load
# while an ingest adds and removes documents, with a SIGTERM and restart of
# dossierd halfway; reports requests, 5xx, failed requests outside the restart
# window and dossierd's RSS every 10 s. See bench/soak.py for the details.
#   bench/soak.sh [--duration SECONDS] [--clients N] [--build DIR] [--server-args "OPTIONS"] [SOURCE...]
set -euo pipefail
exec python3 "$(dirname "$0")/soak.py" "$@"
