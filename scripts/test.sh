#!/usr/bin/env bash
# Set up, build and run the whole test suite with ctest.
# Extra arguments go to ctest, e.g.:  scripts/test.sh -L integration   scripts/test.sh -R Tls
#   BUILD_DIR   build directory (default: <repo>/build)
#   MX_CTEST_JOBS  tests run at once (default 3: most of them wait on a server, not on the CPU)
#   MX_FUZZ_CHECK  1/0: run/skip the short fuzz pass after ctest (default: run it when CI=true)
# In CI (CI=true) a fresh build directory is configured with line tables only (-g1, not -g: the tests need
# file:line in a backtrace, not variables, and full debug info is ~30% of the compile time) and links with
# gold (half of ld.bfd's time for a test executable). The fuzz build then runs in the background during
# ctest, in the idle scheduling class (it takes only CPU the tests leave).
# Ends with a plain "N passed, M failed" line and exits with ctest's exit code
# (non-zero too when no test was found).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}"
export BUILD_DIR

bash "$REPO_ROOT/scripts/setup.sh"

if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    echo "test: configuring $BUILD_DIR"
    flags=()
    [[ "${CI:-}" == true ]] &&
        flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold)
    cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}"
fi
echo "test: building"
build_start=$(date +%s)
cmake --build "$BUILD_DIR" -j2
echo "test: build took $(($(date +%s) - build_start)) s"

# The short fuzz pass (docs/fuzzing.md): every fuzz target for 8 s under ASan+UBSan, built with clang in
# build-fuzz (the targets and the libraries they link only). In CI, or when asked with MX_FUZZ_CHECK=1;
# MX_FUZZ_CHECK=0 skips it. Its build (and clang's install) starts now, beside ctest, at the lowest
# priority there is (SCHED_IDLE: it runs only when no test wants the CPU); the targets run after ctest.
fuzz_check=0
if [[ "${MX_FUZZ_CHECK:-}" == 1 || ("${MX_FUZZ_CHECK:-}" != 0 && "${CI:-}" == true) ]]; then
    fuzz_check=1
    fuzz_start=$(date +%s)
    fuzz_log="$BUILD_DIR/fuzz-build.log"
    chrt --idle 0 nice -n 19 bash "$REPO_ROOT/scripts/fuzz.sh" -n </dev/null >"$fuzz_log" 2>&1 &
    fuzz_build_pid=$!
fi

export QT_QPA_PLATFORM=offscreen
export MILVUS_EXPLORER_VENV="$BUILD_DIR/venv"

JUNIT="$BUILD_DIR/ctest-junit.xml"
rm -f "$JUNIT"
rc=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${MX_CTEST_JOBS:-3}" --timeout 600 --no-tests=error \
    --output-junit "$JUNIT" "$@" </dev/null || rc=$?

# Count from ctest's JUnit report: "skipped" holds tests that did not run
# (skip return code, disabled, missing executable); "failures" the failed ones.
counts="$(/usr/bin/python3 - "$JUNIT" <<'PY' || true
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0 0")
    sys.exit(0)
suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
total = failed = skipped = 0
for s in suites:
    total += int(s.get("tests", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    skipped += int(s.get("skipped", 0)) + int(s.get("disabled", 0))
print(total - failed - skipped, failed, skipped)
PY
)"
read -r passed failed skipped <<<"${counts:-0 0 0}"

# The fuzz build (the background job above) is waited for first: it may install clang with apt-get,
# and the package check below uses apt-get too (one dpkg lock).
if ((fuzz_check)); then
    wait_start=$(date +%s)
    fuzz_rc=0
    wait "$fuzz_build_pid" || fuzz_rc=$?
    cat "$fuzz_log"
    echo "test: fuzz build finished $(($(date +%s) - fuzz_start)) s after it started beside ctest" \
        "(waited $(($(date +%s) - wait_start)) s for it after the tests)"
fi

# The Debian package (packaging/check-deb.sh: build, lintian, install, run, purge): in CI as root, or
# when asked with MX_PACKAGE_CHECK=1 (it installs a package, so never by surprise; MX_PACKAGE_CHECK=0
# skips it). It counts as one test in the summary.
if [[ "${MX_PACKAGE_CHECK:-}" == 1 || ("${MX_PACKAGE_CHECK:-}" != 0 && "${CI:-}" == true && $EUID -eq 0) ]]; then
    if bash "$REPO_ROOT/packaging/check-deb.sh" </dev/null; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        rc=1
    fi
fi

# The fuzz pass, after ctest: every target for 8 s, once its build (waited for above) has succeeded.
# A finding, or a failed build, fails the run; it counts as one test in the summary.
if ((fuzz_check)); then
    run_start=$(date +%s)
    if ((fuzz_rc == 0)) && bash "$REPO_ROOT/scripts/fuzz.sh" -s -t 8 -j 1 </dev/null; then
        passed=$((passed + 1))
    else
        ((fuzz_rc == 0)) || echo "test: error: the fuzz build failed (exit $fuzz_rc)" >&2
        failed=$((failed + 1))
        rc=1
    fi
    echo "test: fuzz pass: the targets ran $(($(date +%s) - run_start)) s"
fi

if ((rc == 0 && passed + failed == 0)); then
    echo "test: error: ctest ran no test" >&2
    rc=1
fi

if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit "$rc"
