#!/usr/bin/env python3
"""Python side of bench/client_compare.sh: the same workloads as bench_client (C++) for pymilvus
MilvusClient, pymilvus AsyncMilvusClient and langchain-milvus (sync and async). Prints one JSON line.

  client_bench.py setup --uri U --collection C --rows 100000 --dim 128 [--index HNSW]
  client_bench.py create --uri U --collection C --dim 128           (empty insert target)
  client_bench.py run --client pymilvus|pymilvus-async|langchain|langchain-async --uri U
                  --search-collection C [--insert-collection C2] [--searches 2000] [--k 10]
                  [--inflight 32] [--insert-rows 100000] [--batch 1000] [--dim 128]

Vectors come from the same 64-bit LCG as bench_client, so every client searches the same queries.
"""
import argparse
import asyncio
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

A = np.uint64(6364136223846793005)
C = np.uint64(1442695040888963407)


def vectors_for(first, n, dim):
    """Rows first..first+n-1 of the LCG generator (bench_client's vectorFor), float32 in [-1, 1)."""
    return vectors_at(np.arange(first, first + n, dtype=np.int64), dim)


def vectors_at(rows, dim):
    """Vectors of the given row numbers (an int64 array)."""
    with np.errstate(over="ignore"):
        state = np.asarray(rows, dtype=np.int64).astype(np.uint64) * A + C
        out = np.empty((len(rows), dim), dtype=np.float32)
        for k in range(dim):
            state = state * A + C
            out[:, k] = (state >> np.uint64(40)).astype(np.float64) / float(1 << 24) * 2.0 - 1.0
    return out


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1


def cpu_us(c0, n):
    """CPU time of this process (every thread) since c0, per operation, in microseconds."""
    return (time.process_time() - c0) * 1e6 / n


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100.0 * (len(v) - 1) + 0.5))] if v else 0.0


def schema_and_index(dim, index):
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("pk", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("text", DataType.VARCHAR, max_length=512)
    params = MilvusClient.prepare_index_params()
    if index == "HNSW":
        params.add_index("vector", index_type="HNSW", metric_type="L2", params={"M": 16, "efConstruction": 64})
    else:
        params.add_index("vector", index_type=index, metric_type="L2")
    return schema, params


def rows_for(first, n, dim):
    vecs = vectors_for(first, n, dim)
    return [{"pk": first + i, "vector": vecs[i], "text": f"document {first + i}"} for i in range(n)]


def cmd_setup(a):
    from pymilvus import MilvusClient

    c = MilvusClient(uri=a.uri, token=a.token)
    if c.has_collection(a.collection):
        c.drop_collection(a.collection)
    schema, params = schema_and_index(a.dim, a.index)
    c.create_collection(a.collection, schema=schema, index_params=None if a.rows else params)
    t0 = time.perf_counter()
    for first in range(0, a.rows, 10000):
        c.insert(a.collection, rows_for(first, min(10000, a.rows - first), a.dim))
    t1 = time.perf_counter()
    if a.rows:
        c.flush(a.collection)
        c.create_index(a.collection, params)
        c.load_collection(a.collection)
    t2 = time.perf_counter()
    print(json.dumps({"setup": a.collection, "rows": a.rows, "insert_s": t1 - t0, "index_load_s": t2 - t1}))


class LcgEmbeddings:
    """langchain Embeddings: "document N" -> vector N of the generator; anything else -> vector 0."""

    def __init__(self, dim):
        self.dim = dim

    def _num(self, t):
        try:
            return int(t.rsplit(" ", 1)[1])
        except (IndexError, ValueError):
            return 0

    def embed_documents(self, texts):
        return vectors_at([self._num(t) for t in texts], self.dim).tolist()

    def embed_query(self, text):
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts):
        return self.embed_documents(texts)

    async def aembed_query(self, text):
        return self.embed_query(text)


_QUERIES = {}


def query_vec(i, dim):
    """Query vector i (row 1000000 + i, as bench_client); precomputed outside the timed loops."""
    return _QUERIES[i]


def precompute_queries(n, dim):
    for i, v in zip(range(-1, n), vectors_for(1000000 - 1, n + 1, dim).tolist()):
        _QUERIES[i] = v


def run_sync(a, search_one, insert_batch):
    out = {}
    if a.search_collection and a.searches:
        search_one(-1)
    if a.search_collection and a.searches and "seq" in a.phases:
        lat = []
        c0 = time.process_time()
        t0 = time.perf_counter()
        for i in range(a.searches):
            s = time.perf_counter()
            hits = search_one(i)
            lat.append((time.perf_counter() - s) * 1000)
            assert len(hits) == a.k, len(hits)
        secs = time.perf_counter() - t0
        out["search_seq"] = {"n": a.searches, "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
                             "ops_per_s": a.searches / secs, "cpu_us_per_op": cpu_us(c0, a.searches)}
    if a.search_collection and a.searches and "concurrent" in a.phases:
        c0 = time.process_time()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(a.inflight) as pool:
            list(pool.map(search_one, range(a.searches)))
        out["search_concurrent"] = {"n": a.searches, "inflight": a.inflight,
                                    "ops_per_s": a.searches / (time.perf_counter() - t0),
                                    "cpu_us_per_op": cpu_us(c0, a.searches)}
    if a.insert_collection and a.insert_rows:
        c0 = time.process_time()
        t0 = time.perf_counter()
        n = 0
        for first in range(0, a.insert_rows, a.batch):
            n += insert_batch(first, min(a.batch, a.insert_rows - first))
        out["insert"] = {"rows": n, "batch": a.batch, "rows_per_s": n / (time.perf_counter() - t0),
                         "cpu_us_per_batch": cpu_us(c0, -(-a.insert_rows // a.batch))}
    return out


async def run_async(a, search_one, insert_batch):
    out = {}
    if a.search_collection and a.searches:
        await search_one(-1)
    if a.search_collection and a.searches and "seq" in a.phases:
        lat = []
        c0 = time.process_time()
        t0 = time.perf_counter()
        for i in range(a.searches):
            s = time.perf_counter()
            hits = await search_one(i)
            lat.append((time.perf_counter() - s) * 1000)
            assert len(hits) == a.k, len(hits)
        secs = time.perf_counter() - t0
        out["search_seq"] = {"n": a.searches, "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99),
                             "ops_per_s": a.searches / secs, "cpu_us_per_op": cpu_us(c0, a.searches)}
    if a.search_collection and a.searches and "concurrent" in a.phases:
        sem = asyncio.Semaphore(a.inflight)

        async def bounded(i):
            async with sem:
                return await search_one(i)

        c0 = time.process_time()
        t0 = time.perf_counter()
        await asyncio.gather(*(bounded(i) for i in range(a.searches)))
        out["search_concurrent"] = {"n": a.searches, "inflight": a.inflight,
                                    "ops_per_s": a.searches / (time.perf_counter() - t0),
                                    "cpu_us_per_op": cpu_us(c0, a.searches)}
    if a.insert_collection and a.insert_rows:
        c0 = time.process_time()
        t0 = time.perf_counter()
        n = 0
        for first in range(0, a.insert_rows, a.batch):
            n += await insert_batch(first, min(a.batch, a.insert_rows - first))
        out["insert"] = {"rows": n, "batch": a.batch, "rows_per_s": n / (time.perf_counter() - t0),
                         "cpu_us_per_batch": cpu_us(c0, -(-a.insert_rows // a.batch))}
    return out


def cmd_run(a):
    import importlib.metadata as md

    sp = {"params": {"ef": 64}}
    precompute_queries(a.searches, a.dim)
    if a.client == "pymilvus":
        from pymilvus import MilvusClient

        c = MilvusClient(uri=a.uri, token=a.token)

        def search_one(i):
            return c.search(a.search_collection, data=[query_vec(i, a.dim)], limit=a.k, anns_field="vector",
                            output_fields=["text"], search_params=sp)[0]

        def insert_batch(first, n):
            return c.insert(a.insert_collection, rows_for(first, n, a.dim))["insert_count"]

        out = run_sync(a, search_one, insert_batch)
        name = f"pymilvus {md.version('pymilvus')} MilvusClient"
    elif a.client == "pymilvus-async":
        from pymilvus import AsyncMilvusClient

        async def main():
            c = AsyncMilvusClient(uri=a.uri, token=a.token)

            async def search_one(i):
                r = await c.search(a.search_collection, data=[query_vec(i, a.dim)], limit=a.k,
                                   anns_field="vector", output_fields=["text"], search_params=sp)
                return r[0]

            async def insert_batch(first, n):
                r = await c.insert(a.insert_collection, rows_for(first, n, a.dim))
                return r["insert_count"]

            try:
                return await run_async(a, search_one, insert_batch)
            finally:
                await c.close()

        out = asyncio.run(main())
        name = f"pymilvus {md.version('pymilvus')} AsyncMilvusClient"
    else:
        from langchain_milvus import Milvus

        emb = LcgEmbeddings(a.dim)
        conn = {"uri": a.uri, "token": a.token}

        def stores():
            search = Milvus(embedding_function=emb, collection_name=a.search_collection or "unused",
                            connection_args=conn, primary_field="pk", text_field="text", vector_field="vector",
                            search_params={"metric_type": "L2", **sp})
            insert = None
            if a.insert_collection:
                insert = Milvus(embedding_function=emb, collection_name=a.insert_collection,
                                connection_args=conn, auto_id=True, drop_old=True,
                                index_params={"index_type": a.index, "metric_type": "L2",
                                              "params": {"M": 16, "efConstruction": 64} if a.index == "HNSW" else {}})
            return search, insert

        texts = lambda first, n: [f"document {first + i}" for i in range(n)]  # noqa: E731
        # langchain-milvus creates its collection (and index) on the first add: do that before the timed
        # loop, as the other clients' collections are created before theirs.
        if a.client == "langchain":
            search, insert = stores()
            if insert:
                insert.add_texts(["document 0"])
            out = run_sync(a, lambda i: search.similarity_search_by_vector(query_vec(i, a.dim), k=a.k),
                           lambda first, n: len(insert.add_texts(texts(first, n), batch_size=a.batch)))
        else:
            async def main():
                search, insert = stores()
                if insert:
                    await insert.aadd_texts(["document 0"])

                async def search_one(i):
                    return await search.asimilarity_search_by_vector(query_vec(i, a.dim), k=a.k)

                async def insert_batch(first, n):
                    return len(await insert.aadd_texts(texts(first, n), batch_size=a.batch))

                return await run_async(a, search_one, insert_batch)

            out = asyncio.run(main())
        name = f"langchain-milvus {md.version('langchain-milvus')} Milvus ({'sync' if a.client == 'langchain' else 'async'})"
    out = {"client": name, **out, "peak_rss_mb": peak_rss_mb()}
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["setup", "create", "run"])
    p.add_argument("--uri", required=True)
    p.add_argument("--phases", default="seq,concurrent", help="search phases to run")
    p.add_argument("--token", default="", help="user:password or API key (the standalone has auth on)")
    p.add_argument("--client", default="pymilvus")
    p.add_argument("--collection")
    p.add_argument("--rows", type=int, default=100000)
    p.add_argument("--dim", type=int, default=128)
    p.add_argument("--index", default="HNSW")
    p.add_argument("--search-collection")
    p.add_argument("--insert-collection")
    p.add_argument("--searches", type=int, default=2000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--inflight", type=int, default=32)
    p.add_argument("--insert-rows", type=int, default=100000)
    p.add_argument("--batch", type=int, default=1000)
    a = p.parse_args()
    if a.cmd == "setup":
        cmd_setup(a)
    elif a.cmd == "create":
        a.rows = 0
        cmd_setup(a)
    else:
        cmd_run(a)


if __name__ == "__main__":
    sys.exit(main())
