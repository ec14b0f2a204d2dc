#pragma once

#include "MilvusTypes.h"

#include <QString>
#include <QStringList>

namespace mx {

// What the connected server is and what it supports, known from its GetVersion answer after connecting:
// Milvus Lite ("milvus_lite-3.2.2") or Milvus ("v2.3.5-lite" is the embedded build of the full standalone
// 2.3.5, "v2.4.1", ...). Controls for what the server lacks are disabled with lacks()'s reason, so nothing
// a user asks for is dropped silently. A plain value; any thread.
struct ServerCapabilities
{
    enum class Flavor
    {
        Unknown, // not connected, or a version string this app does not recognise (everything allowed)
        MilvusLite,
        Milvus
    };
    enum class Feature
    {
        NullableAndDefault,   // nullable fields and default values (Milvus 2.5)
        MultipleVectorFields, // more than one vector field in a collection (2.4)
        SparseVectors,        // SPARSE_FLOAT_VECTOR (2.4)
        BinaryVectors,        // BINARY_VECTOR (Milvus; not Milvus Lite)
        Float16Vectors,       // FLOAT16 / BFLOAT16 vectors (2.4; not Milvus Lite)
        Int8Vectors,          // INT8_VECTOR (2.6; not Milvus Lite)
        TruncateCollection,   // TruncateCollection (2.6, Milvus Lite)
        Databases,            // several databases (2.2.9)
        PartitionKey,         // partition-key fields (2.2.9)
        Rbac,                 // users, roles, privileges (Milvus; not Milvus Lite)
        LoadWithoutIndex,     // loading a collection that has no index (Milvus Lite only)
        LoadPartitions,       // LoadPartitions / ReleasePartitions (Milvus; not Milvus Lite)
        SearchByPrimaryKeys,  // search with primary keys instead of vectors (2.6; not Milvus Lite)
        HybridSearch,         // HybridSearch (2.4)
        BuildProgress,        // GetIndexBuildProgress / index row counts that move (Milvus)
        Metrics,              // GetMetrics (Milvus)
        Segments              // segment information and manual compaction (Milvus; not Milvus Lite)
    };

    Flavor flavor = Flavor::Unknown;
    QString version; // as the server gave it
    int major = 0, minor = 0, patch = 0;

    static ServerCapabilities fromVersion(const QString &version);

    bool has(Feature f) const;
    // Why the server cannot do f, for a tooltip or a disabled control; empty when it can.
    QString lacks(Feature f) const;
    // "Milvus Lite 3.2.2", "Milvus 2.3.5", or the raw version.
    QString displayName() const;
    bool isMilvusLite() const { return flavor == Flavor::MilvusLite; }
    // Vector and scalar field types the server accepts in a schema.
    bool supportsType(DataType type) const;
    QString typeUnsupportedReason(DataType type) const;

private:
    bool atLeast(int maj, int min, int pat = 0) const;
};

} // namespace mx
