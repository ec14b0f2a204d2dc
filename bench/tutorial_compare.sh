#!/usr/bin/env bash
# The langchain-milvus async tutorial side by side on ONE Milvus standalone (2.3.5, started here by the
# project's launcher on free loopback ports in a temporary data directory): the tutorial's own Python
# code (bench/tutorial_original.py: langchain-milvus 0.3.3, a deterministic stand-in embedding),
# `milvus-loadtest --preset tutorial-faithful` and `--preset tutorial-clean`, interleaved, REPEATS times
# each, with two embedding settings:
#   none   no embedding latency: the in-process lexical embedding (384 dimensions) on both sides;
#   http   an OpenAI-compatible embedding stub (tests/embeddings/embedding_server.py) answering every
#          request after a fixed EMBED_MS (150 ms), no limit on requests in flight on either side.
# Prints one table (per op and count: sync s, async s, speedup; median and min-max over the repeats)
# with the load average of each run and the tutorial's published figures, and checks the issue's
# acceptance (clean search n=100 async faster than sync; no first-operation stall in any run).
#
#   bench/tutorial_compare.sh [BUILD_DIR] [VENV_DIR]
#   env: REPEATS=3 EMBED_MS=150 SETTINGS="none http" OUT=DIR (results kept there; default a temp dir)
#        CHANNELS="1 4": afterwards, bench/tutorial_channels.sh on the same server (1 vs N gRPC channels)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$here/.."
build="$(cd "${1:-$root/build}" && pwd)"
venv="$(cd "${2:-$build/venv}" && pwd)"
py="$venv/bin/python"
loadtest="$build/app/loadtest/milvus-loadtest"
launcher="$build/tests/mx_local_server"
REPEATS="${REPEATS:-3}"
EMBED_MS="${EMBED_MS:-150}"
SETTINGS="${SETTINGS:-none http}"
DIM=384
work="$(mktemp -d /tmp/mx-tutorial-compare.XXXXXX)"
OUT="${OUT:-$work/results}"
mkdir -p "$OUT"
for f in "$loadtest" "$launcher"; do
    [[ -x "$f" ]] || { echo "missing $f: build the milvus-loadtest and mx_local_server targets" >&2; exit 1; }
done

# Both helpers run until their standard input closes: each reads a FIFO whose only writer is this
# script (fd 7, 8), so they stop when it ends, however it ends.
mkfifo "$work/server.in" "$work/stub.in"
"$launcher" --kind standalone --data-dir "$work/data" <"$work/server.in" >"$work/server.json" 2>"$work/server.log" &
server=$!
exec 7>"$work/server.in"
"$py" "$root/tests/embeddings/embedding_server.py" 0 <"$work/stub.in" >"$work/stub.out" 2>"$work/stub.log" &
stub=$!
exec 8>"$work/stub.in"
cleanup() {
    exec 7>&- 8>&- # end of input: both stop (the launcher stops the server cleanly)
    for pid in "$server" "$stub"; do
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -TERM "$pid" 2>/dev/null || true # still there after 30 s: the launcher stops on SIGTERM too
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work/data"
}
trap cleanup EXIT
for _ in $(seq 240); do
    [[ -s "$work/server.json" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
done
[[ -s "$work/server.json" ]] || { echo "the standalone did not start" >&2; cat "$work/server.log" >&2; exit 1; }
for _ in $(seq 60); do grep -q '^PORT ' "$work/stub.out" && break; sleep 0.25; done
uri="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["uri"])' "$work/server.json")"
export MX_TUTORIAL_TOKEN
MX_TUTORIAL_TOKEN="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$work/server.json")"
stub_url="http://127.0.0.1:$(awk '/^PORT /{print $2}' "$work/stub.out")/v1"
model="normal:$EMBED_MS"

{
    echo "# $(date -u +%FT%TZ) machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "# server: Milvus standalone $("$py" -c 'import importlib.metadata as m; print(m.version("milvus"))') at $uri (one server for every run)"
    echo "# langchain-milvus $("$py" -c 'import importlib.metadata as m; print(m.version("langchain-milvus"))'), pymilvus $("$py" -c 'import importlib.metadata as m; print(m.version("pymilvus"))')"
    echo "# embedding stub: $stub_url model $model; repeats: $REPEATS; settings: $SETTINGS"
    echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/header.txt"

results="$OUT/runs.jsonl"
: >"$results"
record() { # source setting repeat load_before file
    echo "{\"source\": \"$1\", \"setting\": \"$2\", \"repeat\": $3, \"loadBefore\": \"$4\", \"loadAfter\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"file\": \"$5\"}" >>"$results"
}
for setting in $SETTINGS; do
    py_embed=() lt_embed=(--dim "$DIM")
    if [[ "$setting" == http ]]; then
        py_embed=(--embedding-url "$stub_url" --embedding-model "$model")
        lt_embed=(--embedding-url "$stub_url" --embedding-model "$model" --dim "$DIM")
    fi
    for r in $(seq "$REPEATS"); do
        # The three interleaved, so drift in the machine's load touches each alike.
        load="$(cut -d' ' -f1-3 /proc/loadavg)"
        f="$OUT/python-$setting-$r.json"
        echo "[$setting #$r] python original (load $load)" >&2
        "$py" "$here/tutorial_original.py" --uri "$uri" --token "$MX_TUTORIAL_TOKEN" --dim "$DIM" \
            --seed "$r" "${py_embed[@]}" >"$f" 2>"$OUT/python-$setting-$r.log"
        record python "$setting" "$r" "$load" "$f"
        for preset in tutorial-faithful tutorial-clean; do
            load="$(cut -d' ' -f1-3 /proc/loadavg)"
            f="$OUT/${preset#tutorial-}-$setting-$r.json"
            echo "[$setting #$r] milvus-loadtest --preset $preset (load $load)" >&2
            "$loadtest" --uri "$uri" --token-env MX_TUTORIAL_TOKEN --preset "$preset" --repeat 1 --seed "$r" \
                "${lt_embed[@]}" --quiet --json "$f" >"$OUT/${preset#tutorial-}-$setting-$r.txt" 2>&1 ||
                echo "  (exit status $?: see $OUT/${preset#tutorial-}-$setting-$r.txt)" >&2
            record "${preset#tutorial-}" "$setting" "$r" "$load" "$f"
        done
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/header.txt"
status=0
"$py" "$here/tutorial_compare_report.py" "$OUT" | tee "$OUT/table.md" || status=$?
if [[ -n "${CHANNELS:-}" ]]; then
    echo "[channels $CHANNELS] search over one channel and several (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    CHANNELS="$CHANNELS" "$here/tutorial_channels.sh" "$uri" "$build" "$OUT" | tee "$OUT/channels.md"
fi
exit "$status"
echo "results: $OUT" >&2
