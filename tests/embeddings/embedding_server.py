#!/usr/bin/env python3
"""An OpenAI-compatible embeddings server for tst_httpembedding (standard library only).

Usage: embedding_server.py [PORT]   (0 or nothing: a free port). Binds 127.0.0.1 and prints
"PORT <n>" on stdout once it accepts connections. Exits when its stdin reaches end of file, so a test
that crashes (and so never kills it) does not leave it running.

POST /v1/embeddings  {"model", "input": [...], "encoding_format", "dimensions"?}
    Vectors are the local hashed n-gram embedding (the algorithm of LocalEmbeddingProvider), of
    "dimensions" components or DEFAULT_DIM. data[] is answered in REVERSED order, each item with its
    "index", so a client that ignores "index" gets the order wrong. The model name picks a behaviour;
    counters are per model name and cleared by POST /reset:
      normal[:DELAY_MS]         answer (after DELAY_MS)
      stagger:MS                the first request of this model sleeps MS, the others answer at once
      429:N:RA                  the first N requests (N = "inf": all) get 429; RA is the Retry-After:
                                seconds, "none" (no header) or "dateS" (an HTTP-date S seconds ahead)
      500:N                     the first N requests get 500 (no Retry-After)
      slow:MS                   sleep MS, then answer
      malformed | no-data | bad-embedding | count-mismatch   broken 200 replies
      wrongdim                  vectors of (requested or default dimension) + 1
      drift                     request k of this model gets DEFAULT_DIM + k dimensions
      base64                    embeddings as base64 float32 (as for encoding_format=base64)
      auth                      requires "Authorization: Bearer test-key", else 401
      anything else             404, model not found
GET /stats   {"requests", "max_batch", "batch_sizes", "peak_concurrency", "last_request",
              "last_authorization"} since the last reset.
POST /reset  clears stats and counters.
"""

import base64
import email.utils
import json
import math
import os
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_DIM = 32
API_KEY = "test-key"


def embed(text, dim):
    s = " " + text.lower() + " "
    cps = list(s)
    v = [0.0] * dim
    for n in (3, 4):
        for i in range(len(cps) - n + 1):
            h = 14695981039346656037
            for b in "".join(cps[i:i + n]).encode("utf-8"):
                h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
            v[h % dim] += 1.0 if (h >> 63) == 0 else -1.0
    norm = math.sqrt(sum(x * x for x in v))
    if norm == 0:
        v = [0.0] * dim
        v[0] = 1.0
        return v
    return [x / norm for x in v]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.requests = 0
        self.batch_sizes = []
        self.in_flight = 0
        self.peak = 0
        self.per_model = {}
        self.last_request = None
        self.last_authorization = None


STATS = Stats()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the test output readable
        pass

    def send_json(self, status, obj, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout or cancel): nothing to answer

    def do_GET(self):
        if self.path == "/stats":
            with STATS.lock:
                self.send_json(200, {
                    "requests": STATS.requests,
                    "max_batch": max(STATS.batch_sizes, default=0),
                    "batch_sizes": STATS.batch_sizes,
                    "peak_concurrency": STATS.peak,
                    "last_request": STATS.last_request,
                    "last_authorization": STATS.last_authorization,
                })
        else:
            self.send_json(404, {"error": "no such path"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/reset":
            with STATS.lock:
                STATS.reset()
            self.send_json(200, {"ok": True})
            return
        if self.path != "/v1/embeddings":
            self.send_json(404, {"error": {"message": "no route " + self.path}})
            return
        req = json.loads(raw)
        model = req.get("model", "")
        inputs = req.get("input", [])
        with STATS.lock:
            STATS.requests += 1
            STATS.batch_sizes.append(len(inputs))
            STATS.in_flight += 1
            STATS.peak = max(STATS.peak, STATS.in_flight)
            STATS.last_request = req
            STATS.last_authorization = self.headers.get("Authorization")
            ordinal = STATS.per_model.get(model, 0)
            STATS.per_model[model] = ordinal + 1
        try:
            self.answer(model, ordinal, req, inputs)
        finally:
            with STATS.lock:
                STATS.in_flight -= 1

    def answer(self, model, ordinal, req, inputs):
        kind, _, arg = model.partition(":")
        dim = req.get("dimensions") or DEFAULT_DIM
        if kind == "normal":
            if arg:
                time.sleep(int(arg) / 1000.0)
        elif kind == "stagger":
            if ordinal == 0:
                time.sleep(int(arg) / 1000.0)
        elif kind == "429":
            n, _, ra = arg.partition(":")
            if n == "inf" or ordinal < int(n):
                headers = {}
                if ra.startswith("date"):
                    headers["Retry-After"] = email.utils.formatdate(time.time() + int(ra[4:]), usegmt=True)
                elif ra != "none":
                    headers["Retry-After"] = ra
                self.send_json(429, {"error": {"message": "Rate limit reached", "type": "requests"}}, headers)
                return
        elif kind == "500":
            if ordinal < int(arg):
                self.send_json(500, {"error": {"message": "internal hiccup"}})
                return
        elif kind == "slow":
            time.sleep(int(arg) / 1000.0)
        elif kind == "malformed":
            self.send_json(200, None, raw=b'{"data": [{"index": 0, "embedding": [0.1, 0.2')
            return
        elif kind == "no-data":
            self.send_json(200, {"object": "list", "model": model})
            return
        elif kind == "bad-embedding":
            self.send_json(200, {"data": [{"index": i, "embedding": None} for i in range(len(inputs))]})
            return
        elif kind == "count-mismatch":
            self.send_json(200, {"data": [{"index": 0, "embedding": embed("x", dim)}] * (len(inputs) + 1)})
            return
        elif kind == "wrongdim":
            dim += 1
        elif kind == "drift":
            dim = DEFAULT_DIM + ordinal
        elif kind == "base64":
            pass
        elif kind == "auth":
            if self.headers.get("Authorization") != "Bearer " + API_KEY:
                self.send_json(401, {"error": {"message": "Incorrect API key provided",
                                               "type": "invalid_request_error", "code": "invalid_api_key"}})
                return
        else:
            self.send_json(404, {"error": {"message": "The model `%s` does not exist" % model,
                                           "type": "invalid_request_error", "code": "model_not_found"}})
            return

        data = []
        for i, text in enumerate(inputs):
            vec = embed(text, dim)
            if kind == "base64":
                vec = base64.b64encode(struct.pack("<%df" % len(vec), *vec)).decode("ascii")
            data.append({"object": "embedding", "index": i, "embedding": vec})
        data.reverse()
        self.send_json(200, {"object": "list", "data": data, "model": model,
                             "usage": {"prompt_tokens": 0, "total_tokens": 0}})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = Server(("127.0.0.1", port), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=exit_when_parent_goes, daemon=True).start()
    server.serve_forever()


def exit_when_parent_goes():
    # The test keeps our stdin open for as long as it lives; EOF means it is gone, however it ended.
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
