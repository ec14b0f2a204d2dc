#!/usr/bin/env bash
# Side-by-side client benchmark: ONE local Milvus (the standalone by default: a figure on Milvus Lite says
# little about a client), started here in a temporary data directory, and against it, one client process at
# a time, the same workloads from:
#   the C++ client (bench_client: mx::MilvusClient blocking and async), the bare generated gRPC stub with the
#   same Search request (bench_raw_grpc, blocking and async: the floor under any C++ client), pymilvus
#   MilvusClient and AsyncMilvusClient, and langchain-milvus (sync and async).
# Workloads:
#   (i)  SEARCHES searches k=10 with output field "text" over a ROWS x 128 HNSW collection (L2, ef=64):
#        sequential, then INFLIGHT in flight (threads for blocking clients, tasks/futures for async ones);
#   (ii) INSERT_ROWS rows in batches of BATCH into a fresh collection of the same schema (no raw row: the
#        insert request needs the client's own columnar encoding).
# Each client process reports its own CPU time (user + system, every thread: getrusage / process_time)
# over each phase, per operation, next to its throughput and latency. The whole set runs REPEAT times,
# interleaved (round 1: every client, round 2: every client, ...), so that a change in the machine's load
# hits every client alike; the report gives the median and the min-max over the rounds.
#
#   bench/client_compare.sh [BUILD_DIR] [VENV_DIR]
#   env: SERVER=standalone|lite REPEAT=3 SEARCHES=2000 ROWS=20000 INSERT_ROWS=20000 BATCH=1000 INFLIGHT=32
#        CLIENTS="cpp-blocking cpp-async cpp-async-chained raw-blocking raw-cq raw-cq-chained raw-async pymilvus
#                 pymilvus-async langchain langchain-async"   (raw-cq: the bare stub on a completion queue,
#                 the mechanism of our async client; raw-async: gRPC's callback API; *-chained: sequential
#                 async calls each started by the previous one's continuation instead of waited for)
#        TASKSET_CLIENT= (e.g. "taskset -c 1")  OUT=results.jsonl
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
venv="${2:-$build/venv}"
py="$venv/bin/python"
cpp="$build/bench/bench_client"
raw="$build/bench/bench_raw_grpc"
REPEAT="${REPEAT:-3}"
SEARCHES="${SEARCHES:-2000}"
ROWS="${ROWS:-20000}"
INSERT_ROWS="${INSERT_ROWS:-20000}"
BATCH="${BATCH:-1000}"
INFLIGHT="${INFLIGHT:-32}"
CLIENTS="${CLIENTS:-cpp-blocking cpp-async cpp-async-chained raw-blocking raw-cq raw-cq-chained raw-async pymilvus pymilvus-async langchain langchain-async}"
TASKSET_CLIENT="${TASKSET_CLIENT:-}"
DIM=128
work="$(mktemp -d /tmp/mx-client-compare.XXXXXX)"
OUT="${OUT:-$work/results.jsonl}"

for b in "$cpp" "$raw"; do
    [[ -x "$b" ]] || { echo "missing $b: build the bench_client and bench_raw_grpc targets" >&2; exit 1; }
done
# shellcheck source=local_server.sh
source "$here/local_server.sh"

echo "# machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(uptime)"
echo "# server: $SERVER $version on $uri (pid $server)"
"$py" "$here/client_bench.py" setup --uri "$uri" --token "$token" --collection search_c --rows "$ROWS" --dim "$DIM"

run_client() { # round client phase args...
    local round="$1" c="$2" phase="$3"
    shift 3
    local line
    local chain=()
    # Sequential async with each completion starting the next: a sequential form, so only that phase (the
    # concurrent one is the unchained client's).
    [[ "$c" == *-chained ]] && chain=(--seq-style chain --phases seq)
    local api="${c%-chained}"
    case "$c" in
    cpp-*) line="$($TASKSET_CLIENT "$cpp" --uri "$uri" --token "$token" --api "${api#cpp-}" "${chain[@]}" --dim "$DIM" "$@")" ;;
    raw-*) line="$($TASKSET_CLIENT "$raw" --uri "$uri" --token "$token" --api "${api#raw-}" "${chain[@]}" --dim "$DIM" "$@")" ;;
    *) line="$($TASKSET_CLIENT "$py" "$here/client_bench.py" run --client "$c" --uri "$uri" --token "$token" \
        --dim "$DIM" "$@" 2>"$work/$c.$phase.err")" ;;
    esac
    echo "{\"key\": \"$c\", \"round\": $round, \"phase\": \"$phase\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"result\": $line}" | tee -a "$OUT"
}
: >"$OUT"
for round in $(seq "$REPEAT"); do
    for c in $CLIENTS; do
        run_client "$round" "$c" search --search-collection search_c --searches "$SEARCHES" --inflight "$INFLIGHT" --k 10
    done
done
for round in $(seq "$REPEAT"); do
    for c in $CLIENTS; do
        [[ "$c" == raw-* || "$c" == *-chained ]] && continue
        coll="ins_${c//-/_}_$round"
        # langchain-milvus creates its own collection (auto_id pk, its own index); the others get one here.
        [[ "$c" == langchain* ]] || "$py" "$here/client_bench.py" create --uri "$uri" --token "$token" --collection "$coll" --dim "$DIM" >/dev/null
        run_client "$round" "$c" insert --insert-collection "$coll" --insert-rows "$INSERT_ROWS" --batch "$BATCH"
    done
done
echo "# load after: $(uptime)"
"$py" "$here/client_compare_report.py" "$OUT"
