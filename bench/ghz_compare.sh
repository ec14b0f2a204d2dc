#!/usr/bin/env bash
# Agreement of milvus-loadtest with an independent gRPC load tool (ghz) on ONE Milvus standalone 2.3.5
# (the venv's milvus package, started here on free loopback ports in a temporary data directory):
# both send the same Search request (the same 50 query vectors in the same order, k, HNSW ef, output
# field, Bounded consistency, credentials) at each concurrency, interleaved (ours c=1, ghz c=1, ours c=8,
# ghz c=8, ...) for ROUNDS rounds of DURATION each. The server is pinned to core SERVER_CPU and every
# client to CLIENT_CPU (taskset), and the server's own view (its Prometheus metrics: searches served,
# proxy search latency, process CPU) is taken before and after each run. Prints a table; see
# docs/benchmarks-ghz.md.
#
#   bench/ghz_compare.sh [BUILD_DIR] [VENV_DIR]
#   env: DURATION=20s ROUNDS=3 CONCURRENCY="1 8 32" ROWS=20000 DIM=128 K=10 EF=64 SERVER_CPU=0
#        CLIENT_CPU=1 GHZ_CPUS=1 GHZ_VERSION=v0.93.0 AA=0 OUT=results.jsonl
# SERVER_CPU and CLIENT_CPU are taskset core lists: SERVER_CPU=0,1 CLIENT_CPU=0,1 GHZ_CPUS=2 runs unpinned.
# Needs: protoc, taskset, ss, a build with milvus-loadtest; ghz is installed into BUILD_DIR/tools with
# the machine's Go when missing (go install github.com/bojand/ghz/cmd/ghz@GHZ_VERSION).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/.." && pwd)"
build="$(cd "${1:-$src/build}" && pwd)"
venv="${2:-$build/venv}"
py="$venv/bin/python"
loadtest="$build/app/loadtest/milvus-loadtest"
DURATION="${DURATION:-20s}"
ROUNDS="${ROUNDS:-3}"
CONCURRENCY="${CONCURRENCY:-1 8 32}"
ROWS="${ROWS:-20000}"
DIM="${DIM:-128}"
K="${K:-10}"
EF="${EF:-64}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
GHZ_VERSION="${GHZ_VERSION:-v0.93.0}"
GHZ_CPUS="${GHZ_CPUS:-1}" # ghz's GOMAXPROCS: the cores CLIENT_CPU gives it
AA="${AA:-0}" # 1: each round runs ours, ghz, ours again (the A/B/A control for drift of the shared machine)
COLLECTION=ghz_bench
[[ "$DURATION" =~ ^[0-9]+s$ ]] || { echo "DURATION must be whole seconds, like 20s" >&2; exit 2; }
sample_at=$((${DURATION%s} * 9 / 10)) # the TCP connection is sampled near each run's end
TOKEN=root:Milvus # the standalone's factory credentials; the server is on loopback and thrown away

for tool in protoc taskset ss; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install protobuf-compiler util-linux iproute2)" >&2; exit 1; }
done
[[ -x "$loadtest" ]] || { echo "missing $loadtest: build the milvus-loadtest target" >&2; exit 1; }
[[ -x "$py" ]] || { echo "missing $py: run scripts/setup.sh" >&2; exit 1; }
ghz="$build/tools/ghz"
if [[ ! -x "$ghz" ]]; then
    command -v go >/dev/null || { echo "ghz is missing and there is no Go to install it with" >&2; exit 1; }
    echo "# installing ghz $GHZ_VERSION into $build/tools" >&2
    mkdir -p "$build/tools"
    GOBIN="$build/tools" go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION"
fi

work="$(mktemp -d /tmp/mx-ghz-compare.XXXXXX)"
OUT="${OUT:-$work/results.jsonl}"
server=""
proxy=""
cleanup() {
    [[ -z "$proxy" ]] || kill -TERM "$proxy" 2>/dev/null || true
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 40); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -rf "$work/data"
}
trap cleanup EXIT

# ghz cannot parse proto3 `optional` from .proto sources (its parser refuses the label): it gets a
# descriptor set compiled by protoc from the project's vendored protos instead.
protoc --include_imports --descriptor_set_out="$work/milvus.protoset" -I "$src/services/proto" \
    "$src/services/proto/milvus.proto"

# The server: the project's own set-up script prepares the data directory and ports (as mx::LocalServer
# does), then the real `milvus` binary runs pinned to SERVER_CPU.
mkdir -p "$work/data"
args="{\"data_dir\": \"$work/data\", \"bin_base\": \"$build/standalone-bin\", \"proxy_port\": 0,
       \"extra\": {\"authorization_enabled\": true, \"common.gracefulStopTimeout\": 10}}"
result="$("$py" "$src/services/localserver/standalone_setup.py" "$args" | sed -n 's/^result //p')"
[[ -n "$result" ]] || { echo "preparing the standalone failed" >&2; exit 1; }
field() { "$py" -c "import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$result" "$1"; }
port="$(field proxy_port)"
metrics_port="$(field metrics_port)"
exe="$(field executable)"
(
    cd "$work/data"
    exec env DEPLOY_MODE=STANDALONE METRICS_PORT="$metrics_port" MILVUS_RUN_DIR="$work/data/run" \
        ETCD_CONFIG_PATH="$(field etcd_config)" LD_LIBRARY_PATH="$(field library_dir)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        taskset -c "$SERVER_CPU" "$exe" run standalone >"$work/server.log" 2>&1
) &
server=$!
disown "$server" # stopped by cleanup(); its exit status is of no interest
uri="http://127.0.0.1:$port"
metrics="http://127.0.0.1:$metrics_port/metrics"
for _ in $(seq 240); do
    "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "http://127.0.0.1:$metrics_port/healthz" 2>/dev/null && break
    kill -0 "$server" 2>/dev/null || { echo "the standalone exited: $work/server.log" >&2; exit 1; }
    sleep 0.5
done

echo "# machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "# server: milvus $(field version) standalone on $uri (pid $server, taskset -c $SERVER_CPU); clients on core $CLIENT_CPU"
echo "# tools: $("$loadtest" --version), ghz $(go version -m "$ghz" 2>/dev/null | awk '$1 == "mod" {print $3}'), $(protoc --version)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Setup retries until the proxy answers (it listens a few seconds after /healthz).
for attempt in $(seq 30); do
    if "$py" "$here/ghz_bench.py" setup --uri "$uri" --token "$TOKEN" --collection "$COLLECTION" \
        --rows "$ROWS" --dim "$DIM" --k "$K" --ef "$EF" --output-fields text --out "$work/req" 2>"$work/setup.err"; then
        break
    fi
    [[ $attempt -lt 30 ]] || { cat "$work/setup.err" >&2; exit 1; }
    sleep 2
done

export MX_GHZ_TOKEN="$TOKEN"
ours_args() { # concurrency: milvus-loadtest's flags after --uri (without --duration/--count)
    echo --token-env MX_GHZ_TOKEN --collection "$COLLECTION" --op search --mode bounded --concurrency "$1" \
        --timeout 30s --k "$K" --output-fields text --consistency Bounded --query-vectors "$work/req/vectors.json" \
        --quiet
}
ghz_args() { # concurrency: ghz's flags before the address (without -z/-n)
    echo --insecure --cpus "$GHZ_CPUS" --protoset "$work/milvus.protoset" --call milvus.proto.milvus.MilvusService/Search \
        -D "$work/req/ghz-data.json" -M "$work/req/ghz-metadata.json" -c "$1" -t 30s
}
# The same request, checked: both tools' first 50 searches at c=1 through a recording pass-through proxy,
# compared byte for byte (and their authorization / dbname metadata).
proxy_port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$py" "$here/ghz_capture.py" proxy --listen "$proxy_port" --target "127.0.0.1:$port" --out "$work/capture.jsonl" \
    >"$work/proxy.log" 2>&1 &
proxy=$!
for _ in $(seq 60); do grep -q listening "$work/proxy.log" 2>/dev/null && break; sleep 0.5; done
# shellcheck disable=SC2046 # the flags are words without spaces
"$loadtest" --uri "http://127.0.0.1:$proxy_port" $(ours_args 1) --search-params "{\"ef\":$EF}" --count 50 \
    >/dev/null
# shellcheck disable=SC2046
"$ghz" $(ghz_args 1) -n 50 -O json -o "$work/capture-ghz.json" "127.0.0.1:$proxy_port"
kill -TERM "$proxy"
wait "$proxy" || true
proxy=""
echo "# same request: $("$py" "$here/ghz_capture.py" compare "$work/capture.jsonl" grpc-c++ grpc-go --count 50)"
measure() { # tool concurrency round result-file -- client command...
    "$py" "$here/ghz_bench.py" run --tool "$1" --concurrency "$2" --round "$3" --metrics "$metrics" \
        --result "$4" --out "$OUT" --ss-port "$port" --sample-at "$sample_at" "${@:5}"
}
: >"$OUT"
"$py" "$here/ghz_bench.py" idle --metrics "$metrics" --seconds 10 --out "$OUT"
for round in $(seq "$ROUNDS"); do
    echo "# round $round/$ROUNDS"
    for c in $CONCURRENCY; do
        res="$work/ours-c$c-r$round.json"
        # shellcheck disable=SC2046
        measure ours "$c" "$round" "$res" -- taskset -c "$CLIENT_CPU" "$loadtest" --uri "$uri" $(ours_args "$c") \
            --search-params "{\"ef\":$EF}" --duration "$DURATION" --json "$res"
        res="$work/ghz-c$c-r$round.json"
        # shellcheck disable=SC2046
        measure ghz "$c" "$round" "$res" -- taskset -c "$CLIENT_CPU" "$ghz" $(ghz_args "$c") -z "$DURATION" \
            --duration-stop ignore -O json -o "$res" "127.0.0.1:$port"
        if [[ "$AA" == 1 ]]; then # the control: ours once more, so ours-vs-ours shows the drift
            res="$work/ours-again-c$c-r$round.json"
            # shellcheck disable=SC2046
            measure ours-again "$c" "$round" "$res" -- taskset -c "$CLIENT_CPU" "$loadtest" --uri "$uri" \
                $(ours_args "$c") --search-params "{\"ef\":$EF}" --duration "$DURATION" --json "$res"
        fi
    done
done
"$py" "$here/ghz_bench.py" idle --metrics "$metrics" --seconds 10 --out "$OUT"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# results: $OUT"
"$py" "$here/ghz_bench.py" report "$OUT"
