#!/usr/bin/env bash
# What a client costs per search, apart from what waiting for the server costs. The same sequential
# searches (k=10, output field "text", 128-d, as client_compare.sh) from three clients: the bare gRPC stub
# (bench_raw_grpc, blocking), mx::MilvusClient blocking (bench_client) and pymilvus MilvusClient, one
# process at a time, each reporting its own CPU time per search, against four servers:
#   standalone    the real Milvus standalone (search ~2.3 ms)
#   replay-0      bench_grpc_server replaying the standalone's recorded answer at once
#   replay-sleep  the same after sleeping DELAY_US (the server does no work: the client just waits)
#   replay-busy   the same after DELAY_US of work walking 8 MB (a server's work on the same two cores)
# and replay-sleep once more with a SCHED_IDLE busy loop on each CPU ("spinners"), which take no CPU from
# anyone but keep the CPUs from going idle while the client waits. Rounds are interleaved (REPEAT), the
# report gives the median and min-max. Then callgrind counts the instructions per search of the two C++
# clients against replay-0, replay-sleep and the standalone (difference of an N1 and an N2 run), and of
# the bare stub with Abseil's deadlock detection on (Debian's default, which createMilvusChannel turns off);
# and strace counts the bare stub's system calls per search against replay-0 and the standalone.
#
#   bench/client_wait_cost.sh [BUILD_DIR] [VENV_DIR]
#   env: REPEAT=3 SEARCHES=2000 PY_SEARCHES=500 DELAY_US=2000 N1=200 N2=600 ROWS=20000 OUT=results.jsonl
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../build}"
venv="${2:-$build/venv}"
py="$venv/bin/python"
REPEAT="${REPEAT:-3}"
SEARCHES="${SEARCHES:-2000}"
PY_SEARCHES="${PY_SEARCHES:-500}"
DELAY_US="${DELAY_US:-2000}"
N1="${N1:-200}"
N2="${N2:-600}"
ROWS="${ROWS:-20000}"
DIM=128
SERVER=standalone
work="$(mktemp -d /tmp/mx-client-wait.XXXXXX)"
OUT="${OUT:-$work/results.jsonl}"
for b in bench_client bench_raw_grpc bench_grpc_server; do
    [[ -x "$build/bench/$b" ]] || { echo "missing $build/bench/$b: build the bench targets" >&2; exit 1; }
done
# shellcheck source=callgrind.sh
source "$here/callgrind.sh"
# shellcheck source=local_server.sh
source "$here/local_server.sh"

echo "# machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# server: $SERVER $version on $uri"
"$py" "$here/client_bench.py" setup --uri "$uri" --token "$token" --collection search_c --rows "$ROWS" --dim "$DIM" >/dev/null
common=(--dim "$DIM" --search-collection search_c --phases seq)
"$build/bench/bench_raw_grpc" --uri "$uri" --token "$token" "${common[@]}" --searches 1 --save-answer "$work/answer.bin" >/dev/null

replay_pids=()
declare -A target_uri=([standalone]="$uri")
start_replay() { # name args...
    local name="$1"
    shift
    mkfifo "$work/$name.in"
    "$build/bench/bench_grpc_server" --answer "$work/answer.bin" "$@" <"$work/$name.in" >"$work/$name.json" &
    replay_pids+=($!)
    exec {fd}>"$work/$name.in" # held open: the server stops when the script ends
    for _ in $(seq 50); do [[ -s "$work/$name.json" ]] && break; sleep 0.1; done
    target_uri[$name]="http://127.0.0.1:$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$work/$name.json")"
}
start_replay replay-0
start_replay replay-sleep --delay-us "$DELAY_US"
start_replay replay-busy --delay-us "$DELAY_US" --busy
spinners=()
stop_all() {
    kill "${spinners[@]}" "${replay_pids[@]}" 2>/dev/null || true
    stop_server
}
trap stop_all EXIT

command_for() { # client
    case "$1" in
    raw) echo "$build/bench/bench_raw_grpc --searches $SEARCHES" ;;
    cpp) echo "$build/bench/bench_client --api blocking --searches $SEARCHES" ;;
    pymilvus) echo "$py $here/client_bench.py run --client pymilvus --searches $PY_SEARCHES" ;;
    esac
}
measure() { # round target label client
    local line
    # shellcheck disable=SC2046
    line="$($(command_for "$4") --uri "${target_uri[$2]}" --token "$token" "${common[@]}" 2>"$work/last.log" | tail -1)" ||
        { echo "failed: $4 against $2 (see $work/last.log)" >&2; exit 1; }
    "$py" -c 'import json,sys; d=json.loads(sys.argv[1]); print(json.dumps({"round":int(sys.argv[2]),"target":sys.argv[3],
"client":sys.argv[4],"cpu_us":d["search_seq"]["cpu_us_per_op"],"ops_per_s":d["search_seq"]["ops_per_s"]}))' \
        "$line" "$1" "$3" "$4" | tee -a "$OUT"
}
for round in $(seq "$REPEAT"); do
    for target in standalone replay-0 replay-sleep replay-busy; do
        for c in raw cpp pymilvus; do measure "$round" "$target" "$target" "$c"; done
    done
    for cpu in $(seq 0 $(($(nproc) - 1))); do
        taskset -c "$cpu" chrt --idle 0 sh -c 'while :; do :; done' &
        spinners+=($!)
    done
    for c in raw cpp pymilvus; do measure "$round" replay-sleep replay-sleep+spinners "$c"; done
    kill "${spinners[@]}"
    wait "${spinners[@]}" 2>/dev/null || true
    spinners=()
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"

per_search() { # name target command... -> instructions per search
    local name="$1" target="$2"
    shift 2
    local a b
    a="$(instructions "$work/$name.$target.$N1" "$@" --uri "${target_uri[$target]}" --token "$token" "${common[@]}" --searches "$N1")"
    b="$(instructions "$work/$name.$target.$N2" "$@" --uri "${target_uri[$target]}" --token "$token" "${common[@]}" --searches "$N2")"
    "$py" -c 'import json,sys; print(json.dumps({"instructions":sys.argv[1],"target":sys.argv[2],"per_search":(int(sys.argv[4])-int(sys.argv[3]))//(int(sys.argv[6])-int(sys.argv[5]))}))' \
        "$name" "$target" "$a" "$b" "$N1" "$N2" | tee -a "$OUT"
}
for target in replay-0 replay-sleep standalone; do
    per_search raw "$target" "$build/bench/bench_raw_grpc"
    per_search cpp "$target" "$build/bench/bench_client" --api blocking
done
per_search raw-abseil-deadlock-detection replay-0 "$build/bench/bench_raw_grpc" --abseil-deadlock-detection on
per_search raw-abseil-deadlock-detection standalone "$build/bench/bench_raw_grpc" --abseil-deadlock-detection on
# System calls per search of the bare stub (strace -f -c, all threads; the same N2 - N1 difference).
syscalls() { # target searches -> total system calls
    strace -f -qq -c -o "$work/strace.$1.$2" "$build/bench/bench_raw_grpc" --uri "${target_uri[$1]}" --token "$token" \
        "${common[@]}" --searches "$2" >/dev/null
    awk '$NF == "total" { print $4 }' "$work/strace.$1.$2"
}
if command -v strace >/dev/null; then
    for target in replay-0 standalone; do
        "$py" -c 'import json,sys; print(json.dumps({"syscalls":"raw","target":sys.argv[1],"per_search":(int(sys.argv[3])-int(sys.argv[2]))/(int(sys.argv[5])-int(sys.argv[4]))}))' \
            "$target" "$(syscalls "$target" "$N1")" "$(syscalls "$target" "$N2")" "$N1" "$N2" | tee -a "$OUT"
    done
else
    echo "# strace is missing: no system call counts (apt-get install strace)"
fi

"$py" - "$OUT" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cpu = {}
for r in rows:
    if "cpu_us" in r:
        cpu.setdefault((r["target"], r["client"]), []).append(r["cpu_us"])
fmt = lambda v: f"{statistics.median(v):.0f} ({min(v):.0f}-{max(v):.0f})"
if cpu:  # REPEAT=0: instructions and system calls only
    print("\n| server | bare stub | mx::MilvusClient | pymilvus | ours / pymilvus | stub / pymilvus |")
    print("|---|---:|---:|---:|---:|---:|")
    for t in ["standalone", "replay-0", "replay-sleep", "replay-busy", "replay-sleep+spinners"]:
        v = {c: cpu[(t, c)] for c in ["raw", "cpp", "pymilvus"]}
        m = {c: statistics.median(x) for c, x in v.items()}
        print(f"| {t} | {fmt(v['raw'])} | {fmt(v['cpp'])} | {fmt(v['pymilvus'])} | "
              f"{m['cpp'] / m['pymilvus']:.2f}x | {m['raw'] / m['pymilvus']:.2f}x |")
    print("\nCPU us per search, median (min-max) of the rounds.")
print()
print("| instructions per search | replay-0 | replay-sleep | standalone |")
print("|---|---:|---:|---:|")
ins = {(r["instructions"], r["target"]): r["per_search"] for r in rows if "instructions" in r}
for n in ["raw", "cpp", "raw-abseil-deadlock-detection"]:
    print(f"| {n} | " + " | ".join(f"{ins[(n, t)]:,}" if (n, t) in ins else "-" for t in ["replay-0", "replay-sleep", "standalone"]) + " |")
sc = {r["target"]: r["per_search"] for r in rows if "syscalls" in r}
if sc:
    print("\nSystem calls per search, bare stub: " + ", ".join(f"{t} {v:.2f}" for t, v in sc.items()))
EOF
echo "# results in $OUT; callgrind files in $work"
