#pragma once

// Conversions between the typed values of MilvusTypes.h and the generated protocol messages.
// Pure functions, thread-safe; invalid input throws MilvusException(InvalidArgument).

#include "MilvusRequests.h"
#include "MilvusTypes.h"

#include "common.pb.h"
#include "milvus.pb.h"
#include "schema.pb.h"

namespace mx::proto {

namespace pb = ::milvus::proto;

QMap<QString, QString> fromKeyValues(const google::protobuf::RepeatedPtrField<pb::common::KeyValuePair> &kvs);
void toKeyValues(const QMap<QString, QString> &map,
                 google::protobuf::RepeatedPtrField<pb::common::KeyValuePair> *out);

void toProto(const FieldSchema &in, pb::schema::FieldSchema *out);
FieldSchema fromProto(const pb::schema::FieldSchema &in);
void toProto(const CollectionSchema &in, pb::schema::CollectionSchema *out);
CollectionSchema fromProto(const pb::schema::CollectionSchema &in);

// A nullable column (valid not empty) goes compact: values of the valid rows only. It comes back with one
// cell per row either way (servers may send NULL cells compact or with placeholders).
void toProto(const FieldColumn &in, pb::schema::FieldData *out);
FieldColumn fromProto(const pb::schema::FieldData &in);
// The fields of an Insert / Upsert request (collection, partition, columns of equal length, row count);
// the caller sets the database.
void toProto(const InsertRequest &in, pb::milvus::InsertRequest *out);
void toProto(const InsertRequest &in, pb::milvus::UpsertRequest *out);

IdList fromProto(const pb::schema::IDs &in);
void toProto(const IdList &in, pb::schema::IDs *out);

// Serialized PlaceholderGroup for Search: one value per query vector, tag "$0".
std::string placeholderGroup(const FloatVectors &vectors);
std::string placeholderGroup(const QList<SparseVector> &vectors);
std::string placeholderGroup(const BinaryVectors &vectors);
QByteArray sparseToBytes(const SparseVector &v);
SparseVector sparseFromBytes(const std::string &bytes);

SearchResults fromProto(const pb::schema::SearchResultData &in);
QueryResult fromProto(const pb::milvus::QueryResults &in);
MutationResult fromProto(const pb::milvus::MutationResult &in);
IndexDescription fromProto(const pb::milvus::IndexDescription &in);
CollectionDescription fromProto(const pb::milvus::DescribeCollectionResponse &in);

} // namespace mx::proto
