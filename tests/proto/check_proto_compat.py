#!/usr/bin/env python3
"""Check the project's Milvus .proto subset against the descriptors shipped in pymilvus.

Every message (nested and map-entry types included), field, enum, enum value and
service method declared in our .proto files must exist under the same full name
in pymilvus.grpc_gen and agree on: field number, type, label, type_name, oneof
name and proto3_optional; enum value numbers; method input/output types and
streaming flags.  Items we leave out are not checked (the subset is allowed to
omit them); items we declare that upstream lacks are mismatches.

Run from the repository root, with a Python that can import pymilvus:

    protoc -I services/proto --include_imports \
        --descriptor_set_out=/tmp/milvus_subset.pb services/proto/milvus.proto
    /tmp/venv/bin/python tests/proto/check_proto_compat.py --descriptor-set /tmp/milvus_subset.pb
    /tmp/venv/bin/python tests/proto/check_proto_compat.py --descriptor-set /tmp/milvus_subset.pb --self-test

Exit status: 0 when nothing differs and something was actually checked, 1 otherwise.
--self-test corrupts one field number and one enum value in memory and exits 0
only if the checker reports exactly those two mismatches.
"""

import argparse
import collections
import sys

from google.protobuf import descriptor_pb2

CATEGORIES = ("messages", "fields", "enums", "values", "methods")

FIELD_ATTRS = ("number", "type", "label", "type_name", "proto3_optional")


def upstream_pool():
    """Descriptor pool the pymilvus generated modules registered into."""
    from pymilvus.grpc_gen import common_pb2, milvus_pb2, schema_pb2  # noqa: F401

    return milvus_pb2.DESCRIPTOR.pool


def load_descriptor_set(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as fh:
        fds.ParseFromString(fh.read())
    return fds


def oneof_name(msg, field):
    return msg.oneof_decl[field.oneof_index].name if field.HasField("oneof_index") else None


class Checker:
    def __init__(self, pool):
        self.pool = pool
        self.mismatches = []
        self.counts = collections.Counter()

    def mismatch(self, name, what):
        self.mismatches.append(f"{name}: {what}")

    def _lookup(self, finder, full_name, proto_cls):
        try:
            desc = finder(full_name)
        except KeyError:
            self.mismatch(full_name, "not found upstream")
            return None
        out = proto_cls()
        desc.CopyToProto(out)
        return out

    def check_file(self, ours):
        try:
            theirs = self.pool.FindFileByName(ours.name)
        except KeyError:
            self.mismatch(ours.name, "file not found upstream")
        else:
            if theirs.package != ours.package:
                self.mismatch(ours.name, f"package {ours.package} != {theirs.package}")
        for msg in ours.message_type:
            self.check_message(f"{ours.package}.{msg.name}", msg)
        for enum in ours.enum_type:
            self.check_enum(f"{ours.package}.{enum.name}", enum)
        for svc in ours.service:
            self.check_service(f"{ours.package}.{svc.name}", svc)

    def check_message(self, full_name, ours):
        self.counts["messages"] += 1
        theirs = self._lookup(self.pool.FindMessageTypeByName, full_name, descriptor_pb2.DescriptorProto)
        if theirs is not None:
            if ours.options.map_entry != theirs.options.map_entry:
                self.mismatch(full_name, f"map_entry {ours.options.map_entry} != {theirs.options.map_entry}")
            upstream_fields = {f.name: f for f in theirs.field}
            for field in ours.field:
                self.counts["fields"] += 1
                fname = f"{full_name}.{field.name}"
                other = upstream_fields.get(field.name)
                if other is None:
                    self.mismatch(fname, "field not found upstream")
                    continue
                for attr in FIELD_ATTRS:
                    a, b = getattr(field, attr), getattr(other, attr)
                    if a != b:
                        if attr in ("type", "label"):
                            enum = field.DESCRIPTOR.fields_by_name[attr].enum_type
                            a, b = enum.values_by_number[a].name, enum.values_by_number[b].name
                        self.mismatch(fname, f"{attr} {a} != {b}")
                a, b = oneof_name(ours, field), oneof_name(theirs, other)
                if a != b:
                    self.mismatch(fname, f"oneof {a} != {b}")
        for nested in ours.nested_type:
            self.check_message(f"{full_name}.{nested.name}", nested)
        for enum in ours.enum_type:
            self.check_enum(f"{full_name}.{enum.name}", enum)

    def check_enum(self, full_name, ours):
        self.counts["enums"] += 1
        theirs = self._lookup(self.pool.FindEnumTypeByName, full_name, descriptor_pb2.EnumDescriptorProto)
        upstream_values = {v.name: v.number for v in theirs.value} if theirs is not None else {}
        for value in ours.value:
            self.counts["values"] += 1
            if theirs is None:
                continue
            if value.name not in upstream_values:
                self.mismatch(f"{full_name}.{value.name}", "enum value not found upstream")
            elif value.number != upstream_values[value.name]:
                self.mismatch(f"{full_name}.{value.name}", f"number {value.number} != {upstream_values[value.name]}")

    def check_service(self, full_name, ours):
        theirs = self._lookup(self.pool.FindServiceByName, full_name, descriptor_pb2.ServiceDescriptorProto)
        upstream_methods = {m.name: m for m in theirs.method} if theirs is not None else {}
        for method in ours.method:
            self.counts["methods"] += 1
            mname = f"{full_name}.{method.name}"
            if theirs is None:
                continue
            other = upstream_methods.get(method.name)
            if other is None:
                self.mismatch(mname, "method not found upstream")
                continue
            for attr in ("input_type", "output_type", "client_streaming", "server_streaming"):
                a, b = getattr(method, attr), getattr(other, attr)
                if a != b:
                    self.mismatch(mname, f"{attr} {a} != {b}")

    def summary(self):
        checked = ", ".join(f"{self.counts[c]} {c}" for c in CATEGORIES)
        return f"proto compat: {checked} checked; {len(self.mismatches)} mismatches"

    def nothing_checked(self):
        return any(self.counts[c] == 0 for c in CATEGORIES)


def run_check(fds, pool):
    checker = Checker(pool)
    for file_proto in fds.file:
        if not file_proto.name.startswith("google/protobuf/"):
            checker.check_file(file_proto)
    return checker


def find_message(fds, full_name):
    for file_proto in fds.file:
        for msg in file_proto.message_type:
            if f"{file_proto.package}.{msg.name}" == full_name:
                return msg
    raise SystemExit(f"self-test: {full_name} is not declared in the descriptor set")


def find_enum(fds, full_name):
    for file_proto in fds.file:
        for enum in file_proto.enum_type:
            if f"{file_proto.package}.{enum.name}" == full_name:
                return enum
    raise SystemExit(f"self-test: {full_name} is not declared in the descriptor set")


def self_test(fds, pool):
    """Corrupt one field number and one enum value; the checker must report exactly those."""
    corrupted = descriptor_pb2.FileDescriptorSet()
    corrupted.CopyFrom(fds)

    msg_name, field_name = "milvus.proto.milvus.SearchRequest", "nq"
    field = next(f for f in find_message(corrupted, msg_name).field if f.name == field_name)
    old_field_number = field.number
    field.number += 1000

    enum_name, value_name = "milvus.proto.common.LoadState", "LoadStateLoaded"
    value = next(v for v in find_enum(corrupted, enum_name).value if v.name == value_name)
    old_value_number = value.number
    value.number += 1000

    print(f"self-test: changed {msg_name}.{field_name} number {old_field_number} -> {field.number}")
    print(f"self-test: changed {enum_name}.{value_name} number {old_value_number} -> {value.number}")
    expected = {
        f"{msg_name}.{field_name}: number {field.number} != {old_field_number}",
        f"{enum_name}.{value_name}: number {value.number} != {old_value_number}",
    }
    checker = run_check(corrupted, pool)
    for line in checker.mismatches:
        print(f"  reported: MISMATCH {line}")
    print(checker.summary())
    if sorted(checker.mismatches) == sorted(expected) and not checker.nothing_checked():
        print("self-test: PASS (exactly the injected mismatches were reported)")
        return 0
    for line in sorted(expected - set(checker.mismatches)):
        print(f"self-test: not reported: {line}")
    print("self-test: FAIL")
    return 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--descriptor-set", required=True,
                        help="FileDescriptorSet from protoc --include_imports --descriptor_set_out")
    parser.add_argument("--self-test", action="store_true",
                        help="inject two known mismatches and verify the checker reports them")
    args = parser.parse_args(argv)

    fds = load_descriptor_set(args.descriptor_set)
    pool = upstream_pool()
    if args.self_test:
        return self_test(fds, pool)

    checker = run_check(fds, pool)
    for line in checker.mismatches:
        print(f"MISMATCH {line}")
    print(checker.summary())
    if checker.nothing_checked():
        print("proto compat: FAIL (nothing to compare in some category; wrong descriptor set?)")
        return 1
    return 0 if not checker.mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
