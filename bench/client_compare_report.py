#!/usr/bin/env python3
"""Turns the JSON lines of bench/client_compare.sh into Markdown tables (stdout): per client, the median
and the min-max over the rounds of its CPU time per operation and its throughput, and the CPU ratios
against pymilvus MilvusClient and against the bare gRPC stub of the same form (blocking / async)."""
import json
import statistics
import sys

runs = {}  # key -> phase -> list of result dicts
names = {}
loads = {}
order = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    rec = json.loads(line)
    key = rec["key"]
    if key not in names:
        order.append(key)
    names[key] = rec["result"]["client"]
    runs.setdefault(key, {}).setdefault(rec["phase"], []).append(rec["result"])
    loads.setdefault(key, []).append(rec["load"].split()[0])


def values(key, phase, section, field):
    out = []
    for r in runs.get(key, {}).get(phase, []):
        v = r.get(section, {}).get(field)
        if v is not None:
            out.append(v)
    return out


def med(key, phase, section, field):
    v = values(key, phase, section, field)
    return statistics.median(v) if v else None


def cell(key, phase, section, field, d=0):
    v = values(key, phase, section, field)
    if not v:
        return "–"
    return f"{statistics.median(v):,.{d}f} [{min(v):,.{d}f}–{max(v):,.{d}f}]"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def floor_for(key):
    # The bare stub on the same mechanism: our async client runs on a completion queue.
    if key == "cpp-async-chained":
        return "raw-cq-chained"
    if key == "cpp-async":
        return "raw-cq"
    if key.startswith("raw-"):
        return key
    return "raw-blocking"


rounds = max((len(p.get("search", [])) for p in runs.values()), default=0)
print(f"Search, k=10, output field `text`; median [min–max] over {rounds} rounds; CPU = the client "
      "process's user + system time over the phase, per search.\n")
print("| client | CPU µs/search, sequential | CPU µs/search, 32 in flight | vs pymilvus (seq / 32) "
      "| vs bare gRPC (seq / 32) | searches/s sequential | searches/s 32 in flight | p50 / p99 ms seq "
      "| load avg at each round |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for key in order:
    if "search" not in runs[key]:
        continue
    seq = med(key, "search", "search_seq", "cpu_us_per_op")
    conc = med(key, "search", "search_concurrent", "cpu_us_per_op")
    pseq = med("pymilvus", "search", "search_seq", "cpu_us_per_op")
    pconc = med("pymilvus", "search", "search_concurrent", "cpu_us_per_op")
    fl = floor_for(key)
    fseq = med(fl, "search", "search_seq", "cpu_us_per_op")
    fconc = med(fl, "search", "search_concurrent", "cpu_us_per_op")
    p50 = med(key, "search", "search_seq", "p50_ms")
    p99 = med(key, "search", "search_seq", "p99_ms")
    print(f"| {names[key]} | {cell(key, 'search', 'search_seq', 'cpu_us_per_op')} "
          f"| {cell(key, 'search', 'search_concurrent', 'cpu_us_per_op')} "
          f"| {ratio(seq, pseq)} / {ratio(conc, pconc)} "
          f"| {ratio(seq, fseq) if key.startswith(('cpp', 'raw')) else '–'} / "
          f"{ratio(conc, fconc) if key.startswith(('cpp', 'raw')) else '–'} "
          f"| {cell(key, 'search', 'search_seq', 'ops_per_s')} "
          f"| {cell(key, 'search', 'search_concurrent', 'ops_per_s')} "
          f"| {'–' if p50 is None else f'{p50:.2f} / {p99:.2f}'} "
          f"| {', '.join(loads[key][:rounds])} |")

if any("insert" in p for p in runs.values()):
    print("\nInsert, batches one after another; median [min–max] over the rounds.\n")
    print("| client | CPU µs per batch | CPU µs per row | vs pymilvus | rows/s |")
    print("|---|---:|---:|---:|---:|")
    pins = med("pymilvus", "insert", "insert", "cpu_us_per_batch")
    for key in order:
        if "insert" not in runs[key]:
            continue
        per_batch = med(key, "insert", "insert", "cpu_us_per_batch")
        batch = runs[key]["insert"][0]["insert"]["batch"]
        print(f"| {names[key]} | {cell(key, 'insert', 'insert', 'cpu_us_per_batch')} "
              f"| {per_batch / batch:,.1f} | {ratio(per_batch, pins)} "
              f"| {cell(key, 'insert', 'insert', 'rows_per_s')} |")
