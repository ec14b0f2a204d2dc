#!/usr/bin/env bash
# Client cost in instructions, the figure that does not move with the machine's load: every client of
# client_compare.sh runs its search phase under `valgrind --tool=callgrind` (which counts the user-space
# instructions of every thread of the process) twice, with N1 and N2 searches; the difference divided by
# N2 - N1 is the cost of one search, without start-up, imports, connection and warm-up. Kernel time
# (system calls, context switches) is not in these counts: client_compare.sh measures CPU time.
#
#   bench/client_instructions.sh [BUILD_DIR] [VENV_DIR]
#   env: SERVER=standalone|lite N1=200 N2=600 ROWS=20000 INFLIGHT=32 PHASES="seq concurrent"
#        CLIENTS="cpp-blocking cpp-async cpp-async-chained raw-blocking raw-cq raw-cq-chained raw-async pymilvus
#                 pymilvus-async"   (names as in client_compare.sh)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
venv="${2:-$build/venv}"
py="$venv/bin/python"
N1="${N1:-200}"
N2="${N2:-600}"
ROWS="${ROWS:-20000}"
INFLIGHT="${INFLIGHT:-32}"
PHASES="${PHASES:-seq concurrent}"
CLIENTS="${CLIENTS:-cpp-blocking cpp-async cpp-async-chained raw-blocking raw-cq raw-cq-chained raw-async pymilvus pymilvus-async}"
DIM=128
work="$(mktemp -d /tmp/mx-client-instr.XXXXXX)"
# shellcheck source=callgrind.sh
source "$here/callgrind.sh"
# shellcheck source=local_server.sh
source "$here/local_server.sh"

echo "# server: $SERVER $version on $uri; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$py" "$here/client_bench.py" setup --uri "$uri" --token "$token" --collection search_c --rows "$ROWS" --dim "$DIM" >/dev/null

command_for() { # client
    local c="$1" chain=""
    [[ "$c" == *-chained ]] && chain=" --seq-style chain"
    c="${c%-chained}"
    case "$c" in
    cpp-*) echo "$build/bench/bench_client --api ${c#cpp-}$chain" ;;
    raw-*) echo "$build/bench/bench_raw_grpc --api ${c#raw-}$chain" ;;
    *) echo "$py $here/client_bench.py run --client $c" ;;
    esac
}
echo "| client | phase | instructions per search | N1, N2 |"
echo "|---|---|---:|---|"
for phase in $PHASES; do
    for c in $CLIENTS; do
        [[ "$phase" != seq && "$c" == *-chained ]] && continue # chaining is a sequential form
        cmd="$(command_for "$c")"
        args=(--uri "$uri" --token "$token" --dim "$DIM" --search-collection search_c --inflight "$INFLIGHT" --phases "$phase")
        # shellcheck disable=SC2086
        a="$(instructions "$work/$c.$phase.$N1" $cmd "${args[@]}" --searches "$N1")"
        # shellcheck disable=SC2086
        b="$(instructions "$work/$c.$phase.$N2" $cmd "${args[@]}" --searches "$N2")"
        echo "| $c | $phase | $(( (b - a) / (N2 - N1) )) | $N1, $N2 |"
    done
done
echo "# callgrind files in $work"
