#pragma once

#include "MilvusTypes.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

#include <chrono>
#include <optional>

namespace mx {

// The constructor parameters of langchain-milvus's Milvus vector store (0.3.3) that matter for one float
// vector field fed by one embedding provider. Defaults are langchain-milvus's.
struct VectorStoreConfig
{
    QString collectionName = QStringLiteral("LangChainCollection");
    QString collectionDescription;
    // Sent with CreateCollection (langchain-milvus alters them in afterwards); an existing collection keeps
    // its own.
    QMap<QString, QString> collectionProperties;
    ConsistencyLevel consistencyLevel = ConsistencyLevel::Session;

    // index_params for the vector field, used when the store creates the index.
    QString indexType = QStringLiteral("AUTOINDEX");
    QString metricType = QStringLiteral("L2");
    QJsonObject indexParams;

    // search_params as pymilvus takes them: {"metric_type": "L2", "params": {"ef": 10}}. Empty: derived from
    // the collection's index (its metric, and langchain-milvus's default params for its index type).
    QJsonObject searchParams;

    bool dropOld = false; // open() drops an existing collection of this name first
    // false: string primary keys given by the caller (VARCHAR pk); with no ids the first add switches to
    // auto ids, as langchain-milvus does. true: Milvus generates INT64 keys.
    bool autoId = false;

    QString primaryField = QStringLiteral("pk");
    QString textField = QStringLiteral("text");
    QString vectorField = QStringLiteral("vector");

    // Metadata goes into the dynamic field ($meta) instead of a column per key of the first metadata.
    bool enableDynamicField = false;
    // Deprecated in langchain-milvus: all metadata as one JSON field of this name (ignored with the dynamic
    // field).
    QString metadataField;
    // A VARCHAR partition-key field; as in langchain-milvus only created together with the dynamic field.
    QString partitionKeyField;
    std::optional<qint64> numPartitions;
    std::optional<int> numShards;
    int replicaNumber = 1;

    // Per-RPC deadline; zero: the client's default. A call's own CallOptions::timeout wins when set.
    std::chrono::milliseconds timeout{0};

    // metadata_schema: an explicit field for a metadata key instead of the type inferred from the first
    // metadata (e.g. an ARRAY). The key's name replaces FieldSchema::name.
    QMap<QString, FieldSchema> metadataSchema;
};

} // namespace mx
