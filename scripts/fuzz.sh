#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, preset "fuzz": clang, ASan + UBSan) if
# needed and runs each for SECONDS (default 30), one process at a time, from
# the committed seeds in fuzz/corpus/<target>/. New inputs go to a scratch
# corpus (build-fuzz/corpus/<target>/), crashes, timeouts and out-of-memory
# inputs to build-fuzz/artifacts/. Prints executions and crashes per target;
# exits non-zero if any target crashed.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 120 dates_fuzzer
#   scripts/fuzz.sh --ci                      the CI stage: configure and build the
#                                             fuzz preset with every core, then run
#                                             every target for 30 s
#
# Needs clang 14 with its libFuzzer runtime (Debian 12: apt-get install clang-14
# libclang-rt-14-dev; scripts/install-deps.sh --test installs them).
set -u
cd "$(dirname "$0")/.."
build_jobs=1
if [ "${1:-}" = "--ci" ]; then
  shift
  set -- 30 "$@"
  build_jobs=$(nproc)
fi
seconds=${1:-30}
shift || true
targets=("$@")
all_targets=(page_layout_fuzzer table_layout_fuzzer dates_fuzzer worker_frame_fuzzer entity_names_fuzzer
             responses_fuzzer store_codec_fuzzer search_query_fuzzer http_params_fuzzer)
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (Debian: apt-get install clang)" >&2
  exit 2
fi
started=$(date +%s)
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  cmake --preset fuzz >/dev/null || exit 2
fi
build_log=build-fuzz/build.log
cmake --build build-fuzz -j"$build_jobs" --target "${targets[@]}" >"$build_log" 2>&1 \
  || { tail -40 "$build_log" >&2; echo "fuzz.sh: build failed (see $build_log)" >&2; exit 2; }
echo "fuzz.sh: built ${#targets[@]} target(s) in $(( $(date +%s) - started )) s"

failed=0
mkdir -p build-fuzz/artifacts
printf '%-22s %12s %8s  %s\n' target executions crashes result
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  log="build-fuzz/artifacts/$t.log"
  # Word pages of thousands of words need inputs of tens of kilobytes; a slow
  # input (10 s) or one above 2 GB of memory counts as a crash.
  build-fuzz/bin/"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" \
    "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -z "$execs" ] && execs=$(grep -o '#[0-9]*' "$log" | tail -1 | tr -d '#')
  crashes=0
  result=ok
  if [ $rc -ne 0 ]; then
    crashes=1
    result="CRASH: $(grep -m1 -E 'ERROR: |runtime error|ALARM|out-of-memory' "$log" | cut -c1-100) (see $log)"
    failed=1
  fi
  printf '%-22s %12s %8s  %s\n' "$t" "${execs:-?}" "$crashes" "$result"
done
echo "fuzz.sh: done in $(( $(date +%s) - started )) s"
exit $failed
