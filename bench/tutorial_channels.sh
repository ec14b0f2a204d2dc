#!/usr/bin/env bash
# One channel or several: the same load over 1 and N gRPC channels (connections) against a running
# server, interleaved, REPEATS times, to choose milvus-loadtest's default for --channels. Run by
# bench/tutorial_compare.sh (CHANNELS="1 4") on its standalone, or by hand:
#
#   MX_TUTORIAL_TOKEN=root:Milvus bench/tutorial_channels.sh URI BUILD_DIR OUT_DIR
#   env: CHANNELS="1 4" REPEATS=3 COUNT=3000 CONCURRENCY=32
# Workloads: search k=3 with pre-computed vectors (no embedding: the client and the server only), bounded
# at CONCURRENCY in flight and async all at once; ops/s and p50/p99 service time per run.
set -euo pipefail
uri="$1"
build="$2"
out="$3"
CHANNELS="${CHANNELS:-1 4}"
REPEATS="${REPEATS:-3}"
COUNT="${COUNT:-3000}"
CONCURRENCY="${CONCURRENCY:-32}"
loadtest="$build/app/loadtest/milvus-loadtest"
mkdir -p "$out"
: >"$out/channels.jsonl"
for r in $(seq "$REPEATS"); do
    for mode in bounded async; do
        for ch in $CHANNELS; do
            load="$(cut -d' ' -f1-3 /proc/loadavg)"
            f="$out/channels-$mode-$ch-$r.json"
            "$loadtest" --uri "$uri" --token-env MX_TUTORIAL_TOKEN --op search --mode "$mode" \
                --concurrency "$CONCURRENCY" --count "$COUNT" --precomputed-vectors --warmup 200 \
                --channels "$ch" --quiet --json "$f" >"$out/channels-$mode-$ch-$r.txt" 2>&1 || true
            echo "{\"mode\": \"$mode\", \"channels\": $ch, \"repeat\": $r, \"load\": \"$load\", \"file\": \"$f\"}" \
                >>"$out/channels.jsonl"
        done
    done
done
python3 - "$out/channels.jsonl" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    run = json.loads(line)
    try:
        rep = json.load(open(run["file"]))
        p = rep["runs"][0]["phases"][0]
        d = p["derived"]
    except (OSError, ValueError, KeyError, IndexError) as exc:
        print(f"{run}: no result ({exc})")
        continue
    rows.setdefault((run["mode"], run["channels"]), []).append(
        (d["throughput"], d["latencyUncorrected"]["p50Ns"] / 1e6, d["latencyUncorrected"]["p99Ns"] / 1e6,
         p["failed"], rep["runs"][0].get("operationsPerChannel", []), run["load"]))
def s(v, f="{:.0f}"):
    return f"{f.format(statistics.median(v))} [{f.format(min(v))}-{f.format(max(v))}]"
print("| mode | channels | ops/s | p50 ms | p99 ms | failed | ops per channel (last run) | load averages |")
print("|---|---:|---|---|---|---:|---|---|")
for (mode, ch), v in sorted(rows.items()):
    print(f"| {mode} | {ch} | {s([x[0] for x in v])} | {s([x[1] for x in v], '{:.2f}')} | "
          f"{s([x[2] for x in v], '{:.2f}')} | {sum(x[3] for x in v)} | {'/'.join(map(str, v[-1][4])) or '-'} | "
          f"{'; '.join(x[5] for x in v)} |")
EOF
