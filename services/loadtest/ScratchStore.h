#pragma once

#include "EmbeddingProvider.h"
#include "MilvusClient.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

namespace mx {

// The collections a load test works on. Scratch collections are created by the tool with a prefix
// (default "loadtest_", the plan's scratchPrefix) in the langchain-milvus shape (auto-id INT64 "pk", VARCHAR
// "text", FLOAT_VECTOR "vector", metadata "id", "score", "category"; AUTOINDEX L2; Session consistency;
// manual keys for upsert runs) and are the only ones it ever drops. Every function blocks on the blocking
// client (call it on the engine's thread, never the GUI thread), honours the options' deadline and cancel
// token, and throws MilvusException on failure.
class ScratchStore
{
public:
    static QString prefix() { return QStringLiteral("loadtest_"); } // the default
    static bool isScratchName(const QString &name, const QString &prefix = ScratchStore::prefix())
    {
        return !prefix.isEmpty() && name.startsWith(prefix);
    }
    // "<prefix><tag>_<yyyyMMdd_hhmmss>_<random>": unique enough for parallel runs from several machines.
    static QString newName(const QString &tag, const QString &prefix = ScratchStore::prefix());

    // How long the store took to become ready, and what the server said about it.
    struct Readiness
    {
        qint64 waitNs = 0;
        int loadProgress = 0;    // percent, 100 when loaded
        qint64 indexedRows = -1; // -1: no index (or the server reports none)
        qint64 totalRows = -1;
        QString indexState;
        QString describe() const;
    };
    // Blocks until `name` is ready to serve a timed phase: load progress 100 and every index of the
    // vector field built over all the rows the server counts (DescribeIndex: indexed rows = total rows,
    // state Finished). `flush` first seals what was just inserted, so the index covers it. Throws
    // MilvusException (Timeout when the options' deadline passes first, Milvus for a failed index).
    static Readiness waitUntilReady(MilvusClient &client, const QString &name, const QString &vectorField,
                                    bool flush, const CallOptions &options);

    // One search (k 1, a unit vector, the reads' consistency) through `client`, outside any timed phase:
    // ready also means the server has answered a search of the collection (its first one after a load
    // may be slower: shard leaders looked up, segments touched). Returns how long it took, in ns.
    // Throws what MilvusClient::search() throws.
    static qint64 probeSearch(MilvusClient &client, const QString &name, const StoreLayout &layout,
                              std::optional<ConsistencyLevel> consistency, const CallOptions &options);

    // Creates, indexes and starts loading the collection (call waitUntilReady() before timing anything).
    // autoId false: document i gets key i (stores that runs upsert into; see StoreLayout::autoId).
    static StoreLayout create(MilvusClient &client, const QString &name, int dim, const CallOptions &options,
                              const QString &prefix = ScratchStore::prefix(), bool autoId = true);
    // Adds documents [first, first + n) in batches (embedding each batch); returns their primary keys in
    // document order.
    static QList<qint64> populate(MilvusClient &client, EmbeddingProvider &embedder, const QString &name,
                                  const StoreLayout &layout, const TutorialDocuments &docs, qint64 first,
                                  qint64 n, const CallOptions &options);
    static qint64 count(MilvusClient &client, const QString &name, const CallOptions &options);
    // Refuses (InvalidArgument) any name without the scratch prefix: a user's collection is never dropped.
    static void drop(MilvusClient &client, const QString &name, const CallOptions &options,
                     const QString &prefix = ScratchStore::prefix());

    // The layout of an existing (user) collection: its vector field and dimension, and whether it has
    // the langchain shape that writes need. Throws when it has no float vector field.
    static StoreLayout describe(MilvusClient &client, const QString &name, const CallOptions &options);
    // Up to `limit` primary keys of a collection (for deletes by key and upserts on a user collection).
    static QList<qint64> primaryKeys(MilvusClient &client, const QString &name, const StoreLayout &layout,
                                     qint64 limit, const CallOptions &options);
    // Up to `limit` rows' primary keys and vectors, in key order (for exact search; Strong consistency).
    static QList<QPair<qint64, Embedding>> vectors(MilvusClient &client, const QString &name,
                                                   const StoreLayout &layout, qint64 limit,
                                                   const CallOptions &options);
};

} // namespace mx
