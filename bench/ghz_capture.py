#!/usr/bin/env python3
"""Proves that milvus-loadtest and ghz send the same Search request: a pass-through gRPC proxy in front
of the real server records the serialized bytes (and the Milvus metadata) of every Search it forwards.

  ghz_capture.py proxy --listen PORT --target HOST:PORT --out FILE.jsonl   (runs until SIGTERM)
  ghz_capture.py compare FILE.jsonl TOOL_A TOOL_B --count N
      The proxy tags each request with the client's user-agent; compares the first N Search messages
      of the two tools, in order, byte for byte, and the authorization and dbname metadata.
"""
import argparse
import hashlib
import json
import signal
import sys
import threading
from concurrent import futures

import grpc

FORWARDED = ("authorization", "dbname")


class Proxy(grpc.GenericRpcHandler):
    def __init__(self, target, out):
        self.channel = grpc.insecure_channel(target, options=[("grpc.max_receive_message_length", -1),
                                                             ("grpc.max_send_message_length", -1)])
        self.out = out
        self.lock = threading.Lock()

    def service(self, details):
        method = details.method
        # No (de)serializers: requests and replies stay the bytes the client and the server sent.
        forward = self.channel.unary_unary(method, request_serializer=None, response_deserializer=None)

        def handle(request, context):
            md = dict(context.invocation_metadata())
            if method.endswith("/Search"):
                agent = md.get("user-agent", "")
                with self.lock:
                    self.out.write(json.dumps({"agent": agent, "bytes": len(request),
                                               "sha256": hashlib.sha256(request).hexdigest(),
                                               "hex": request.hex(),
                                               "metadata": {k: md.get(k) for k in FORWARDED}}) + "\n")
                    self.out.flush()
            try:
                return forward(request, metadata=[(k, v) for k, v in md.items() if k in FORWARDED],
                               timeout=context.time_remaining())
            except grpc.RpcError as e:
                context.abort(e.code(), e.details())

        return grpc.unary_unary_rpc_method_handler(handle)


def cmd_proxy(a):
    out = open(a.out, "a")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8), handlers=[Proxy(a.target, out)],
                         options=[("grpc.max_receive_message_length", -1)])
    server.add_insecure_port(f"127.0.0.1:{a.listen}")
    server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("listening", flush=True)
    stop.wait()
    server.stop(2)


def cmd_compare(a):
    rows = [json.loads(line) for line in open(a.file) if line.strip()]
    by = {tool: [r for r in rows if tool in r["agent"]] for tool in (a.tool_a, a.tool_b)}
    for tool, rs in by.items():
        if len(rs) < a.count:
            sys.exit(f"only {len(rs)} Search requests from '{tool}' (user-agents seen: "
                     f"{sorted({r['agent'] for r in rows})})")
    first_a, first_b = by[a.tool_a][: a.count], by[a.tool_b][: a.count]
    same = sum(1 for x, y in zip(first_a, first_b) if x["hex"] == y["hex"])
    md_same = all(x["metadata"] == y["metadata"] for x, y in zip(first_a, first_b))
    distinct = len({r["sha256"] for r in first_a})
    print(json.dumps({"compared": a.count, "identical_bytes": same, "distinct_requests": distinct,
                      "request_bytes": sorted({r["bytes"] for r in first_a}),
                      "metadata_identical": md_same, "metadata_keys": sorted(k for k, v in
                                                                             first_a[0]["metadata"].items() if v),
                      "agents": [first_a[0]["agent"], first_b[0]["agent"]]}))
    if same != a.count or not md_same:
        for i, (x, y) in enumerate(zip(first_a, first_b)):
            if x["hex"] != y["hex"]:
                print(f"request {i} differs:\n  {a.tool_a}: {x['hex']}\n  {a.tool_b}: {y['hex']}", file=sys.stderr)
                break
        sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("proxy")
    s.add_argument("--listen", type=int, required=True)
    s.add_argument("--target", required=True)
    s.add_argument("--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("file")
    c.add_argument("tool_a")
    c.add_argument("tool_b")
    c.add_argument("--count", type=int, default=50)
    a = p.parse_args()
    {"proxy": cmd_proxy, "compare": cmd_compare}[a.cmd](a)


if __name__ == "__main__":
    main()
