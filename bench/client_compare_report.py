#!/usr/bin/env python3
"""Turns the JSON lines of bench/client_compare.sh into a Markdown table (stdout)."""
import json
import sys

rows = {}
order = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    rec = json.loads(line)
    key = rec["key"]
    if key not in rows:
        rows[key] = {"client": rec["result"]["client"], "rss": 0.0, "load": []}
        order.append(key)
    r = rows[key]
    res = rec["result"]
    r["rss"] = max(r["rss"], res.get("peak_rss_mb", 0))
    r["load"].append(rec["load"].split()[0])
    for k in ("search_seq", "search_concurrent", "insert"):
        if k in res:
            r[k] = res[k]


def f(v, d=1):
    return "–" if v is None else f"{v:,.{d}f}"


print("| client | search seq p50 ms | seq p99 ms | seq ops/s | 32 in flight ops/s | insert rows/s "
      "| peak RSS MB | load avg (search, insert) |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for key in order:
    r = rows[key]
    s, c, i = r.get("search_seq", {}), r.get("search_concurrent", {}), r.get("insert", {})
    print(f"| {r['client']} | {f(s.get('p50_ms'))} | {f(s.get('p99_ms'))} | {f(s.get('ops_per_s'))} "
          f"| {f(c.get('ops_per_s'))} | {f(i.get('rows_per_s'), 0)} | {f(r['rss'], 0)} | {', '.join(r['load'])} |")
