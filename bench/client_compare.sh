#!/usr/bin/env bash
# Side-by-side client benchmark: ONE Milvus Lite (started here on a free 127.0.0.1 port, in a temporary
# data directory) and, against it, the C++ client (bench_client, blocking and async), pymilvus
# MilvusClient, pymilvus AsyncMilvusClient and langchain-milvus (sync and async) running the same
# workloads one client at a time:
#   (i)  SEARCHES searches k=10 over a ROWS-row dim-128 collection (HNSW, L2, ef=64): sequential, then
#        INFLIGHT in flight;
#   (ii) INSERT_ROWS rows in batches of BATCH into a fresh collection of the same schema;
#   (iii) peak RSS (VmHWM) of each client process.
# All searches run first (phase 1), then all inserts (phase 2), so that index building after the inserts
# does not slow another client's searches.
#
#   bench/client_compare.sh [BUILD_DIR] [VENV_DIR]
#   env: SEARCHES=1000 ROWS=100000 INSERT_ROWS=100000 BATCH=1000 INFLIGHT=32 OUT=results.jsonl
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-/tmp/build-bench}"
venv="${2:-$here/../build/venv}"
py="$venv/bin/python"
cpp="$build/bench/bench_client"
SEARCHES="${SEARCHES:-1000}"
ROWS="${ROWS:-100000}"
INSERT_ROWS="${INSERT_ROWS:-100000}"
BATCH="${BATCH:-1000}"
INFLIGHT="${INFLIGHT:-32}"
DIM=128
work="$(mktemp -d /tmp/mx-client-compare.XXXXXX)"
OUT="${OUT:-$work/results.jsonl}"

[[ -x "$cpp" ]] || { echo "missing $cpp: build the bench_client target" >&2; exit 1; }
port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
uri="http://127.0.0.1:$port"
"$venv/bin/milvus-lite" server --data-dir "$work/data" --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
cleanup() {
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work/data"
}
trap cleanup EXIT
for _ in $(seq 120); do
    grep -q "listening" "$work/server.log" 2>/dev/null && break
    sleep 0.5
done

echo "# machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(uptime)"
echo "# server: milvus-lite $("$py" -c 'import importlib.metadata as m; print(m.version("milvus-lite"))') on $uri"
"$py" "$here/client_bench.py" setup --uri "$uri" --collection search_c --rows "$ROWS" --dim "$DIM"

clients=(cpp-blocking cpp-async pymilvus pymilvus-async langchain langchain-async)
run_client() { # client phase args...
    local c="$1" phase="$2"
    shift 2
    local line
    case "$c" in
    cpp-*) line="$("$cpp" --uri "$uri" --api "${c#cpp-}" --dim "$DIM" "$@")" ;;
    *) line="$("$py" "$here/client_bench.py" run --client "$c" --uri "$uri" --dim "$DIM" "$@" 2>"$work/$c.$phase.err")" ;;
    esac
    echo "{\"key\": \"$c\", \"phase\": \"$phase\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"result\": $line}" | tee -a "$OUT"
}
: >"$OUT"
for c in "${clients[@]}"; do
    run_client "$c" search --search-collection search_c --searches "$SEARCHES" --inflight "$INFLIGHT" --k 10
done
for c in "${clients[@]}"; do
    coll="ins_${c//-/_}"
    # langchain-milvus creates its own collection (auto_id pk, its own index); the others get one here.
    [[ "$c" == langchain* ]] || "$py" "$here/client_bench.py" create --uri "$uri" --collection "$coll" --dim "$DIM" >/dev/null
    run_client "$c" insert --insert-collection "$coll" --insert-rows "$INSERT_ROWS" --batch "$BATCH"
done
echo "# load after: $(uptime)"
"$py" "$here/client_compare_report.py" "$OUT"
