#!/usr/bin/env bash
# Install what Milvus Explorer needs to build, run and test on Debian 12 (bookworm),
# then create the Python venv holding Milvus Lite + pymilvus at "$BUILD_DIR/venv".
#
# Idempotent: when nothing is missing it only runs one dpkg-query and one sha256sum.
# Environment:
#   BUILD_DIR   build directory (default: <repo>/build); the venv lives in $BUILD_DIR/venv
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}"
VENV_DIR="$BUILD_DIR/venv"
REQUIREMENTS="$REPO_ROOT/scripts/requirements.txt"
# Always the distribution's interpreter: a pyenv/conda python may be first on PATH.
SYSTEM_PYTHON=/usr/bin/python3

CHANGED=0
log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Debian 12 package names (each checked with apt-cache policy on bookworm).
# nginx: the package that ships /usr/sbin/nginx, with the gRPC proxy and HTTP/2
# modules built in (bookworm's nginx-light is only a metapackage on top of it).
PACKAGES=(
    build-essential cmake ninja-build pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqt6svg6 qt6-qpa-plugins libgl-dev
    libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
    libqcustomplot-dev libqcustomplot2.1-qt6 qtkeychain-qt6-dev
    nginx openssl xvfb xauth
    dbus-daemon gnome-keyring libsecret-1-0 libsecret-tools # tst_keychain: a real Secret Service
    python3 python3-venv python3-dev
    ca-certificates curl fonts-dejavu-core
    lintian desktop-file-utils appstream
)

# ---------------------------------------------------------------- system packages
missing_packages() {
    # One dpkg-query for all packages; unknown packages print nothing (stderr dropped).
    local installed
    installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null \
        | awk '$NF == "installed" { print $1 }' || true)"
    local p
    for p in "${PACKAGES[@]}"; do
        if ! grep -qxF -- "$p" <<<"$installed"; then
            printf '%s\n' "$p"
        fi
    done
}

command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script supports Debian 12 only"

mapfile -t MISSING < <(missing_packages)
if ((${#MISSING[@]} == 0)); then
    log "system packages: all ${#PACKAGES[@]} installed"
else
    CHANGED=1
    log "installing ${#MISSING[@]} missing package(s): ${MISSING[*]}"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${MISSING[*]}"
    SUDO=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo; as root run: apt-get install ${MISSING[*]}"
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${MISSING[@]}" </dev/null
    mapfile -t STILL_MISSING < <(missing_packages)
    ((${#STILL_MISSING[@]} == 0)) || die "still missing after apt-get install: ${STILL_MISSING[*]}"
    log "system packages: installed ${MISSING[*]}"
fi

# ---------------------------------------------------------------- python venv
[[ -x "$SYSTEM_PYTHON" ]] || die "$SYSTEM_PYTHON not found (package python3)"

venv_ok() {
    # Exists, runs, and was made from /usr/bin/python3 (not a pyenv interpreter).
    [[ -x "$VENV_DIR/bin/python" && -f "$VENV_DIR/pyvenv.cfg" ]] || return 1
    grep -qE '^home[[:space:]]*=[[:space:]]*/usr/bin/?$' "$VENV_DIR/pyvenv.cfg" || return 1
    [[ -e "$VENV_DIR/bin/python" ]]  # symlink target still there
}

if ! venv_ok; then
    CHANGED=1
    if [[ -e "$VENV_DIR" ]]; then
        log "recreating venv $VENV_DIR (missing, broken or not made from $SYSTEM_PYTHON)"
        rm -rf "$VENV_DIR"
    else
        log "creating venv $VENV_DIR"
    fi
    mkdir -p "$BUILD_DIR"
    "$SYSTEM_PYTHON" -m venv "$VENV_DIR"
fi

STAMP="$VENV_DIR/.requirements.sha256"
WANT_SUM="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
HAVE_SUM="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$WANT_SUM" == "$HAVE_SUM" && -x "$VENV_DIR/bin/milvus-lite" ]]; then
    log "python requirements: up to date ($VENV_DIR)"
else
    CHANGED=1
    log "pip-installing scripts/requirements.txt into $VENV_DIR"
    rm -f "$STAMP"
    PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$VENV_DIR/bin/python" -m pip install -q -r "$REQUIREMENTS" </dev/null
    [[ -x "$VENV_DIR/bin/milvus-lite" ]] || die "milvus-lite missing from $VENV_DIR/bin after pip install"
    printf '%s\n' "$WANT_SUM" >"$STAMP"
    log "python requirements: installed"
fi

if ((CHANGED)); then
    log "done"
else
    log "done: nothing needed installing"
fi
