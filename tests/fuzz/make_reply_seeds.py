#!/usr/bin/env python3
"""Writes the server_reply seeds (tests/fuzz/corpus/server_reply/): replies as Milvus sends them, built
with pymilvus's generated messages (run with the venv's python), each prefixed by the byte that picks
the message in fuzz_server_reply.cpp, plus a few broken on purpose (lengths that disagree, huge counts)."""
import os
import struct
import sys

from pymilvus.grpc_gen import milvus_pb2, schema_pb2

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "server_reply")
os.makedirs(out, exist_ok=True)


def write(name, kind, msg):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([kind]) + msg.SerializeToString())


def columns(fields, rows, dim=4):
    ids = fields.add(); ids.field_name = "id"; ids.type = schema_pb2.Int64
    ids.scalars.long_data.data.extend(range(rows))
    vec = fields.add(); vec.field_name = "vec"; vec.type = schema_pb2.FloatVector
    vec.vectors.dim = dim; vec.vectors.float_vector.data.extend([0.5] * (dim * rows))
    t = fields.add(); t.field_name = "title"; t.type = schema_pb2.VarChar
    t.scalars.string_data.data.extend(["row %d" % i for i in range(rows)])
    j = fields.add(); j.field_name = "meta"; j.type = schema_pb2.JSON
    j.scalars.json_data.data.extend([b'{"a": %d}' % i for i in range(rows)])
    a = fields.add(); a.field_name = "tags"; a.type = schema_pb2.Array
    a.scalars.array_data.element_type = schema_pb2.Int64
    for i in range(rows):
        a.scalars.array_data.data.add().long_data.data.extend([i, i + 1])
    d = fields.add(); d.field_name = "$meta"; d.type = schema_pb2.JSON; d.is_dynamic = True
    d.scalars.json_data.data.extend([b'{"k": "v"}'] * rows)
    b = fields.add(); b.field_name = "bin"; b.type = schema_pb2.BinaryVector
    b.vectors.dim = 16; b.vectors.binary_vector = b"\x01\x02" * rows
    n = fields.add(); n.field_name = "score"; n.type = schema_pb2.Double
    n.scalars.double_data.data.extend([1.5] * rows); n.valid_data.extend([True] * rows)
    return fields


q = milvus_pb2.QueryResults(); q.primary_field_name = "id"; q.output_fields.extend(["id", "vec", "title"])
columns(q.fields_data, 3)
write("query_3_rows", 0, q)
bad = milvus_pb2.QueryResults(); bad.CopyFrom(q); del bad.fields_data[2].scalars.string_data.data[1:]
write("query_short_column", 0, bad)
bad = milvus_pb2.QueryResults(); bad.CopyFrom(q); bad.fields_data[1].vectors.dim = 0
write("query_dim_0", 0, bad)
bad = milvus_pb2.QueryResults(); bad.CopyFrom(q); bad.fields_data[1].vectors.dim = 2**31 - 1
write("query_dim_huge", 0, bad)
bad = milvus_pb2.QueryResults(); bad.CopyFrom(q); bad.fields_data[1].valid_data.extend([True, False] * 3)
write("query_nullable_vector", 0, bad)

s = schema_pb2.SearchResultData(); s.num_queries = 2; s.top_k = 2; s.primary_field_name = "id"
s.topks.extend([2, 1]); s.scores.extend([0.1, 0.2, 0.3]); s.ids.int_id.data.extend([7, 8, 9])
columns(s.fields_data, 3)
write("search_2_queries", 1, s)
bad = schema_pb2.SearchResultData(); bad.CopyFrom(s); bad.topks[0] = 2**62
write("search_huge_topk", 1, bad)
bad = schema_pb2.SearchResultData(); bad.CopyFrom(s); bad.topks[0] = -5
write("search_negative_topk", 1, bad)
bad = schema_pb2.SearchResultData(); bad.CopyFrom(s); del bad.scores[1:]
write("search_short_scores", 1, bad)
bad = schema_pb2.SearchResultData(); bad.CopyFrom(s); bad.ids.ClearField("int_id"); bad.ids.str_id.data.extend(["a"])
write("search_string_ids_short", 1, bad)

f = schema_pb2.FieldData(); f.field_name = "sparse"; f.type = schema_pb2.SparseFloatVector
f.vectors.dim = 10
f.vectors.sparse_float_vector.contents.append(struct.pack("<If", 3, 0.5) + struct.pack("<If", 9, 1.0))
f.vectors.sparse_float_vector.dim = 10
write("field_sparse", 2, f)
f = schema_pb2.FieldData(); f.field_name = "h"; f.type = schema_pb2.Float16Vector
f.vectors.dim = 2; f.vectors.float16_vector = b"\x00\x3c" * 5
write("field_float16_odd", 2, f)
f = schema_pb2.FieldData(); f.field_name = "n"; f.type = schema_pb2.Int64
f.scalars.long_data.data.extend([1, 2]); f.valid_data.extend([True, False, True, False])
write("field_nullable_compact", 2, f)

m = milvus_pb2.MutationResult(); m.IDs.int_id.data.extend([1, 2]); m.insert_cnt = 2; m.err_index.extend([1])
write("mutation", 3, m)

d = milvus_pb2.DescribeCollectionResponse(); d.collection_name = "c"
fs = d.schema.fields.add(); fs.name = "id"; fs.data_type = schema_pb2.Int64; fs.is_primary_key = True
fs = d.schema.fields.add(); fs.name = "vec"; fs.data_type = schema_pb2.FloatVector
fs.type_params.add(key="dim", value="4")
write("describe", 4, d)

with open(os.path.join(out, "sparse_bytes"), "wb") as fh:
    fh.write(bytes([5]) + struct.pack("<If", 1, 2.0) + b"\x01\x02\x03")
