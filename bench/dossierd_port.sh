#!/usr/bin/env bash
# Sourced by the server benchmarks. dossierd_port LOG: waits (up to 10 s) for
# a dossierd started with --listen 127.0.0.1:0 and logging to LOG to name its
# port and answer /ready, then prints the port; prints the log to stderr and
# returns 1 when it does not.
dossierd_port() {
  local log="$1" port=""
  for _ in $(seq 1 200); do
    port="$(grep -ao 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
    if [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/ready" >/dev/null; then
      echo "$port"
      return 0
    fi
    sleep 0.05
  done
  { echo "dossierd did not start:"; cat "$log"; } >&2
  return 1
}
