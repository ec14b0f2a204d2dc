#!/usr/bin/env bash
# Build (if needed) and start Milvus Explorer. Extra arguments go to the app.
#   BUILD_DIR   build directory (default: <repo>/build)
# Without a display, run it as:  xvfb-run -a scripts/run.sh
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}"
export BUILD_DIR

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    {
        echo "run: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)."
        echo "run: Milvus Explorer is a desktop app; on a headless machine start it under Xvfb:"
        echo "run:     xvfb-run -a scripts/run.sh $*"
    } >&2
    exit 2
fi

bash "$REPO_ROOT/scripts/setup.sh"

if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
    echo "run: configuring $BUILD_DIR"
    cmake -S "$REPO_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
echo "run: building"
cmake --build "$BUILD_DIR" -j2

# The app starts the embedded Milvus Lite from $MILVUS_EXPLORER_VENV/bin/milvus-lite.
export MILVUS_EXPLORER_VENV="$BUILD_DIR/venv"
exec "$BUILD_DIR/app/milvus-explorer" "$@"
