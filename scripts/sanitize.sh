#!/usr/bin/env bash
# Builds the project under a sanitizer, in a build directory of its own, and runs tests with it
# (docs/sanitizers.md):
#   scripts/sanitize.sh asan [ctest args]   ASan+UBSan, the whole suite (build-asan)
#   scripts/sanitize.sh tsan [ctest args]   TSan, the async client, load-test and model tests (build-tsan)
#   scripts/sanitize.sh unit [ctest args]   ASan+UBSan, the no-server unit tests of services/ in the fuzz
#                                           build (clang -O1, build-fuzz: a few minutes, not the suite)
# Extra arguments go to ctest (e.g. -R tst_rpcs_lite). Environment: SANITIZE_BUILD_DIR overrides the
# build directory; SANITIZE_SKIP_BUILD=1 (asan) runs the tests as built, without building first.
# Reports go to the test output; a report fails the test (halt_on_error / exitcode).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-}"
shift || true
case "$MODE" in
asan) SANITIZER=address ;;
tsan) SANITIZER=thread ;;
unit)
    bash "$REPO_ROOT/scripts/fuzz.sh" -n connection_uri
    BUILD="${FUZZ_BUILD_DIR:-$REPO_ROOT/build-fuzz}"
    cmake --build "$BUILD" -j2 --target mx_asan_unit_tests
    export QT_QPA_PLATFORM=offscreen
    export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:detect_stack_use_after_return=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$REPO_ROOT/scripts/sanitizers/ubsan.supp"
    start=$(date +%s)
    rc=0
    ctest --test-dir "$BUILD" --output-on-failure --no-tests=error -L asan-unit "$@" </dev/null || rc=$?
    echo "sanitize: unit tests took $(($(date +%s) - start)) s (ctest exit $rc)"
    exit "$rc"
    ;;
*)
    echo "usage: scripts/sanitize.sh asan|tsan|unit [ctest args]" >&2
    exit 2
    ;;
esac
BUILD="${SANITIZE_BUILD_DIR:-$REPO_ROOT/build-$MODE}"
# The Python servers live in the normal build's venv; scripts/setup.sh makes it there.
BUILD_DIR="$REPO_ROOT/build" bash "$REPO_ROOT/scripts/setup.sh" >/dev/null
VENV="$REPO_ROOT/build/venv"

LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
FLAGS=()
# ASan: -O1 -g1 (line tables: enough for a report's stack) instead of RelWithDebInfo's -O2 -g. The whole
# project rebuilds under ASan, and on 2 shared cores -O2 -g did not fit an afternoon; ASan's own advice
# is -O1. NDEBUG stays, as in the normal build, so the code under test is the same.
[[ "$MODE" == asan ]] && FLAGS=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
if [[ ! -f "$BUILD/build.ninja" ]]; then
    cmake -S "$REPO_ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMX_SANITIZE="$SANITIZER" \
        -DMX_VENV_DIR="$VENV" "${LAUNCHER[@]}" "${FLAGS[@]}" >/dev/null
fi

# TSan: the tests of what runs on several threads: the async client (RPCs, concurrency, errors), the
# load-test engine and CLI, the item models and the data services behind them, the search service.
TSAN_TESTS='^(tst_tsan_selfcheck|tst_rpcs|tst_concurrency|tst_errors|tst_canceltoken|tst_phaserunner|tst_loadtest_operations|tst_loadtest_faults|tst_loadtest_integrity|tst_livekeys|tst_latencyhistogram|tst_collectionlistmodel|tst_navigatormodel|tst_entitytablemodel|tst_dataservices|tst_searchservice)(_lite|_standalone)?$'
if [[ "$MODE" == asan && "${SANITIZE_SKIP_BUILD:-0}" == 1 ]]; then
    DEFAULT_CTEST=(-j"${MX_CTEST_JOBS:-2}") # run what is built (parts of the suite while the rest builds)
elif [[ "$MODE" == tsan ]]; then
    targets=$(echo "$TSAN_TESTS" | sed 's/^\^(//; s/)(_lite.*$//; s/|/ /g')
    cmake --build "$BUILD" -j2 --target $targets
    DEFAULT_CTEST=(-R "$TSAN_TESTS")
else
    # ASan: what the tests run (their executables, the programs and files their command lines name),
    # not the benchmarks and screenshot tools nothing runs.
    # (ctest --show-only does not name executables that are not built yet: read its files instead.)
    needed=$(/usr/bin/python3 -c '
import pathlib, re, subprocess, sys
build = sys.argv[1].rstrip("/") + "/"
outputs = {l.rsplit(": ", 1)[0] for l in subprocess.run(["ninja", "-C", build, "-t", "targets", "all"],
           capture_output=True, text=True, check=True).stdout.splitlines()}
paths = set()
for f in pathlib.Path(build).rglob("CTestTestfile.cmake"):
    for line in f.read_text().splitlines():
        if line.startswith("add_test("):
            paths |= {a[len(build):] for a in re.findall(r"\"([^\"]*)\"", line) if a.startswith(build)}
print(" ".join(sorted(p for p in paths if p in outputs)))' "$BUILD")
    ninja -C "$BUILD" -j2 $needed
    # Two tests at once (the normal suite runs three): most of them wait on a server; MX_CTEST_JOBS.
    DEFAULT_CTEST=(-j"${MX_CTEST_JOBS:-2}")
fi
# TSan: arguments that do not choose tests themselves (-j2, -E, --repeat ...) keep the subset: only the
# subset's executables are built in build-tsan, so the other tests there cannot run.
if [[ "$MODE" == tsan ]]; then
    DEFAULT_CTEST=(-R "$TSAN_TESTS")
    for arg in "$@"; do
        [[ "$arg" =~ ^(-R|-L|-I|--tests-regex|--label-regex|--tests-information) ]] && DEFAULT_CTEST=()
    done
fi

export QT_QPA_PLATFORM=offscreen
export MILVUS_EXPLORER_VENV="$VENV"
# detect_leaks=0 by default: see docs/sanitizers.md (MX_DETECT_LEAKS=1 turns LeakSanitizer on).
export ASAN_OPTIONS="detect_leaks=${MX_DETECT_LEAKS:-0}:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$REPO_ROOT/scripts/sanitizers/ubsan.supp"
export LSAN_OPTIONS="suppressions=$REPO_ROOT/scripts/sanitizers/lsan.supp"
# No die_after_fork=0: a test executable without the clone() shim (tests/support/TsanCloneShim.cpp) must
# die at its first QProcess ("starting new threads after multi-threaded fork"), not run on unchecked.
# ignore_noninstrumented_modules=1: the libc calls (malloc/free, memcpy...) that Qt, gRPC, abseil and
# protobuf make are not checked, like the rest of those libraries' code, which TSan cannot see at all;
# their pthread and I/O synchronisation still counts, and every access of our code is still checked.
# Without it the test thread's gRPC calls give hundreds of reports inside gRPC (docs/sanitizers.md).
# history_size=7 (the most): with 4, some reports came without the earlier access's stack, so no
# suppression could match them.
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:ignore_noninstrumented_modules=1:second_deadlock_stack=1:history_size=7:suppressions=$REPO_ROOT/scripts/sanitizers/tsan.supp"
# The standalone's binaries are unpacked once per build tree: reuse the normal build's.
if [[ -d "$REPO_ROOT/build/standalone-bin" && ! -e "$BUILD/standalone-bin" ]]; then
    ln -s "$REPO_ROOT/build/standalone-bin" "$BUILD/standalone-bin"
fi
start=$(date +%s)
rc=0
ctest --test-dir "$BUILD" --output-on-failure --timeout 1200 --no-tests=error "${DEFAULT_CTEST[@]}" "$@" </dev/null || rc=$?
echo "sanitize: $MODE tests took $(($(date +%s) - start)) s (ctest exit $rc)"
exit "$rc"
