#!/usr/bin/env bash
# Build the Debian package of Milvus Explorer with CPack.
#   packaging/build-deb.sh            configure and build in <repo>/build-deb (from a clean checkout)
#   BUILD_DIR=build packaging/build-deb.sh   reuse an existing build directory (configured if empty)
# Prints the path of the .deb as its last line: $BUILD_DIR/deb/milvus-explorer_<version>_amd64.deb
# Needs the build dependencies of scripts/setup.sh (it does not install anything itself).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build-deb}"
log() { printf 'build-deb: %s\n' "$*" >&2; }

if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    log "configuring $BUILD_DIR"
    launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >&2
fi
log "building"
cmake --build "$BUILD_DIR" -j2 >&2

log "packaging"
rm -rf "$BUILD_DIR/deb" "$BUILD_DIR/_CPack_Packages"
(cd "$BUILD_DIR" && cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake") >&2
shopt -s nullglob
debs=("$BUILD_DIR"/deb/milvus-explorer_*.deb)
((${#debs[@]} == 1)) || { log "error: expected one .deb in $BUILD_DIR/deb, found ${#debs[@]}"; exit 1; }
log "built ${debs[0]} ($(du -h "${debs[0]}" | cut -f1))"
printf '%s\n' "${debs[0]}"
