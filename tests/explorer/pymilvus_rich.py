#!/usr/bin/env python3
"""pymilvus's side of tst_pymilvusschema: a rich-schema collection made, read and searched by pymilvus.

Usage: pymilvus_rich.py COMMAND URI TOKEN ARGS...   (TOKEN "-" for none; one JSON document on stdout)
  create NAME ROWS BINARY      makes NAME (VARCHAR key with awkward characters, every scalar type, big
                               INT64s, nested JSON, ARRAYs, a partition key, dynamic fields, FLOAT_VECTOR;
                               FLAT/IP index, loaded) and, when BINARY is 1, NAME_bin (INT64 key,
                               BINARY_VECTOR, BIN_FLAT/HAMMING). Prints {"keys": [...], "i64": {key: str}}.
  compare-file NAME FILE       compares the rows pymilvus reads from NAME with a file the app exported
                               (JSON: an array or one object per line). Prints {"rows": n, "diffs": [...]}.
  compare NAME OTHER           compares every row of two collections. Prints {"rows": n, "diffs": [...]}.
  search NAME FIELD METRIC     runs the searches given on stdin ({"vectors": [...], "filter": str,
                               "limit": k}; binary vectors as lists of byte values) and prints
                               [[{"id": str, "distance": float}, ...], ...].
"""

import json
import struct
import sys

from pymilvus import DataType, MilvusClient

DIM = 8
BIN_DIM = 64
BIG = 2**53 + 1  # not representable as a double
ARRAY_BIG = 2**62


def awkward_keys():
    return ['quote"double', "quote'single", "back\\slash", "line\nbreak", "tab\there", "cr\rreturn",
            "unicode-\u00e9\u4e2d\u6587", "emoji-\U0001F600", "mixed\\\"'\n\t", "trailing\\"]


def key_for(i):
    keys = awkward_keys()
    return keys[i] if i < len(keys) else "k%05d" % i


def vector_for(i, dim=DIM):
    # Deterministic, exactly representable as float32.
    return [((i * 7919 + k * 104729) % 2001 - 1000) / 1024.0 for k in range(dim)]


def row_for(i):
    row = {
        "pk": key_for(i),
        "i8": (i % 256) - 128,
        "i16": (i * 37 % 65536) - 32768,
        "i32": (i * 7919) % 2**31 - 2**30,
        "i64": [BIG + i, 2**63 - 1 - i, -(2**63) + i, -BIG - i][i % 4] if i % 3 == 0 else i * 1000003,
        "flag": i % 2 == 0,
        "f": i / 3.0,
        "d": i / 7.0 + 1e-12,
        "doc": {"a": {"b": [1, 2, {"c": "x%d" % i}]}, "big": BIG + i, "s": key_for(i), "n": None},
        "tags": ["t%d" % (i % 5), key_for(i)[:16]],
        "nums": [ARRAY_BIG + i, -i, 0],
        "cat": "cat_%d" % (i % 6),
        "vec": vector_for(i),
    }
    if i % 2:
        row["extra"] = {"i": i, "big": BIG}
    if i % 3:
        row["note"] = "dyn-" + key_for(i)
    return row


def connect(uri, token):
    return MilvusClient(uri=uri, token=token) if token != "-" else MilvusClient(uri=uri)


def create(client, name, rows, binary):
    schema = client.create_schema(auto_id=False, enable_dynamic_field=True)
    schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=256)
    schema.add_field("i8", DataType.INT8)
    schema.add_field("i16", DataType.INT16)
    schema.add_field("i32", DataType.INT32)
    schema.add_field("i64", DataType.INT64)
    schema.add_field("flag", DataType.BOOL)
    schema.add_field("f", DataType.FLOAT)
    schema.add_field("d", DataType.DOUBLE)
    schema.add_field("doc", DataType.JSON)
    schema.add_field("tags", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=4, max_length=64)
    schema.add_field("nums", DataType.ARRAY, element_type=DataType.INT64, max_capacity=4)
    schema.add_field("cat", DataType.VARCHAR, max_length=32, is_partition_key=True)
    schema.add_field("vec", DataType.FLOAT_VECTOR, dim=DIM)
    index = client.prepare_index_params()
    index.add_index(field_name="vec", index_type="FLAT", metric_type="IP")
    client.create_collection(name, schema=schema, index_params=index, consistency_level="Strong")
    data = [row_for(i) for i in range(rows)]
    for start in range(0, rows, 500):
        client.insert(name, data[start:start + 500])
    client.load_collection(name)
    if binary:
        bschema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        bschema.add_field("id", DataType.INT64, is_primary=True)
        bschema.add_field("label", DataType.VARCHAR, max_length=64)
        bschema.add_field("bits", DataType.BINARY_VECTOR, dim=BIN_DIM)
        bindex = client.prepare_index_params()
        bindex.add_index(field_name="bits", index_type="BIN_FLAT", metric_type="HAMMING")
        client.create_collection(name + "_bin", schema=bschema, index_params=bindex, consistency_level="Strong")
        brows = [{"id": BIG + i if i % 2 else i, "label": key_for(i),
                  "bits": bytes((i * 31 + k * 17) % 256 for k in range(BIN_DIM // 8))} for i in range(rows)]
        client.insert(name + "_bin", brows)
        client.load_collection(name + "_bin")
    keys = sorted(r["pk"] for r in data)
    return {"keys": keys, "i64": {r["pk"]: str(r["i64"]) for r in data}}


def read_all(client, name):
    desc = client.describe_collection(name)
    pk = next(f["name"] for f in desc["fields"] if f.get("is_primary"))
    ptype = next(f["type"] for f in desc["fields"] if f.get("is_primary"))
    expr = '%s != ""' % pk if ptype == DataType.VARCHAR else "%s >= -9223372036854775807" % pk
    rows = client.query(name, filter=expr, output_fields=["*"], limit=16384, consistency_level="Strong")
    types = {f["name"]: f["type"] for f in desc["fields"]}
    return {r[pk]: r for r in rows}, types


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def normalise(value, ftype):
    """A value as pymilvus gives it, or as read from the app's JSON export, in one comparable form."""
    if ftype == DataType.FLOAT:
        return f32(float(value))
    if ftype == DataType.FLOAT_VECTOR:
        return [f32(float(v)) for v in value]
    if ftype == DataType.BINARY_VECTOR:
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], (bytes, bytearray)):
            value = value[0]  # pymilvus: a list holding one bytes object
        return list(bytes(value)) if isinstance(value, (bytes, bytearray)) else [int(b) for b in value]
    if ftype == DataType.JSON and isinstance(value, str):
        return json.loads(value)
    if ftype == DataType.ARRAY:
        return list(value)
    return value


def diff_rows(ours, theirs, types, label):
    diffs = []
    if set(ours) != set(theirs):
        diffs.append("%s: keys differ: only in first %r, only in second %r"
                     % (label, sorted(set(ours) - set(theirs))[:5], sorted(set(theirs) - set(ours))[:5]))
    for key in sorted(set(ours) & set(theirs)):
        a, b = ours[key], theirs[key]
        for field in sorted(set(a) | set(b)):
            ftype = types.get(field)  # None: a dynamic key, compared as JSON values
            if field not in a or field not in b:
                diffs.append("%s: %r: field %s missing on one side" % (label, key, field))
                continue
            if normalise(a[field], ftype) != normalise(b[field], ftype):
                diffs.append("%s: %r: %s: %r != %r" % (label, key, field, a[field], b[field]))
    return diffs[:50]


def load_export(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        doc = json.loads(text)
        return doc if isinstance(doc, list) else [doc]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    command, uri, token = sys.argv[1:4]
    args = sys.argv[4:]
    client = connect(uri, token)
    if command == "create":
        out = create(client, args[0], int(args[1]), args[2] == "1")
    elif command == "compare-file":
        theirs, types = read_all(client, args[0])
        pk = next(n for n, t in types.items() if n in ("pk", "id"))
        ours = {r[pk]: r for r in load_export(args[1])}
        out = {"rows": len(ours), "diffs": diff_rows(ours, theirs, types, "export")}
    elif command == "compare":
        first, types = read_all(client, args[0])
        second, _ = read_all(client, args[1])
        out = {"rows": len(second), "diffs": diff_rows(second, first, types, "copy")}
    elif command == "search":
        spec = json.load(sys.stdin)
        data = spec["vectors"]
        if args[2] in ("HAMMING", "JACCARD"):
            data = [bytes(v) for v in data]
        hits = client.search(args[0], data=data, anns_field=args[1], limit=spec["limit"],
                             filter=spec.get("filter", ""), search_params={"metric_type": args[2]},
                             consistency_level="Strong")
        out = [[{"id": str(h.id), "distance": float(h.distance)} for h in q] for q in hits]
    else:
        raise SystemExit("unknown command " + command)
    sys.stdout.write(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
