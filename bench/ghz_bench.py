#!/usr/bin/env python3
"""Python side of bench/ghz_compare.sh: milvus-loadtest and ghz sending the same Search request.

  ghz_bench.py setup --uri U --token root:Milvus --collection C --rows 20000 --dim 128 --queries 50
                     --k 10 --ef 64 --out DIR
      Creates and loads C (bench/client_bench.py's schema and vectors: pk, vector, text; HNSW), then
      writes DIR/vectors.json (the query vectors, for milvus-loadtest --query-vectors), DIR/ghz-data.json
      (the SearchRequest messages milvus-loadtest builds for them, as protobuf JSON, for ghz -D) and
      DIR/ghz-metadata.json, and checks that the first message succeeds on the server.
  ghz_bench.py run --tool ours|ghz --concurrency N --metrics URL --result FILE --out RESULTS.jsonl -- CMD...
      Runs CMD (the client, already pinned with taskset), takes the server's metrics before and after,
      the client's CPU time from its rusage, and appends one JSON line.
  ghz_bench.py report RESULTS.jsonl [MORE.jsonl ...]
      The table: per tool and concurrency, median [min-max] over the runs (of all the files), and the
      agreement.
"""
import argparse
import base64
import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


# --- the request ---------------------------------------------------------------------------------

def search_request(collection, vector, k, ef, output_fields):
    """The SearchRequest mx::MilvusClient builds (services/MilvusClientData.cpp, buildSearch and
    setConsistency) for SearchOperation at --consistency Bounded: same fields, same values, same order."""
    import struct

    from pymilvus.grpc_gen import common_pb2, milvus_pb2

    group = common_pb2.PlaceholderGroup()
    ph = group.placeholders.add()
    ph.tag = "$0"
    ph.type = common_pb2.PlaceholderType.FloatVector
    ph.values.append(struct.pack("<%df" % len(vector), *vector))
    req = milvus_pb2.SearchRequest()
    req.db_name = ""  # no --db: the default database, no dbname metadata
    req.collection_name = collection
    req.dsl = ""
    req.dsl_type = common_pb2.DslType.BoolExprV1
    req.output_fields.extend(output_fields)
    req.placeholder_group = group.SerializeToString()
    req.nq = 1
    for key, value in (("anns_field", "vector"), ("topk", str(k)), ("round_decimal", "-1"),
                       ("ignore_growing", "False"), ("params", json.dumps({"ef": ef}, separators=(",", ":")))):
        kv = req.search_params.add()
        kv.key, kv.value = key, value
    req.consistency_level = common_pb2.ConsistencyLevel.Bounded
    req.use_default_consistency = False
    req.guarantee_timestamp = 2  # Bounded, as pymilvus and our client send it
    return req


def cmd_setup(a):
    import grpc
    from google.protobuf import json_format
    from pymilvus import MilvusClient
    from pymilvus.grpc_gen import milvus_pb2_grpc

    import client_bench

    c = MilvusClient(uri=a.uri, token=a.token)
    if c.has_collection(a.collection):
        c.drop_collection(a.collection)
    schema, params = client_bench.schema_and_index(a.dim, "HNSW")
    c.create_collection(a.collection, schema=schema)
    t0 = time.perf_counter()
    for first in range(0, a.rows, 5000):
        c.insert(a.collection, client_bench.rows_for(first, min(5000, a.rows - first), a.dim))
    c.flush(a.collection)
    c.create_index(a.collection, params)
    while True:  # the index over every flushed row before the load
        d = c.describe_index(a.collection, "vector")
        if int(d.get("indexed_rows", 0)) >= a.rows and int(d.get("pending_index_rows", 0)) == 0:
            break
        time.sleep(0.5)
    c.load_collection(a.collection)
    while str(c.get_load_state(a.collection).get("state")) != "Loaded":
        time.sleep(0.5)
    t1 = time.perf_counter()

    # Query vectors: rows 1,000,000 + i of bench/client_bench.py's generator (not in the collection).
    queries = client_bench.vectors_for(1000000, a.queries, a.dim)
    # float32 values printed exactly (repr of the float32 widened to double reads back as the same float32)
    vectors = [[float(x) for x in q] for q in queries]
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "vectors.json"), "w") as f:
        json.dump(vectors, f)
    fields = [x for x in a.output_fields.split(",") if x]
    reqs = [search_request(a.collection, v, a.k, a.ef, fields) for v in vectors]
    with open(os.path.join(a.out, "ghz-data.json"), "w") as f:
        json.dump([json_format.MessageToDict(r, preserving_proto_field_name=True) for r in reqs], f)
    auth = base64.b64encode(a.token.encode()).decode()
    with open(os.path.join(a.out, "ghz-metadata.json"), "w") as f:
        json.dump({"authorization": auth}, f)

    # The message itself, sent once: it must succeed with k hits and the text field.
    channel = grpc.insecure_channel(a.uri.split("//", 1)[-1])
    stub = milvus_pb2_grpc.MilvusServiceStub(channel)
    res = stub.Search(reqs[0], metadata=[("authorization", auth)], timeout=30)
    hits = len(res.results.ids.int_id.data)
    names = [fd.field_name for fd in res.results.fields_data]
    if res.status.code != 0 or res.status.error_code != 0 or hits != a.k or names != fields:
        sys.exit(f"the ghz request does not search as expected: status {res.status}, {hits} hits, fields {names}")
    for _ in range(200):  # warm the searcher before any measured run
        stub.Search(reqs[_ % len(reqs)], metadata=[("authorization", auth)], timeout=30)
    print(json.dumps({"collection": a.collection, "rows": a.rows, "setup_s": round(t1 - t0, 1),
                      "queries": len(reqs), "request_bytes": reqs[0].ByteSize(), "hits": hits,
                      "fields": names}))


# --- the server's view ---------------------------------------------------------------------------

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="([^"]*)"')


def scrape(url):
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    samples = []
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m and not line.startswith("#"):
            samples.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return samples


def total(samples, name, **labels):
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == x for k, x in labels.items()))


def buckets(samples, name, **labels):
    out = {}
    for n, l, v in samples:
        if n == name + "_bucket" and all(l.get(k) == x for k, x in labels.items()):
            le = float("inf") if l["le"] == "+Inf" else float(l["le"])
            out[le] = out.get(le, 0) + v
    return out


def hist_quantile(delta, q):
    """Prometheus' histogram_quantile: linear inside the bucket holding the q-th observation."""
    les = sorted(delta)
    n = delta[les[-1]] if les else 0
    if n <= 0:
        return None
    rank, lo, below = q * n, 0.0, 0.0
    for le in les:
        if delta[le] >= rank:
            if le == float("inf"):
                return lo
            return lo + (le - lo) * (rank - below) / max(delta[le] - below, 1e-12)
        lo, below = le, delta[le]
    return lo


def server_view(before, after):
    """Searches served, CPU seconds, and the proxy's own latency (ms) between two scrapes."""
    d = lambda name, **l: total(after, name, **l) - total(before, name, **l)
    view = {
        "searches_ok": d("milvus_proxy_req_count", function_name="Search", status="success"),
        "searches_failed": d("milvus_proxy_req_count", function_name="Search", status="fail"),
        "cpu_s": d("process_cpu_seconds_total"),
    }
    # Milvus 2.3.5 observes whole milliseconds (ElapseSpan().Milliseconds(), truncated), from the proxy's
    # Search handler's start to its result: neither the gRPC transport nor the interceptors are in it.
    for key, name, labels in (("sq", "milvus_proxy_sq_latency", {"query_type": "search"}),):
        count = d(name + "_count", **labels)
        view[key + "_count"] = count
        view[key + "_mean_ms"] = d(name + "_sum", **labels) / count if count else None
        b0, b1 = buckets(before, name, **labels), buckets(after, name, **labels)
        delta = {le: b1[le] - b0.get(le, 0) for le in b1}
        view[key + "_p50_ms"] = hist_quantile(delta, 0.50)
        view[key + "_p99_ms"] = hist_quantile(delta, 0.99)
    # The query node merges searches waiting in its queue into one task (same collection and params):
    # requests per executed task, the server's batching; more of it, less CPU per request.
    tasks = d("milvus_querynode_search_group_size_count")
    view["search_tasks"] = tasks
    view["group_size_mean"] = d("milvus_querynode_search_group_size_sum") / tasks if tasks else None
    return view


def cmd_idle(a):
    """The server's CPU with no client: its background work (time ticks, compaction checks, ...)."""
    before = scrape(a.metrics)
    time.sleep(a.seconds)
    cores = server_view(before, scrape(a.metrics))["cpu_s"] / a.seconds
    with open(a.out, "a") as f:
        f.write(json.dumps({"tool": "idle", "seconds": a.seconds, "server_idle_cores": cores,
                            "load_before": open("/proc/loadavg").read().split()[:3]}) + "\n")
    print(f"  idle server: {cores * 1000:.0f} ms of CPU per second over {a.seconds} s", flush=True)


# --- one run ---------------------------------------------------------------------------------------

def percentile(sorted_values, p):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(p / 100.0 * (len(sorted_values) - 1) + 0.5))]


def parse_ours(path):
    j = json.load(open(path))
    run = j["runs"][0]
    if run.get("error"):
        sys.exit("milvus-loadtest run failed: " + run["error"])
    ph = run["phases"][-1] if "phases" in run else run["phase"]
    der = ph["derived"]
    svc = der["latencyUncorrected"]  # service time, send to answer: what ghz measures per call
    return {"ok": ph["completed"], "failed": ph["failed"] + ph["cancelled"], "seconds": der["seconds"],
            "rps": der["throughput"], "p50_ms": svc["p50Ns"] / 1e6, "p99_ms": svc["p99Ns"] / 1e6,
            "mean_ms": svc["meanNs"] / 1e6, "latency_measures": der["latencyUncorrectedMeasures"],
            "first_op_stalled": der.get("firstOpStalled"), "readiness": run.get("readiness"),
            # the process's CPU inside the timed phase only (its own figure), beside the rusage one
            "phase_cpu_per_req_us": der["processCpuPerOpNs"] / 1e3}


def parse_ghz(path):
    j = json.load(open(path))
    ok = sorted(d["latency"] for d in j.get("details", []) if d.get("status") == "OK")
    failed = sum(1 for d in j.get("details", []) if d.get("status") != "OK")
    seconds = j["total"] / 1e9
    return {"ok": len(ok), "failed": failed, "seconds": seconds, "rps": len(ok) / seconds,
            "p50_ms": percentile(ok, 50) / 1e6, "p99_ms": percentile(ok, 99) / 1e6,
            "mean_ms": statistics.fmean(ok) / 1e6, "ghz_rps": j.get("rps"),
            "status": j.get("statusCodeDistribution"), "errors": j.get("errorDistribution")}


SS_FIELD = re.compile(r"\b(bytes_sent|bytes_received|segs_out|segs_in|data_segs_out|data_segs_in):(\d+)")


def transport_sample(port, metrics, before):
    """The client's TCP connection(s) to the server so far (ss -ti) and the searches served so far: bytes
    and segments per search, both ways."""
    out = subprocess.run(["ss", "-tinH", "state", "established", f"( dport = :{port} )"],
                         capture_output=True, text=True).stdout
    tcp = {}
    for key, value in SS_FIELD.findall(out):
        tcp[key] = tcp.get(key, 0) + int(value)
    served = server_view(before, scrape(metrics))["searches_ok"]
    tcp["connections"] = out.count("127.0.0.1:%d" % port)
    tcp["searches"] = served
    if served:
        for key in ("bytes_sent", "bytes_received", "data_segs_out", "data_segs_in"):
            if key in tcp:
                tcp[key + "_per_search"] = tcp[key] / served
    return tcp


def cmd_run(a):
    before = scrape(a.metrics)
    load_before = open("/proc/loadavg").read().split()[:3]
    t0 = time.perf_counter()
    proc = subprocess.Popen(a.cmd, stdout=subprocess.DEVNULL, stderr=open(a.result + ".err", "w"))
    tcp = None
    if a.ss_port and a.sample_at > 0:
        time.sleep(a.sample_at)
        if proc.poll() is None:
            tcp = transport_sample(a.ss_port, a.metrics, before)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    after = scrape(a.metrics)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{a.tool} exited with {code}: see {a.result}.err")
    r = parse_ghz(a.result) if a.tool == "ghz" else parse_ours(a.result)
    r["wall_s"] = wall
    sv = server_view(before, after)
    cpu = usage.ru_utime + usage.ru_stime
    line = {"tool": a.tool, "concurrency": a.concurrency, "round": a.round, "load_before": load_before,
            "load_after": open("/proc/loadavg").read().split()[:3], "process_wall_s": round(wall, 2),
            "client_cpu_s": round(cpu, 3), "client_cpu_per_req_us": cpu / max(r["ok"], 1) * 1e6,
            "server_cpu_per_req_us": sv["cpu_s"] / max(sv["searches_ok"], 1) * 1e6, **r,
            "server": sv, "tcp": tcp, "cmd": " ".join(a.cmd)}
    with open(a.out, "a") as f:
        f.write(json.dumps(line) + "\n")
    print(f"  {a.tool:4} c={a.concurrency:<3} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.2f} ms  "
          f"p99 {r['p99_ms']:6.2f} ms  client {line['client_cpu_per_req_us']:5.0f} us/req  "
          f"server {line['server_cpu_per_req_us']:5.0f} us/req, proxy mean {sv['sq_mean_ms'] or 0:.2f} ms, "
          f"{sv['group_size_mean'] or 0:.2f} searches per task  "
          f"(load {' '.join(load_before)}; {r['failed']} failed, server saw {sv['searches_ok']:.0f} ok "
          f"{sv['searches_failed']:.0f} failed)", flush=True)


# --- the table -------------------------------------------------------------------------------------

def spread(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))} – {fmt.format(max(values))}]"


def cmd_report(a):
    rows = []
    for i, path in enumerate(a.results):  # several files pool their runs; rounds stay apart
        for line in open(path):
            if line.strip():
                rows.append(json.loads(line))
                rows[-1]["round"] = rows[-1].get("round", 0) + 1000 * i
    idle = [r["server_idle_cores"] for r in rows if r["tool"] == "idle"]
    idle_cores = statistics.median(idle) if idle else 0.0
    groups = {}
    for r in rows:
        if r["tool"] == "idle":
            continue
        # Server CPU per request without its idle background work over the client's whole run.
        r["server_busy_per_req_us"] = (r["server"]["cpu_s"] - idle_cores * r["wall_s"]) / max(
            r["server"]["searches_ok"], 1) * 1e6
        r["client_phase_us"] = r.get("phase_cpu_per_req_us")
        groups.setdefault((r["concurrency"], r["tool"]), []).append(r)
    print(f"Server idle: {idle_cores * 1000:.0f} ms CPU/s (median of {len(idle)}); 'server busy' subtracts it.")
    print()
    print("| tool | c | runs | req/s median [min-max] | p50 ms | p99 ms | client CPU us/req (timed phase) | "
          "server CPU us/req (busy) | server proxy search latency mean / p50 / p99 ms | load avg (1 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    med = {}
    for (c, tool), rs in sorted(groups.items()):
        sv = lambda k: [r["server"][k] for r in rs]
        med[(c, tool)] = {k: statistics.median([r[k] for r in rs]) for k in ("rps", "p50_ms", "p99_ms")}
        proxy = " / ".join(f"{statistics.median([v for v in sv(k) if v is not None] or [0]):.2f}"
                           for k in ("sq_mean_ms", "sq_p50_ms", "sq_p99_ms"))
        print(f"| {tool} | {c} | {len(rs)} | {spread([r['rps'] for r in rs], '{:.0f}')} | "
              f"{spread([r['p50_ms'] for r in rs], '{:.2f}')} | {spread([r['p99_ms'] for r in rs], '{:.2f}')} | "
              f"{spread([r['client_cpu_per_req_us'] for r in rs], '{:.0f}')}"
              f"{' (' + spread([r['client_phase_us'] for r in rs], '{:.0f}') + ')' if tool != 'ghz' else ''} | "
              f"{spread([r['server_cpu_per_req_us'] for r in rs], '{:.0f}')} "
              f"({spread([r['server_busy_per_req_us'] for r in rs], '{:.0f}')}) | {proxy} | "
              f"{spread([float(r['load_before'][0]) for r in rs], '{:.2f}')} |")
    print()
    print("Agreement: ratios of the medians, and the median [min-max] of the ratios of adjacent runs (same round).")
    print()
    print("| c | ghz/ours req/s | ghz/ours p50 | ghz/ours p99 | within 5% / 10% / 10% | paired req/s | "
          "paired p50 | paired p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for c in sorted({c for c, _ in groups}):
        o, g = med.get((c, "ours")), med.get((c, "ghz"))
        if not o or not g:
            continue
        ratio = {k: g[k] / o[k] for k in o}
        ok = [abs(ratio["rps"] - 1) <= 0.05, abs(ratio["p50_ms"] - 1) <= 0.10, abs(ratio["p99_ms"] - 1) <= 0.10]
        by_round = {(r["round"], r["tool"]): r for r in groups[(c, "ours")] + groups[(c, "ghz")]}
        rounds = sorted({rd for rd, _ in by_round if (rd, "ours") in by_round and (rd, "ghz") in by_round})
        paired = lambda k: spread([by_round[(rd, "ghz")][k] / by_round[(rd, "ours")][k] for rd in rounds], "{:.3f}")
        print(f"| {c} | {ratio['rps']:.3f} | {ratio['p50_ms']:.3f} | {ratio['p99_ms']:.3f} | "
              f"{' / '.join('yes' if x else 'NO' for x in ok)} | {paired('rps')} | {paired('p50_ms')} | "
              f"{paired('p99_ms')} |")
    print()
    print("Does the server's own view explain the differences? Per pair (ghz and the ours run before it): "
          "ghz/ours req/s against ours/ghz of the proxy's mean latency (the server's speed in that run) and of "
          "the server's CPU per search; and ghz minus ours of (client mean - proxy mean), the tools' own share.")
    print()
    print("| c | pairs | ghz faster | corr(req/s ratio, proxy speed ratio) | corr(req/s ratio, server CPU ratio) | "
          "tool share ghz - ours, ms: median [min-max] |")
    print("|---|---|---|---|---|---|")
    for c in sorted({c for c, _ in groups}):
        by_round = {(r["round"], r["tool"]): r for t in ("ours", "ghz") for r in groups.get((c, t), [])}
        pairs = [(by_round[(rd, "ghz")], by_round[(rd, "ours")]) for rd, t in sorted(by_round)
                 if t == "ours" and (rd, "ghz") in by_round]
        if len(pairs) < 3:
            continue
        rps = [g["rps"] / o["rps"] for g, o in pairs]
        speed = [o["server"]["sq_mean_ms"] / g["server"]["sq_mean_ms"] for g, o in pairs]
        cpu = [o["server_cpu_per_req_us"] / g["server_cpu_per_req_us"] for g, o in pairs]
        share = [(g["mean_ms"] - g["server"]["sq_mean_ms"]) - (o["mean_ms"] - o["server"]["sq_mean_ms"])
                 for g, o in pairs]
        print(f"| {c} | {len(pairs)} | {sum(x > 1 for x in rps)} of {len(pairs)} | "
              f"{statistics.correlation(rps, speed):.2f} | {statistics.correlation(rps, cpu):.2f} | "
              f"{spread(share, '{:+.2f}')} |")
    again = [c for c, tool in groups if tool == "ours-again"]
    if again:
        print()
        print("The A/B/A control (ours, ghz, ours again in each round): ours-again/ours is the same tool two runs "
              "later, i.e. the machine's drift; ghz/mean(ours, ours-again) is ghz against the runs around it.")
        print()
        print("| c | ours-again/ours req/s | p50 | p99 | ghz/mean(ours before, after) req/s | p50 | p99 |")
        print("|---|---|---|---|---|---|---|")
        for c in sorted(set(again)):
            rs = {(r["round"], r["tool"]): r for t in ("ours", "ghz", "ours-again") for r in groups.get((c, t), [])}
            rds = sorted({rd for rd, t in rs if t == "ours-again" and (rd, "ours") in rs and (rd, "ghz") in rs})
            aa = lambda k: spread([rs[(rd, "ours-again")][k] / rs[(rd, "ours")][k] for rd in rds], "{:.3f}")
            ab = lambda k: spread([rs[(rd, "ghz")][k] / ((rs[(rd, "ours")][k] + rs[(rd, "ours-again")][k]) / 2)
                                   for rd in rds], "{:.3f}")
            print(f"| {c} | {aa('rps')} | {aa('p50_ms')} | {aa('p99_ms')} | {ab('rps')} | {ab('p50_ms')} | "
                  f"{ab('p99_ms')} |")
    print()
    print("What each tool adds to the server's own time: client mean latency - proxy mean (the proxy's figure "
          "is in whole ms, truncated: about 0.5 ms low), and whether the server served what the tool counted.")
    print()
    print("| tool | c | client mean ms | proxy mean ms | client - proxy ms | searches per task (server) | "
          "client TCP bytes out / in per search | TCP data segments out / in per search | tool ok = server ok |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (c, tool), rs in sorted(groups.items()):
        gs = [r["server"].get("group_size_mean") for r in rs]
        # ghz's in-flight requests at the stop are cancelled (--duration-stop ignore): served, not counted.
        diff = [int(r["server"]["searches_ok"] - r["ok"]) for r in rs]
        tcp = lambda k, fmt="{:.0f}": spread([(r.get("tcp") or {}).get(k + "_per_search") for r in rs], fmt)
        print(f"| {tool} | {c} | {spread([r['mean_ms'] for r in rs], '{:.2f}')} | "
              f"{spread([r['server']['sq_mean_ms'] for r in rs], '{:.2f}')} | "
              f"{spread([r['mean_ms'] - r['server']['sq_mean_ms'] for r in rs], '{:.2f}')} | "
              f"{spread(gs, '{:.2f}')} | {tcp('bytes_sent')} / {tcp('bytes_received')} | "
              f"{tcp('data_segs_out', '{:.2f}')} / {tcp('data_segs_in', '{:.2f}')} | "
              f"server - tool: {', '.join(map(str, diff))} |")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd_name", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--uri", required=True)
    s.add_argument("--token", required=True)
    s.add_argument("--collection", required=True)
    s.add_argument("--rows", type=int, default=20000)
    s.add_argument("--dim", type=int, default=128)
    s.add_argument("--queries", type=int, default=50)
    s.add_argument("--k", type=int, default=10)
    s.add_argument("--ef", type=int, default=64)
    s.add_argument("--output-fields", default="text")
    s.add_argument("--out", required=True)
    r = sub.add_parser("run")
    r.add_argument("--tool", choices=["ours", "ghz", "ours-again"], required=True)
    r.add_argument("--concurrency", type=int, required=True)
    r.add_argument("--round", type=int, default=0)
    r.add_argument("--metrics", required=True)
    r.add_argument("--result", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--ss-port", type=int, default=0, help="sample the client's TCP connection to this port")
    r.add_argument("--sample-at", type=float, default=0, help="... this many seconds after the start")
    r.add_argument("cmd", nargs=argparse.REMAINDER)
    i = sub.add_parser("idle")
    i.add_argument("--metrics", required=True)
    i.add_argument("--seconds", type=float, default=10)
    i.add_argument("--out", required=True)
    t = sub.add_parser("report")
    t.add_argument("results", nargs="+")
    a = p.parse_args()
    if a.cmd_name == "run" and a.cmd and a.cmd[0] == "--":
        a.cmd = a.cmd[1:]
    {"setup": cmd_setup, "run": cmd_run, "idle": cmd_idle, "report": cmd_report}[a.cmd_name](a)


if __name__ == "__main__":
    main()
