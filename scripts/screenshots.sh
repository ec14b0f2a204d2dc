#!/usr/bin/env bash
# Regenerates the screenshots in docs/ from the real app under Xvfb, on seeded demo data.
#   BUILD_DIR  build directory (default: <repo>/build); run scripts/test.sh or run.sh once first.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$REPO_ROOT/build}"
mkdir -p "$REPO_ROOT/docs/screenshots"
export MILVUS_EXPLORER_VENV="$BUILD_DIR/venv"
export XDG_CONFIG_HOME="$BUILD_DIR/demo-config" # do not touch the user's settings
rm -rf "$XDG_CONFIG_HOME"
SERVER=standalone
DEMO_DIR="$BUILD_DIR/demo-data-$SERVER"
seed() {
    "$BUILD_DIR/venv/bin/python" "$REPO_ROOT/scripts/seed_demo.py" "$DEMO_DIR" --kind "$SERVER" \
        --tool "$BUILD_DIR/tests/mx_local_server"
}
shoot() { # shoot NAME [app arguments...]
    local name="$1"
    shift
    xvfb-run -a -s "-screen 0 1400x900x24" "$BUILD_DIR/app/milvus-explorer" --server "$SERVER" \
        --data-dir "$DEMO_DIR" --screenshot "$REPO_ROOT/docs/screenshots/$name.png" "$@"
    echo "screenshots: docs/screenshots/$name.png"
}
# The same window on Milvus Lite, then everything else on the standalone (the default server).
SERVER=lite DEMO_DIR="$BUILD_DIR/demo-data-lite"
seed
shoot main-window-lite
shoot collection-overview-lite --open articles
SERVER=standalone DEMO_DIR="$BUILD_DIR/demo-data-standalone"
seed
shoot main-window
shoot collection-overview --open articles
shoot collection-not-loaded --open products/data
# Collections with an index start released after a restart: load this one for its data.
shoot collection-data --open products/data --load products

# The dialogs, filled with realistic values (offscreen; a helper program next to the dialog tests).
QT_QPA_PLATFORM=offscreen "$BUILD_DIR/tests/dialogs/mx_dialog_screenshots" "$REPO_ROOT/docs/screenshots"
echo "screenshots: docs/screenshots/dialog-*.png"
