#!/usr/bin/env python3
"""Parity of mx::VectorStore with langchain-milvus.

Starts its own server (Milvus Lite, or with --server-tool and --server the standalone through mx_local_server),
writes a deterministic embedding fixture (text -> vector) that both sides read, runs one scenario that uses all 14 vector-store operations through langchain-milvus
(blocking and async forms, each on collections of its own) and through the C++ driver
(tests/vectorstore/vectorstore_driver.cpp, blocking and async forms), and compares every answer: ids, order,
scores within 1e-5, page_content and metadata. Prints one line per operation step and form
("PARITY add_texts blocking: ok") and exits non-zero on any mismatch.

Keys the server assigns (auto ids) are compared by the document they were assigned to, not by value (see
"auto-assigned keys" below).

Where mx::VectorStore deliberately differs from langchain-milvus 0.3.3 (docs/vectorstore.md), the step says
which answer it expects from each side, and the check fails if langchain-milvus stops behaving that way, so
a fixed upstream bug shows up here.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

DIM = 16
TOLERANCE = 1e-5
OPERATIONS = [
    "add_texts", "add_documents", "add_embeddings", "similarity_search", "similarity_search_by_vector",
    "similarity_search_with_score", "similarity_search_with_score_by_vector", "max_marginal_relevance_search",
    "max_marginal_relevance_search_by_vector", "delete", "upsert", "search_by_metadata", "get_pks", "from_texts",
]


# ----------------------------------------------------------------------------------------- fixture and scenario

def derive(text: str, dim: int = DIM) -> list[float]:
    """Same bytes as FixtureEmbeddings::derive: SHA-256 bytes mapped to (b - 128) / 128 (exact in float32)."""
    data = b""
    round_ = 0
    while len(data) < dim:
        source = text.encode() if round_ == 0 else text.encode() + b"#" + str(round_).encode()
        data += hashlib.sha256(source).digest()
        round_ += 1
    return [(b - 128) / 128.0 for b in data[:dim]]


def scenario() -> dict:
    rnd = random.Random(20240607)
    # The tutorial's documents (TUTORIAL-EXPERIMENT.md), with fixed "random" numbers.
    tutorial = [(f"This is test document {i} with some random content: {rnd.random()}",
                 {"id": f"doc_{i}", "score": rnd.random(), "category": f"cat_{i % 5}"}) for i in range(12)]
    typed_meta = [{"flag": i % 2 == 0, "n": i, "x": i / 3, "label": f"label {i}", "extra": {"k": i, "tags": ["a", "b"]}}
                  for i in range(8)]
    b_docs = [{"page_content": f"dynamic document {i} about topic {i % 3}", "id": f"b{i}",
               "metadata": {"category": f"cat_{i % 4}", "rank": i, "weight": i * 0.5}} for i in range(10)]
    # A and B read right after deleting. Milvus standalone 2.3.5 answers Delete with timestamp 0, so pymilvus's
    # session clock for the collection drops to 0 and its next reads go out at Eventually: at langchain-milvus's
    # Session level the reference then misses its own delete for ~0.4 s, or not (measured). Both sides create
    # these two collections Strong, so every read of them, on either side, sees every write before it.
    stores = {
        # langchain-milvus's defaults otherwise: auto id after add_texts without ids, metric L2, AUTOINDEX
        "A": {"consistency_level": "Strong"},
        "B": {"enable_dynamic_field": True, "consistency_level": "Strong"},
        "C": {},
        "D": {},
        "E": {"metadata_field": "meta"},
        "F": {"index_params": {"metric_type": "COSINE", "index_type": "HNSW", "params": {"M": 8, "efConstruction": 64}}},
        "Z": {},  # never created: searches answer [] and get_pks None
    }
    c_texts = [f"embedded text {i}" for i in range(8)]
    ops = [
        {"op": "add_texts", "store": "A", "texts": [t for t, _ in tutorial], "metadatas": [m for _, m in tutorial]},
        {"op": "add_documents", "store": "B", "documents": b_docs},
        {"op": "add_embeddings", "store": "C", "texts": c_texts, "metadatas": typed_meta,
         "ids": [f"c{i}" for i in range(8)]},
        {"op": "add_texts", "store": "F", "texts": [f"cosine text {i}" for i in range(8)],
         "ids": [f"f{i}" for i in range(8)]},
        {"op": "similarity_search", "store": "A", "query": "test document 3", "k": 3},
        {"op": "similarity_search", "store": "A", "query": "test document 7", "k": 4, "expr": "category == 'cat_2'"},
        {"op": "similarity_search_by_vector", "store": "B", "embedding_of": "query alpha", "k": 4,
         "expr": 'category in ["cat_1", "cat_3"]'},
        {"op": "similarity_search_with_score", "store": "A", "query": "test document 5", "k": 5},
        {"op": "similarity_search_with_score", "store": "B", "query": "query beta", "k": 10},
        {"op": "similarity_search_with_score", "store": "F", "query": "query gamma", "k": 3},
        {"op": "similarity_search_with_score_by_vector", "store": "C", "embedding_of": "query delta", "k": 4},
        {"op": "similarity_search_with_score_by_vector", "store": "C", "embedding_of": "query delta", "k": 8,
         "expr": "flag == true and x > 0.5"},
        {"op": "max_marginal_relevance_search", "store": "A", "query": "test document 2", "k": 4, "fetch_k": 10,
         "lambda_mult": 0.5},
        {"op": "max_marginal_relevance_search_by_vector", "store": "B", "embedding_of": "query alpha", "k": 3,
         "fetch_k": 8, "lambda_mult": 0.25},
        {"op": "max_marginal_relevance_search", "store": "F", "query": "query gamma", "k": 3, "fetch_k": 6,
         "lambda_mult": 0.7},
        {"op": "search_by_metadata", "store": "A", "expr": "category == 'cat_1'", "limit": 10},
        {"op": "search_by_metadata", "store": "B", "expr": 'pk in ["b1", "b2"]', "fields": ["pk", "category"],
         "limit": 5},
        {"op": "search_by_metadata", "store": "C", "expr": "n >= 2", "limit": 3},
        {"op": "get_pks", "store": "A", "expr": "category == 'cat_0'"},
        {"op": "get_pks", "store": "C", "expr": "n > 3"},
        {"op": "delete", "store": "A", "ids_from": {"step": 0, "slice": [0, 2]}},
        {"op": "get_pks", "store": "A", "expr": "pk > 0"},
        {"op": "delete", "store": "B", "expr": "category == 'cat_1'"},
        {"op": "get_pks", "store": "B", "expr": "pk != ''"},
        {"op": "upsert", "store": "B", "ids": ["b0", "b_new"],
         "documents": [{"page_content": "dynamic document 0 rewritten", "metadata": {"category": "cat_9", "rank": 100}},
                       {"page_content": "a brand new dynamic document", "metadata": {"category": "cat_9", "rank": 101}}]},
        {"op": "search_by_metadata", "store": "B", "expr": "category == 'cat_9'"},
        {"op": "upsert", "store": "A", "no_ids": True,
         "documents": [{"page_content": "upserted without ids", "metadata": {"id": "doc_x", "score": 0.5,
                                                                             "category": "cat_4"}}]},
        {"op": "get_pks", "store": "A", "expr": "pk > 0"},
        {"op": "from_texts", "store": "D", "texts": [t for t, _ in tutorial[:6]],
         "metadatas": [m for _, m in tutorial[:6]]},
        {"op": "similarity_search_with_score", "store": "D", "query": "test document 1", "k": 3},
        {"op": "from_texts", "store": "E", "texts": [f"json metadata text {i}" for i in range(5)],
         "metadatas": [{"source": f"s{i}", "page": i} for i in range(5)], "ids": [f"e{i}" for i in range(5)]},
        {"op": "similarity_search_with_score", "store": "E", "query": "query beta", "k": 3},
        {"op": "get_pks", "store": "E", "expr": "pk like 'e%'"},
        # Errors and empty stores.
        {"op": "similarity_search", "store": "A", "query": "test document 3", "expr": "category === ", "expect": "both_fail"},
        {"op": "get_pks", "store": "A", "expr": "no such ((", "expect": "both_fail"},
        {"op": "similarity_search", "store": "Z", "query": "test document 3"},
        {"op": "get_pks", "store": "Z", "expr": "pk > 0"},
        {"op": "search_by_metadata", "store": "A", "expr": "no such ((", "expect": "cpp_fails_py_empty"},
        # blocking: langchain-milvus logs the error and answers False; async: pymilvus 2.6.9's AsyncMilvusClient
        # .delete never reads the response status, so the failed delete even answers True.
        {"op": "delete", "store": "A", "expr": "no such ((",
         "expect": {"blocking": "cpp_fails_py_false", "async": "cpp_fails_py_true"}},
    ]
    texts = set()
    for op in ops:
        texts.update(op.get("texts", []))
        texts.update(d["page_content"] for d in op.get("documents", []))
        for key in ("query", "embedding_of"):
            if key in op:
                texts.add(op[key])
    return {"stores": stores, "ops": ops, "texts": sorted(texts)}


# ----------------------------------------------------------------------------------------- langchain-milvus side

def run_python(uri: str, spec: dict, fixture_path: Path, prefix: str, use_async: bool) -> list[dict]:
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_milvus import Milvus

    table = json.loads(fixture_path.read_text())["vectors"]

    class FixtureEmbeddings(Embeddings):
        def embed_documents(self, texts):
            return [table[t] for t in texts]

        def embed_query(self, text):
            return table[text]

    embeddings = FixtureEmbeddings()
    stores: dict[str, Milvus] = {}

    def kwargs(name):
        kw = dict(spec["stores"][name])
        kw.setdefault("drop_old", True)
        return kw

    def store(name):
        if name not in stores:
            stores[name] = Milvus(embeddings, collection_name=prefix + name, connection_args=CONNECTION_ARGS, **kwargs(name))
        return stores[name]

    def ids_of(op, results):
        if "ids_from" in op:
            f = op["ids_from"]
            return results[f["step"]]["value"][f["slice"][0]:f["slice"][1]]
        return op.get("ids")

    def docs_json(docs):
        return [{"page_content": d.page_content, "metadata": d.metadata} for d in docs]

    def scored_json(pairs):
        return [{"page_content": d.page_content, "metadata": d.metadata, "score": s} for d, s in pairs]

    def documents(op):
        return [Document(page_content=d["page_content"], metadata=d["metadata"], id=d.get("id")) for d in op["documents"]]

    async def value(op, results):
        name, s = op["op"], None
        ids = ids_of(op, results)
        if name == "from_texts":
            kw = kwargs(op["store"])
            args = dict(texts=op["texts"], embedding=embeddings, metadatas=op.get("metadatas"),
                        collection_name=prefix + op["store"], connection_args=CONNECTION_ARGS, ids=ids, **kw)
            stores[op["store"]] = await Milvus.afrom_texts(**args) if use_async else Milvus.from_texts(**args)
            return None
        s = store(op["store"])
        k = {"k": op["k"]} if "k" in op else {}
        if "expr" in op and name not in ("delete", "get_pks", "search_by_metadata"):
            k["expr"] = op["expr"]
        vec = table.get(op.get("embedding_of", ""), None)
        mmr = {key: op[key] for key in ("fetch_k", "lambda_mult") if key in op}
        if name == "add_texts":
            f = s.aadd_texts if use_async else s.add_texts
            r = f(op["texts"], op.get("metadatas"), ids=ids)
        elif name == "add_documents":
            # langchain-milvus 0.3.3 drops Document.id; mx::VectorStore uses it (langchain_core's contract), so
            # the reference passes the same ids explicitly.
            docs = documents(op)
            ids = ids or [d.id for d in docs]
            f = s.aadd_documents if use_async else s.add_documents
            r = f(docs, ids=ids)
        elif name == "add_embeddings":
            f = s.aadd_embeddings if use_async else s.add_embeddings
            r = f(op["texts"], [table[t] for t in op["texts"]], op.get("metadatas"), ids=ids)
        elif name == "similarity_search":
            f = s.asimilarity_search if use_async else s.similarity_search
            r = f(op["query"], **k)
        elif name == "similarity_search_by_vector":
            f = s.asimilarity_search_by_vector if use_async else s.similarity_search_by_vector
            r = f(vec, **k)
        elif name == "similarity_search_with_score":
            f = s.asimilarity_search_with_score if use_async else s.similarity_search_with_score
            r = f(op["query"], **k)
        elif name == "similarity_search_with_score_by_vector":
            f = s.asimilarity_search_with_score_by_vector if use_async else s.similarity_search_with_score_by_vector
            r = f(vec, **k)
        elif name == "max_marginal_relevance_search":
            f = s.amax_marginal_relevance_search if use_async else s.max_marginal_relevance_search
            r = f(op["query"], **k, **mmr)
        elif name == "max_marginal_relevance_search_by_vector":
            f = s.amax_marginal_relevance_search_by_vector if use_async else s.max_marginal_relevance_search_by_vector
            r = f(vec, **k, **mmr)
        elif name == "delete":
            f = s.adelete if use_async else s.delete
            r = f(ids=ids, expr=op.get("expr"))
        elif name == "upsert":
            f = s.aupsert if use_async else s.upsert
            r = f(ids=ids, documents=documents(op))
        elif name == "search_by_metadata":
            f = s.asearch_by_metadata if use_async else s.search_by_metadata
            fields = list(op["fields"]) if "fields" in op else None
            r = f(op["expr"], fields=fields, limit=op.get("limit", 10))
        elif name == "get_pks":
            f = s.aget_pks if use_async else s.get_pks
            r = f(op["expr"])
        else:
            raise ValueError(name)
        if asyncio.iscoroutine(r):
            r = await r
        if name in ("similarity_search", "similarity_search_by_vector", "max_marginal_relevance_search",
                    "max_marginal_relevance_search_by_vector", "search_by_metadata"):
            return docs_json(r)
        if name in ("similarity_search_with_score", "similarity_search_with_score_by_vector"):
            return scored_json(r)
        return r

    async def run_all():
        results = []
        for op in spec["ops"]:
            try:
                results.append({"ok": True, "value": await value(op, results)})
            except Exception as e:  # noqa: BLE001 - every failure is recorded and compared
                code = getattr(e, "code", None)
                results.append({"ok": False, "error": {"type": type(e).__name__, "milvus_code": code,
                                                        "message": str(e)}})
        return results

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return asyncio.run(run_all())


# ----------------------------------------------------------------------------------------- comparison

def same_value(a, b, path="") -> str | None:
    """None when equal (floats within TOLERANCE, bools never equal to numbers), else where they differ."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None if a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b) else f"{path}: {a!r} != {b!r}"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return None if a == b else f"{path}: {a} != {b}"
        return None if math.isclose(a, b, rel_tol=0, abs_tol=TOLERANCE) else f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"{path}: keys {sorted(a)} != {sorted(b)}"
        for key in a:
            diff = same_value(a[key], b[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            diff = same_value(x, y, f"{path}[{i}]")
            if diff:
                return diff
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def compare(op: dict, py: dict, cx: dict, form: str) -> str | None:
    name = op["op"]
    expect = op.get("expect", "same")
    if isinstance(expect, dict):
        expect = expect[form]
    if op.get("no_ids") and name == "upsert":
        expect = "upsert_without_ids"
    if expect == "both_fail":
        if py["ok"] or cx["ok"]:
            return f"expected both to fail: python ok={py['ok']}, c++ ok={cx['ok']}"
        if py["error"].get("milvus_code") != cx["error"].get("milvus_code"):
            return f"error codes differ: python {py['error']} / c++ {cx['error']}"
        return None
    if expect == "cpp_fails_py_empty":  # langchain-milvus logs and answers [] for a failed query
        if not (py["ok"] and py["value"] == [] and not cx["ok"] and cx["error"]["kind"] == "Milvus"):
            return f"expected python [] and a Milvus error from c++: python {py}, c++ {cx}"
        return None
    if expect in ("cpp_fails_py_false", "cpp_fails_py_true"):  # a failed delete that Python hides
        want = expect == "cpp_fails_py_true"
        if not (py["ok"] and py["value"] is want and not cx["ok"] and cx["error"]["kind"] == "Milvus"):
            return f"expected python {want} and a Milvus error from c++: python {py}, c++ {cx}"
        return None
    if not py["ok"] or not cx["ok"]:
        return f"python ok={py['ok']} ({py.get('error')}), c++ ok={cx['ok']} ({cx.get('error')})"
    pv, cv = py["value"], cx["value"]
    if op["store"] != "Z" and name not in ("delete", "upsert", "from_texts") and not pv:
        return f"the reference answered {pv!r}: the scenario no longer exercises this step"
    if name == "delete":
        return None if pv is True and cv["delete_count"] >= 0 else f"python {pv!r}, c++ {cv!r}"
    if name in ("upsert", "from_texts"):
        # Python returns None; the rows written are compared by the steps that read them back.
        return None if pv is None else f"python returned {pv!r}"
    if isinstance(cv, list):
        for doc in cv:
            if isinstance(doc, dict) and "id" in doc:
                # C++ also fills Document.id with the primary key; it must agree with metadata[pk].
                pk = doc["metadata"].get("pk")
                if pk is not None and doc["id"] != str(pk):
                    return f"c++ Document.id {doc['id']!r} != metadata pk {pk!r}"
                del doc["id"]
    return same_value(pv, cv, "result")


# ----------------------------------------------------------------------------------------- auto-assigned keys

# Milvus Lite numbers auto ids per collection, the full server from its clock: the same row has a different
# key in every store. A key the server assigned is compared by its identity in its own store instead: the
# write step and position of the document it was assigned to ("A@0[3]": store A, step 0, fourth text). Each
# run learns its own keys from what its add steps returned and, for writes that return none (from_texts, and
# langchain-milvus's blocking upsert without ids, which raises after adding), from its collection's rows
# afterwards (the text a key holds names the write). Everything else is compared as before.

WRITE_OPS = ("add_texts", "add_documents", "add_embeddings", "upsert", "from_texts")


def is_auto_key(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def written_texts(op: dict) -> list[str]:
    return op["texts"] if "texts" in op else [d["page_content"] for d in op.get("documents", [])]


def stored_auto_keys(uri: str, token: str, prefix: str, stores: list[str]) -> dict[str, dict[int, str]]:
    """pk -> text of every row of the run's auto-id collections, read at Strong."""
    from pymilvus import MilvusClient
    client = MilvusClient(uri=uri, token=token) if token else MilvusClient(uri=uri)
    out = {}
    try:
        for store in stores:
            name = prefix + store
            if not client.has_collection(name) or not client.describe_collection(name).get("auto_id"):
                continue
            rows = client.query(name, filter="", output_fields=["pk", "text"], limit=16384,
                                consistency_level="Strong")
            out[store] = {row["pk"]: row["text"] for row in rows}
    finally:
        client.close()
    return out


def auto_key_labels(spec: dict, results: list[dict], stored: dict[str, dict[int, str]]) -> tuple[dict, list[str]]:
    """(store, key) -> identity for one run, and any contradiction between its two sources."""
    by_text: dict[tuple[str, str], str] = {}
    labels: dict[tuple[str, int], str] = {}
    problems = []
    for step, op in enumerate(spec["ops"]):
        if op["op"] not in WRITE_OPS:
            continue
        for i, text in enumerate(written_texts(op)):
            by_text[(op["store"], text)] = f"{op['store']}@{step}[{i}]"
        value = results[step].get("value") if results[step]["ok"] else None
        if isinstance(value, list):
            for i, key in enumerate(value):
                if is_auto_key(key):
                    labels[(op["store"], key)] = f"{op['store']}@{step}[{i}]"
    for store, rows in stored.items():
        for key, text in rows.items():
            label = by_text.get((store, text))
            known = labels.setdefault((store, key), label) if label else labels.get((store, key))
            if label is None or known != label:
                problems.append(f"store {store}: key {key} holds {text!r}, written as {label}, returned as {known}")
    return labels, problems


def with_auto_key_labels(spec: dict, results: list[dict], labels: dict) -> list[dict]:
    """The run's results with every auto-assigned key replaced by its identity; an unknown key stays as it is
    (and so differs from the other side's identity)."""
    def name(store, key):
        label = labels.get((store, key))
        return f"<auto {label}>" if label else key

    out = []
    for op, result in zip(spec["ops"], results):
        result = json.loads(json.dumps(result))
        value = result.get("value")
        store = op["store"]
        if result["ok"] and isinstance(value, list):
            for i, item in enumerate(value):
                if is_auto_key(item):
                    value[i] = name(store, item)
                elif isinstance(item, dict) and is_auto_key(item.get("metadata", {}).get("pk")):
                    pk = item["metadata"]["pk"]
                    item["metadata"]["pk"] = name(store, pk)
                    if item.get("id") == str(pk):  # the C++ Document.id, checked against the pk
                        item["id"] = str(item["metadata"]["pk"])
        out.append(result)
    return out


def upsert_without_ids_reference(py_blocking: dict, py_async: dict) -> tuple[dict | None, str | None]:
    """langchain-milvus 0.3.3's blocking upsert without ids adds the documents and then raises TypeError (it
    indexes ids=None); its async form stops after adding. mx::VectorStore does what the async form does."""
    if py_blocking["ok"] or py_blocking["error"]["type"] != "TypeError":
        return None, f"langchain-milvus's blocking upsert without ids no longer raises TypeError: {py_blocking}"
    return py_async, None


# ----------------------------------------------------------------------------------------- processes

def for_driver(value):
    """Qt's JSON reader turns 0.0 into an integer; the driver needs to know a float from an int (the first
    metadata's types make the schema), so integral floats travel as {"$float": x}."""
    if isinstance(value, float) and value.is_integer():
        return {"$float": value}
    if isinstance(value, dict):
        return {k: for_driver(v) for k, v in value.items()}
    if isinstance(value, list):
        return [for_driver(v) for v in value]
    return value


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONNECTION_ARGS: dict = {}


def start_local_server(tool: str, kind: str, data_dir: Path) -> tuple[subprocess.Popen, str, str]:
    """A local server through the project's own launcher (mx_local_server): uri and token."""
    log = open(data_dir.parent / "server.log", "wb")
    proc = subprocess.Popen([tool, "--kind", kind, "--data-dir", str(data_dir)], stdout=subprocess.PIPE,
                            stderr=log, stdin=subprocess.PIPE)
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=30)
        raise RuntimeError(f"{kind} did not start: {(data_dir.parent / 'server.log').read_text(errors='replace')}")
    info = json.loads(line)
    return proc, info["uri"], info["token"]


def start_milvus(milvus_lite: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(data_dir.parent / "milvus-lite.log", "wb")
    proc = subprocess.Popen([milvus_lite, "server", "--data-dir", str(data_dir), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"milvus-lite exited with {proc.returncode}: "
                               f"{(data_dir.parent / 'milvus-lite.log').read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("milvus-lite did not start listening within 90 s")


def run_driver(driver: str, uri: str, fixture: Path, ops_path: Path, form: str, prefix: str) -> list[dict]:
    proc = subprocess.run([driver, "--uri", uri, "--fixture", str(fixture), "--ops", str(ops_path), "--form", form,
                           "--prefix", prefix], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"driver ({form}) exited with {proc.returncode}: {proc.stderr}")
    return json.loads(proc.stdout)["results"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--driver", required=True, help="the vectorstore_driver executable")
    parser.add_argument("--milvus-lite", default=str(Path(sys.executable).with_name("milvus-lite")))
    parser.add_argument("--server-tool", help="mx_local_server: start the server through it (with --server)")
    parser.add_argument("--server", choices=("lite", "standalone"), default="lite")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (printed)")
    args = parser.parse_args()

    # langchain-milvus and pymilvus log every failure of the error steps at ERROR; the steps check them.
    for name in ("pymilvus", "langchain_milvus"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    work = Path(tempfile.mkdtemp(prefix="mx-parity-"))
    proc = None
    try:
        spec = scenario()
        fixture = work / "vectors.json"
        fixture.write_text(json.dumps({"dim": DIM, "vectors": {t: derive(t) for t in spec["texts"]}}))
        ops_path = work / "ops.json"
        ops_path.write_text(json.dumps(for_driver({"stores": spec["stores"], "ops": spec["ops"]})))
        (work / "data").mkdir()
        token = ""
        if args.server_tool:
            proc, uri, token = start_local_server(args.server_tool, args.server, work / "data")
        else:
            proc, uri = start_milvus(args.milvus_lite, work / "data")
        CONNECTION_ARGS.update({"uri": uri, "token": token} if token else {"uri": uri})
        os.environ["MX_PARITY_TOKEN"] = token
        print(f"server: {args.server} at {uri}")

        py = {"blocking": run_python(uri, spec, fixture, "py_b_", False),
              "async": run_python(uri, spec, fixture, "py_a_", True)}
        cx = {form: run_driver(args.driver, uri, fixture, ops_path, form, f"cx_{form[0]}_")
              for form in ("blocking", "async")}

        failures = 0
        stores = list(spec["stores"])
        for side, runs, prefix in (("python", py, "py"), ("c++", cx, "cx")):
            for form in list(runs):
                stored = stored_auto_keys(uri, token, f"{prefix}_{form[0]}_", stores)
                labels, problems = auto_key_labels(spec, runs[form], stored)
                for problem in problems:
                    failures += 1
                    print(f"PARITY auto ids {side} {form}: MISMATCH: {problem}")
                runs[form] = with_auto_key_labels(spec, runs[form], labels)
        checked = {form: set() for form in py}
        for step, op in enumerate(spec["ops"]):
            for form in ("blocking", "async"):
                reference = py[form][step]
                note = ""
                diff = None
                if op["op"] == "upsert" and op.get("no_ids"):
                    reference, diff = upsert_without_ids_reference(py["blocking"][step], py["async"][step])
                    note = " (reference: aupsert; langchain-milvus's blocking upsert raises TypeError)"
                if diff is None:
                    diff = compare(op, reference, cx[form][step], form)
                label = f"{op['op']} {form}"
                expect = op.get("expect")
                expect = expect[form] if isinstance(expect, dict) else expect
                detail = f"step {step}, store {op['store']}" + (f", expect {expect}" if expect else "")
                if diff:
                    failures += 1
                    print(f"PARITY {label}: MISMATCH ({detail}): {diff}")
                else:
                    checked[form].add(op["op"])
                    print(f"PARITY {label}: ok ({detail}){note}")
            # Both C++ forms must agree with each other as well.
            a, b = cx["blocking"][step], cx["async"][step]
            if a["ok"] != b["ok"] or (a["ok"] and same_value(a["value"], b["value"])):
                failures += 1
                print(f"PARITY {op['op']} blocking-vs-async: MISMATCH (step {step}): {a} / {b}")
        for form in ("blocking", "async"):
            missing = [o for o in OPERATIONS if o not in checked[form]]
            if missing:
                failures += 1
                print(f"PARITY coverage {form}: MISSING {missing}")
            else:
                print(f"PARITY coverage {form}: all {len(OPERATIONS)} operations ok")
        total = 2 * len(spec["ops"])
        print(f"{total - failures if failures <= total else 0} passed, {failures} failed")
        return 1 if failures else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if args.keep:
            print(f"work directory: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
