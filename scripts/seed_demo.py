#!/usr/bin/env python3
"""Fill a local server's data directory with a few demo collections for screenshots.

Usage: seed_demo.py DATA_DIR [--kind lite|standalone --tool BUILD/tests/mx_local_server]
(run with the build tree's venv python; starts and stops its own server: Milvus Lite directly, or either
kind through the project's launcher, which also keeps the standalone's root password in DATA_DIR)
"""
import json
import os
import random
import socket
import subprocess
import sys
import time

from pymilvus import MilvusClient

CATEGORIES = ["books", "garden", "kitchen", "outdoor", "toys"]
TAGS = ["new", "sale", "eco", "gift", "bulk", "premium"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    data_dir = sys.argv[1]
    kind = sys.argv[sys.argv.index("--kind") + 1] if "--kind" in sys.argv else "lite"
    tool = sys.argv[sys.argv.index("--tool") + 1] if "--tool" in sys.argv else None
    if tool:
        server = subprocess.Popen([tool, "--kind", kind, "--data-dir", data_dir], stdout=subprocess.PIPE,
                                  stdin=subprocess.PIPE)
        info = json.loads(server.stdout.readline())
        uri, token = info["uri"], info["token"]
    else:
        port = free_port()
        exe = os.path.join(os.path.dirname(sys.executable), "milvus-lite")
        server = subprocess.Popen([exe, "server", "--data-dir", data_dir, "--host", "127.0.0.1", "--port",
                                   str(port)])
        uri, token = f"http://127.0.0.1:{port}", ""
    try:
        for _ in range(100):
            try:
                client = MilvusClient(uri, token=token, timeout=10)
                break
            except Exception:
                time.sleep(0.2)
        rnd = random.Random(7)
        for name, rows, dim in [("articles", 12000, 32), ("products", 3500, 16), ("support_tickets", 48000, 8)]:
            if client.has_collection(name):
                continue
            client.create_collection(name, dimension=dim, consistency_level="Strong")
            for start in range(0, rows, 4000):
                batch = [{"id": i, "vector": [rnd.random() for _ in range(dim)], "title": f"{name} {i}",
                          "price": round(rnd.uniform(2, 400), 2), "category": rnd.choice(CATEGORIES),
                          "tags": rnd.sample(TAGS, 2), "in_stock": rnd.random() > 0.2}
                         for i in range(start, min(rows, start + 4000))]
                client.insert(name, batch)
        if not client.has_collection("images_clip"):
            client.create_collection("images_clip", dimension=16)
            client.release_collection("images_clip")
        for name in ("articles", "products", "support_tickets"):
            client.flush(name)  # the statistics a released collection shows count flushed rows only
        client.load_collection("articles")
        client.load_collection("products")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
