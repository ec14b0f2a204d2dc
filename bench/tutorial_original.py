#!/usr/bin/env python3
"""The langchain-milvus async tutorial's own experiment, as its notebook runs it (milvus-io/bootcamp
integration/langchain/langchain_milvus_async.ipynb), for bench/tutorial_compare.sh.

  tutorial_original.py --uri URI [--token root:Milvus] [--embedding-url http://127.0.0.1:P/v1
                       --embedding-model normal:150] [--dim 384] [--seed 42]

What is the tutorial's, kept as it is:
  - the store: langchain_milvus.Milvus(collection_name="langchain_perf_test", auto_id=True,
    drop_old=True), its documents ("This is test document {i} with some random content: ...", metadata
    id doc_{i}, score, category cat_{i % 5}), queries "test document {i % 50}" with k=3 and deletes by
    expr "id == 'doc_{i}'";
  - the run order: per operation async 10, async 100 on one store, then sync 10, sync 100 on another
    (search: one store, populated with 1,000 documents, for both modes; delete: a populated store per
    mode); async = one task per operation, all gathered; sync = a loop; each timed with time.time()
    around exactly what the notebook times.
What stands in for what it uses:
  - OpenAIEmbeddings: with --embedding-url, an OpenAI-compatible client of our own (POST
    {url}/embeddings, httpx; async with an httpx.AsyncClient allowing 1,000 connections, as the openai
    package's default limits do) pointed at tests/embeddings/embedding_server.py; without it, the
    deterministic hashed n-gram embedding of LocalEmbeddingProvider computed in process (no latency).
    langchain-openai is not pinned in scripts/requirements.txt, and the real service is not wanted here.
  - random.random() in the documents: seeded (--seed), so every run writes the same documents.

Prints one JSON object: {"rows": [{"op", "count", "mode", "seconds"}...], "rowsAfter": {...},
"embedding": ...}. rowsAfter counts what each store holds after its runs (count(*), Strong), so lost
writes show.
"""
import argparse
import asyncio
import json
import math
import random
import sys
import time

import httpx
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_milvus import Milvus
from pymilvus import MilvusClient

COLLECTION = "langchain_perf_test"


def lexical_embedding(text, dim):
    """LocalEmbeddingProvider's hashed character 3- and 4-grams (FNV-1a), L2-normalised."""
    s = " " + text.lower() + " "
    v = [0.0] * dim
    for n in (3, 4):
        for i in range(len(s) - n + 1):
            h = 14695981039346656037
            for b in s[i:i + n].encode("utf-8"):
                h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
            v[h % dim] += 1.0 if (h >> 63) == 0 else -1.0
    norm = math.sqrt(sum(x * x for x in v))
    if norm == 0:
        v[0] = 1.0
        return v
    return [x / norm for x in v]


class LexicalEmbeddings(Embeddings):
    """Deterministic stand-in: no network, no model."""

    def __init__(self, dim):
        self.dim = dim

    def embed_documents(self, texts):
        return [lexical_embedding(t, self.dim) for t in texts]

    def embed_query(self, text):
        return lexical_embedding(text, self.dim)


class OpenAICompatibleEmbeddings(Embeddings):
    """POST {base}/embeddings as OpenAIEmbeddings does (one request per call here: the tutorial's calls
    embed one document or one query each)."""

    def __init__(self, base_url, model, dim):
        self.url = base_url.rstrip("/") + "/embeddings"
        self.model = model
        self.dim = dim
        self.sync_client = httpx.Client(timeout=60)
        self.async_client = None  # made in the event loop that uses it

    def _body(self, texts):
        return {"model": self.model, "input": texts, "encoding_format": "float", "dimensions": self.dim}

    @staticmethod
    def _vectors(reply):
        reply.raise_for_status()
        data = sorted(reply.json()["data"], key=lambda d: d["index"])
        return [d["embedding"] for d in data]

    def embed_documents(self, texts):
        return self._vectors(self.sync_client.post(self.url, json=self._body(texts)))

    def embed_query(self, text):
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts):
        if self.async_client is None:
            limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
            self.async_client = httpx.AsyncClient(timeout=60, limits=limits)
        return self._vectors(await self.async_client.post(self.url, json=self._body(texts)))

    async def aembed_query(self, text):
        return (await self.aembed_documents([text]))[0]


def generate_test_documents(num_docs):
    docs = []
    for i in range(num_docs):
        content = f"This is test document {i} with some random content: {random.random()}"
        metadata = {"id": f"doc_{i}", "score": random.random(), "category": f"cat_{i % 5}"}
        docs.append(Document(page_content=content, metadata=metadata))
    return docs


async def async_add(store, n):
    docs = generate_test_documents(n)
    start = time.time()
    await asyncio.gather(*[store.aadd_documents([d]) for d in docs])
    return time.time() - start


def sync_add(store, n):
    docs = generate_test_documents(n)
    start = time.time()
    for d in docs:
        store.add_documents([d])
    return time.time() - start


def populate(store, n=1000):
    store.add_documents(generate_test_documents(n))


async def async_search(store, n):
    start = time.time()
    await asyncio.gather(*[store.asimilarity_search(query=f"test document {i % 50}", k=3) for i in range(n)])
    return time.time() - start


def sync_search(store, n):
    start = time.time()
    for i in range(n):
        store.similarity_search(query=f"test document {i % 50}", k=3)
    return time.time() - start


async def async_delete(store, n):
    start = time.time()
    await asyncio.gather(*[store.adelete(expr=f"id == 'doc_{i}'") for i in range(n)])
    return time.time() - start


def sync_delete(store, n):
    start = time.time()
    for i in range(n):
        store.delete(expr=f"id == 'doc_{i}'")
    return time.time() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uri", required=True)
    ap.add_argument("--token", default="")
    ap.add_argument("--embedding-url", default="")
    ap.add_argument("--embedding-model", default="normal:150")
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    random.seed(a.seed)
    connection = {"uri": a.uri, "token": a.token} if a.token else {"uri": a.uri}
    embeddings = (OpenAICompatibleEmbeddings(a.embedding_url, a.embedding_model, a.dim) if a.embedding_url
                  else LexicalEmbeddings(a.dim))
    checker = MilvusClient(uri=a.uri, token=a.token) if a.token else MilvusClient(uri=a.uri)

    def init_vector_store():
        return Milvus(embedding_function=embeddings, collection_name=COLLECTION, connection_args=connection,
                      auto_id=True, drop_old=True)

    def rows_now():
        r = checker.query(COLLECTION, filter="", output_fields=["count(*)"], consistency_level="Strong")
        return int(r[0]["count(*)"])

    loop = asyncio.get_event_loop()
    rows, after = [], {}

    def record(op, count, mode, seconds):
        rows.append({"op": op, "count": count, "mode": mode, "seconds": seconds})
        print(f"{mode} {op} {count}: {seconds:.3f} s", file=sys.stderr, flush=True)

    counts = [10, 100]
    store = init_vector_store()
    for n in counts:
        record("add", n, "async", loop.run_until_complete(async_add(store, n)))
    after["add async"] = rows_now()
    store = init_vector_store()
    for n in counts:
        record("add", n, "sync", sync_add(store, n))
    after["add sync"] = rows_now()

    store = init_vector_store()
    populate(store)
    for n in counts:
        record("search", n, "async", loop.run_until_complete(async_search(store, n)))
    for n in counts:
        record("search", n, "sync", sync_search(store, n))

    store = init_vector_store()
    populate(store)
    for n in counts:
        record("delete", n, "async", loop.run_until_complete(async_delete(store, n)))
    after["delete async"] = rows_now()
    store = init_vector_store()
    populate(store)
    for n in counts:
        record("delete", n, "sync", sync_delete(store, n))
    after["delete sync"] = rows_now()
    checker.drop_collection(COLLECTION)
    print(json.dumps({"rows": rows, "rowsAfter": after,
                      "embedding": (f"{a.embedding_url} model {a.embedding_model}" if a.embedding_url
                                    else "in-process lexical"), "dim": a.dim}))


if __name__ == "__main__":
    main()
