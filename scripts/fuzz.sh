#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan; -DMX_FUZZ=ON in a build directory of its own) and runs
# each one, then prints one line per target: executions, seconds, corpus size, findings.
#   scripts/fuzz.sh                 every target, at least 1,000,000 executions each
#   scripts/fuzz.sh -t 8            every target for 8 s (the short pass CI runs)
#   scripts/fuzz.sh -r 200000 csv_import server_reply
# Options: -r RUNS (executions per target), -t SECONDS (time per target instead), -j JOBS (targets run at
# once; default 2), -n (configure and build only), -s (skip the build: run the targets as built).
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz).
# The seeds in tests/fuzz/corpus/<target>/ are copied to a working corpus in the build directory (the
# repository's corpus does not grow on its own); a finding is saved to $FUZZ_BUILD_DIR/findings/<target>/
# and makes the script exit 1. Add it to tests/fuzz/corpus/<target>/ with the fix: the fuzzreplay_<target>
# unit test of the normal build replays it from then on.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$REPO_ROOT/build-fuzz}"
RUNS=1000000
SECONDS_PER_TARGET=0
JOBS=2
BUILD_ONLY=0
SKIP_BUILD=0
while getopts "r:t:j:ns" opt; do
    case "$opt" in
    r) RUNS="$OPTARG" ;;
    t) SECONDS_PER_TARGET="$OPTARG" ;;
    j) JOBS="$OPTARG" ;;
    n) BUILD_ONLY=1 ;;
    s) SKIP_BUILD=1 ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
ALL_TARGETS=(csv_import json_import cell_codec connection_uri loadtest_report query_file server_reply)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL_TARGETS[@]}")

CLANG="$(command -v clang++-14 || command -v clang++ || true)"
if [[ -z "$CLANG" || ! -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a ]]; then
    echo "fuzz: installing clang-14 and libclang-rt-14-dev (libFuzzer)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends clang-14 libclang-rt-14-dev \
        </dev/null >/dev/null
    CLANG="$(command -v clang++-14)"
fi
LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ ! -f "$BUILD/build.ninja" ]]; then
    # -O1 and line tables only (enough for a finding's stack trace): a cheaper build than -O2 -g, for CI.
    cmake -S "$REPO_ROOT" -B "$BUILD" -G Ninja -DMX_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
        -DCMAKE_CXX_COMPILER="$CLANG" "${LAUNCHER[@]}" >/dev/null
fi
build_start=$(date +%s)
if ((!SKIP_BUILD)); then
    cmake --build "$BUILD" -j2 --target $(printf 'fuzz_%s ' "${TARGETS[@]}") | tail -n 1
    echo "fuzz: build took $(($(date +%s) - build_start)) s"
fi
((BUILD_ONLY)) && exit 0

if ((SECONDS_PER_TARGET > 0)); then
    LIMIT=(-max_total_time="$SECONDS_PER_TARGET")
    echo "fuzz: $SECONDS_PER_TARGET s per target, $JOBS at once"
else
    LIMIT=(-runs="$RUNS")
    echo "fuzz: $RUNS executions per target, $JOBS at once"
fi

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
run_target() {
    local t="$1" work="$BUILD/corpus/$1" found="$BUILD/findings/$1" log="$BUILD/logs/$1.log"
    mkdir -p "$work" "$found" "$BUILD/logs"
    cp -n "$REPO_ROOT/tests/fuzz/corpus/$t/"* "$work/" 2>/dev/null || true
    local start rc=0
    start=$(date +%s.%N)
    "$BUILD/tests/fuzz/fuzz_$t" "${LIMIT[@]}" -max_len=65536 -timeout=20 -rss_limit_mb=2560 \
        -print_final_stats=1 -artifact_prefix="$found/" "$work" >"$log" 2>&1 || rc=$?
    local secs execs
    secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
    execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -n 1)
    local n
    n=$(find "$found" -type f | wc -l)
    printf '%-16s %12s %8s %8s %9s\n' "$t" "${execs:-?}" "$secs" "$(find "$work" -type f | wc -l)" \
        "$([[ $rc == 0 && $n == 0 ]] && echo 0 || echo "$n (rc $rc)")" >"$BUILD/logs/$t.line"
}

printf '%-16s %12s %8s %8s %9s\n' target executions seconds corpus findings
running=0
for t in "${TARGETS[@]}"; do
    run_target "$t" &
    running=$((running + 1))
    if ((running >= JOBS)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true
failed=0
for t in "${TARGETS[@]}"; do
    cat "$BUILD/logs/$t.line"
    grep -q ' 0$' "$BUILD/logs/$t.line" || failed=1
done
if ((failed)); then
    echo "fuzz: FINDINGS (logs: $BUILD/logs, inputs: $BUILD/findings)" >&2
    exit 1
fi
echo "fuzz: no findings"
