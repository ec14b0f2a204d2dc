#!/usr/bin/env bash
# Check the Debian package, then install it on this machine, run the installed programs and purge it,
# leaving the installed packages as they were. Needs root (apt-get) and a built tree with its venv.
#   packaging/check-deb.sh [path/to/milvus-explorer_*.deb]   (default: packaging/build-deb.sh builds it)
# Environment:
#   BUILD_DIR        build directory (default <repo>/build); $BUILD_DIR/venv stands in for the per-user
#                    environment of the local servers, so nothing is downloaded again
#   SCREENSHOT_DIR   keep the installed app's screenshots there (first-run.png, sample-dataset.png)
# Ends with "package check: N passed, M failed" and exits non-zero when a check failed.
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}"
export BUILD_DIR
APP_ID=io.github.milvusexplorer.MilvusExplorer
PASSED=0
FAILED=0
log() { printf 'check-deb: %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); log "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); log "FAIL $*"; }
die() { log "error: $*"; exit 1; }

((EUID == 0)) || die "run as root: it installs and purges the package with apt-get"
for tool in lintian desktop-file-validate appstreamcli xvfb-run dpkg-deb apt-get; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (scripts/setup.sh installs it)"
done
[[ -x "$BUILD_DIR/venv/bin/milvus-lite" ]] || die "$BUILD_DIR/venv has no milvus-lite (run scripts/setup.sh)"

DEB="${1:-}"
if [[ -z "$DEB" ]]; then
    DEB="$(bash "$REPO_ROOT/packaging/build-deb.sh" | tail -n 1)" || die "build-deb.sh failed"
fi
[[ -f "$DEB" ]] || die "no package at '$DEB'"
DEB="$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")"
VERSION="$(dpkg-deb -f "$DEB" Version)"
log "checking $DEB (version $VERSION)"

WORK="$(mktemp -d /tmp/mx-check-deb.XXXXXX)"
INSTALLED=0
BEFORE="$WORK/packages-before.txt"
dpkg-query -W -f='${Package} ${Version}\n' | sort >"$BEFORE"
cleanup() {
    if ((INSTALLED)); then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -q milvus-explorer </dev/null >"$WORK/purge.log" 2>&1 ||
            cat "$WORK/purge.log"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- static checks
# Only the two programs and their data: no test binaries, static libraries, headers or build paths.
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's#^\./#/#' | grep -v '/$' | sort >"$WORK/files.txt"
unexpected="$(grep -vE "^/usr/(bin/milvus-(explorer|loadtest)|share/(applications/$APP_ID\.desktop|metainfo/$APP_ID\.metainfo\.xml|icons/hicolor/(scalable|[0-9]+x[0-9]+)/apps/$APP_ID\.(svg|png)|man/man1/milvus-(explorer|loadtest)\.1\.gz|milvus-explorer/requirements\.txt|doc/milvus-explorer/(copyright|changelog\.gz)))$" "$WORK/files.txt")"
if [[ -z "$unexpected" && "$(grep -c . "$WORK/files.txt")" -eq 18 ]]; then
    pass "package contents: the 18 expected files"
else
    fail "package contents: unexpected or missing files: ${unexpected:-(count $(grep -c . "$WORK/files.txt") != 18)}"
fi
if lintian --fail-on error --tag-display-limit 0 "$DEB" >"$WORK/lintian.txt" 2>&1; then
    pass "lintian: no errors ($(grep -c '^W:' "$WORK/lintian.txt") warnings)"
else
    fail "lintian"
fi
sed 's/^/  lintian: /' "$WORK/lintian.txt"
mkdir -p "$WORK/root"
dpkg-deb -x "$DEB" "$WORK/root"
if desktop-file-validate "$WORK/root/usr/share/applications/$APP_ID.desktop"; then
    pass "desktop-file-validate"
else
    fail "desktop-file-validate"
fi
if appstreamcli validate --no-net --explain "$WORK/root/usr/share/metainfo/$APP_ID.metainfo.xml"; then
    pass "appstreamcli validate --no-net"
else
    fail "appstreamcli validate --no-net"
fi

# ---------------------------------------------------------------- install and run
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEB" </dev/null >"$WORK/install.log" 2>&1; then
    INSTALLED=1
    pass "apt-get install ./$(basename "$DEB")"
else
    INSTALLED=1 # a half-installed package is purged too
    cat "$WORK/install.log"
    fail "apt-get install"
fi

# A user who has never run it: a home of its own, no display, none of the test suite's variables.
HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR"
user_env=(env -u MILVUS_EXPLORER_VENV -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY
    -u MILVUS_EXPLORER_PYTHON -u MILVUS_EXPLORER_MILVUS_LITE HOME="$HOME_DIR"
    XDG_DATA_HOME="$HOME_DIR/.local/share" XDG_CONFIG_HOME="$HOME_DIR/.config"
    XDG_CACHE_HOME="$HOME_DIR/.cache")

out="$("${user_env[@]}" /usr/bin/milvus-explorer --version 2>&1)"
if [[ "$out" == "milvus-explorer $VERSION" ]]; then pass "milvus-explorer --version without a display: $out"; else fail "milvus-explorer --version: '$out'"; fi
if "${user_env[@]}" /usr/bin/milvus-explorer --help 2>&1 | grep -q -- '--screenshot'; then pass "milvus-explorer --help without a display"; else fail "milvus-explorer --help"; fi
out="$("${user_env[@]}" /usr/bin/milvus-loadtest --version 2>&1)"
if [[ "$out" == "milvus-loadtest $VERSION" ]]; then pass "milvus-loadtest --version: $out"; else fail "milvus-loadtest --version: '$out'"; fi
man_ok=1
for page in milvus-explorer milvus-loadtest; do
    MANWIDTH=100 man -P cat -l "/usr/share/man/man1/$page.1.gz" 2>/dev/null | grep -q "Milvus Explorer $VERSION" ||
        man_ok=0
done
MANWIDTH=100 man -P cat -l /usr/share/man/man1/milvus-loadtest.1.gz 2>/dev/null | grep -q -- '--install-servers' ||
    man_ok=0
if ((man_ok)); then pass "manual pages installed and rendering (version $VERSION)"; else fail "manual pages"; fi

# No local servers yet, no terminal: the load tester says how to get them and does not download.
"${user_env[@]}" /usr/bin/milvus-loadtest --embedded --server lite --op search --count 1 \
    </dev/null >"$WORK/noservers.txt" 2>&1
code=$?
if ((code == 3)) && grep -q -- '--install-servers' "$WORK/noservers.txt"; then
    pass "milvus-loadtest --embedded without the local servers: exit 3, says --install-servers"
else
    fail "milvus-loadtest without the local servers (exit $code): $(tail -n 3 "$WORK/noservers.txt")"
fi

# --install-servers with an index that cannot be reached: the clear message, and no half-made venv left.
"${user_env[@]}" PIP_CONFIG_FILE=/dev/null PIP_INDEX_URL=http://127.0.0.1:9/simple \
    /usr/bin/milvus-loadtest --embedded --server lite --install-servers --op search --count 1 \
    </dev/null >"$WORK/unreachable.txt" 2>&1
code=$?
if ((code == 3)) && grep -q 'cannot be reached' "$WORK/unreachable.txt" &&
    [[ ! -e "$HOME_DIR/.local/share/milvus-explorer/venv" ]]; then
    pass "milvus-loadtest --install-servers, index unreachable: exit 3, says so, leaves no venv"
else
    fail "milvus-loadtest --install-servers with an unreachable index (exit $code): $(tail -n 3 "$WORK/unreachable.txt")"
fi

# The per-user environment, where VenvBootstrap puts it: here the build's venv (no second download).
mkdir -p "$HOME_DIR/.local/share/milvus-explorer"
ln -s "$BUILD_DIR/venv" "$HOME_DIR/.local/share/milvus-explorer/venv"

png_size() { /usr/bin/python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "not-png")' "$1" 2>/dev/null; }
shoot() { # name, extra args...
    local name="$1"
    shift
    local start=$SECONDS
    timeout 150 "${user_env[@]}" xvfb-run -a -s "-screen 0 1400x900x24" \
        /usr/bin/milvus-explorer --server lite --screenshot "$WORK/$name.png" "$@" \
        >"$WORK/$name.log" 2>&1 </dev/null
    local code=$? size
    size="$(png_size "$WORK/$name.png")"
    if ((code == 0)) && [[ "$size" == 1200x* ]]; then
        pass "installed app under Xvfb on Milvus Lite: $name.png $size ($((SECONDS - start)) s)"
        [[ -n "${SCREENSHOT_DIR:-}" ]] && mkdir -p "$SCREENSHOT_DIR" && cp "$WORK/$name.png" "$SCREENSHOT_DIR/"
    else
        fail "installed app --screenshot $name (exit $code, ${size:-no file})"
        tail -n 20 "$WORK/$name.log"
    fi
}
shoot first-run
shoot sample-dataset --sample-dataset

start=$SECONDS
if timeout 300 "${user_env[@]}" /usr/bin/milvus-loadtest --embedded --op search --count 20 \
    </dev/null >"$WORK/loadtest.txt" 2>&1; then
    pass "installed milvus-loadtest --embedded --op search --count 20 ($((SECONDS - start)) s)"
else
    fail "installed milvus-loadtest --embedded --op search --count 20"
    tail -n 30 "$WORK/loadtest.txt"
fi

# ---------------------------------------------------------------- remove
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q milvus-explorer </dev/null >"$WORK/purge.log" 2>&1; then
    INSTALLED=0
    pass "apt-get purge milvus-explorer"
else
    cat "$WORK/purge.log"
    fail "apt-get purge"
fi
AFTER="$WORK/packages-after.txt"
dpkg-query -W -f='${Package} ${Version}\n' | sort >"$AFTER"
pulled="$(comm -13 "$BEFORE" "$AFTER" | cut -d' ' -f1)"
if [[ -n "$pulled" ]]; then
    # Dependencies the install pulled in go again.
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $pulled </dev/null >>"$WORK/purge.log" 2>&1
    dpkg-query -W -f='${Package} ${Version}\n' | sort >"$AFTER"
fi
if cmp -s "$BEFORE" "$AFTER" && [[ ! -e /usr/bin/milvus-explorer && ! -e /usr/share/milvus-explorer ]]; then
    pass "machine as before: same packages, no files left"
else
    fail "machine differs after purge: $(diff "$BEFORE" "$AFTER" | head -n 5 | tr '\n' ' ')"
fi

log "package check: $PASSED passed, $FAILED failed"
((FAILED == 0))
