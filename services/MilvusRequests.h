#pragma once

#include "CallOptions.h"
#include "MilvusTypes.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace mx {

// Plain request structs, one per kind of call. Every struct carries CallOptions (deadline, cancel
// token, database).

struct ServerRequest
{
    CallOptions options;
};

struct DatabaseRequest
{
    QString dbName;
    CallOptions options;
};

struct CollectionRequest
{
    QString collection;
    CallOptions options;
};

struct LoadCollectionRequest
{
    QString collection;
    int replicaNumber = 1;
    bool refresh = false;
    CallOptions options;
};

struct LoadStateRequest
{
    QString collection;
    QStringList partitions;
    CallOptions options;
};

struct CreateCollectionRequest
{
    QString collection;
    CollectionSchema schema; // schema.name is filled from `collection` when empty
    ConsistencyLevel consistency = ConsistencyLevel::Bounded;
    int shards = 1;
    qint64 numPartitions = 0; // for partition-key collections
    QMap<QString, QString> properties;
    CallOptions options;
};

struct RenameCollectionRequest
{
    QString oldName;
    QString newName;
    QString newDbName;
    CallOptions options;
};

struct PartitionRequest
{
    QString collection;
    QString partition;
    CallOptions options;
};

struct CreateIndexRequest
{
    QString collection;
    QString fieldName;
    QString indexName;
    QString indexType = QStringLiteral("AUTOINDEX");
    QString metricType; // empty for scalar indexes
    QJsonObject params; // e.g. {"M":16,"efConstruction":200}
    CallOptions options;
};

struct IndexRequest
{
    QString collection;
    QString fieldName;
    QString indexName;
    CallOptions options;
};

// Insert and Upsert: columns of equal length; the dynamic field as one JSON column with isDynamic.
struct InsertRequest
{
    QString collection;
    QString partition;
    QList<FieldColumn> columns;
    CallOptions options;
};

struct DeleteRequest
{
    QString collection;
    QString partition;
    QString filter; // boolean expression, e.g. "id in [1,2]"
    std::optional<ConsistencyLevel> consistency;
    CallOptions options;
};

struct QueryRequest
{
    QString collection;
    QString filter;
    QStringList outputFields;
    QStringList partitions;
    qint64 limit = -1; // -1: no limit (a filter is then required by the server)
    qint64 offset = 0;
    // Cursor paging (as pymilvus's query iterator): asks the server for the `limit` smallest primary
    // keys in ascending order. Without it a limited query returns whichever matches it meets first.
    bool iterator = false;
    std::optional<ConsistencyLevel> consistency; // nullopt: the collection's default
    CallOptions options;
};

struct SearchRequest
{
    QString collection;
    QString annsField;                 // empty: the server picks the only vector field
    FloatVectors vectors;              // float vectors, nq = vectors.rows()
    QList<SparseVector> sparseVectors; // used instead when non-empty
    BinaryVectors binaryVectors;       // used instead when it has rows (metric HAMMING, JACCARD, ...)
    int topK = 10;
    qint64 offset = 0;
    QString metricType;       // empty: the index's metric
    QJsonObject searchParams; // e.g. {"ef":64}
    QString filter;
    QStringList outputFields;
    QStringList partitions;
    int roundDecimal = -1;
    QString groupByField;
    std::optional<ConsistencyLevel> consistency;
    CallOptions options;
};

struct FlushRequest
{
    QStringList collections;
    CallOptions options;
};

// Changes a user's password (the server checks the old one). Never logged.
struct UpdateCredentialRequest
{
    QString user;
    QString oldPassword;
    QString newPassword;
    CallOptions options;
};

} // namespace mx
