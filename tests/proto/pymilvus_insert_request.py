#!/usr/bin/env python3
"""Prints the InsertRequest that pymilvus's own request builder makes for a schema and rows.

Reads one JSON object on stdin: {"collection": name, "schema": base64 of a serialized
milvus.proto.schema.CollectionSchema, "rows": [ {field: value, ...}, ... ]} (a JSON null is None, a
missing key a missing field). The schema goes through the same path as a described collection
(DescribeCollectionResponse -> pymilvus.client.abstract.CollectionSchema.dict()), the rows through
Prepare.row_insert_param, as MilvusClient.insert does. Writes base64 of SerializeToString() on stdout.
"""

import base64
import json
import sys

from pymilvus.client.abstract import CollectionSchema
from pymilvus.client.prepare import Prepare
from pymilvus.grpc_gen import milvus_pb2


def main() -> int:
    spec = json.load(sys.stdin)
    described = milvus_pb2.DescribeCollectionResponse()
    described.schema.ParseFromString(base64.b64decode(spec["schema"]))
    info = CollectionSchema(described).dict()
    request = Prepare.row_insert_param(
        spec["collection"],
        spec["rows"],
        "",
        info["fields"],
        info.get("struct_array_fields", []),
        enable_dynamic=info["enable_dynamic_field"],
    )
    sys.stdout.write(base64.b64encode(request.SerializeToString()).decode("ascii"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
