#pragma once

#include "EmbeddingProvider.h"
#include "MilvusClient.h"
#include "OperationTarget.h"
#include "TutorialDocuments.h"

namespace mx {

// The collections a load test works on. Scratch collections are created by the tool with the prefix
// "loadtest_" in the langchain-milvus shape (auto-id INT64 "pk", VARCHAR "text", FLOAT_VECTOR "vector",
// metadata "id", "score", "category"; AUTOINDEX L2; Session consistency) and are the only ones it ever
// drops. Every function blocks on the blocking client (call it on the engine's thread, never the GUI
// thread), honours the options' deadline and cancel token, and throws MilvusException on failure.
class ScratchStore
{
public:
    static QString prefix() { return QStringLiteral("loadtest_"); }
    static bool isScratchName(const QString &name) { return name.startsWith(prefix()); }
    // "loadtest_<tag>_<yyyyMMdd_hhmmss>_<random>": unique enough for parallel runs from several machines.
    static QString newName(const QString &tag);

    static StoreLayout create(MilvusClient &client, const QString &name, int dim, const CallOptions &options);
    // Adds documents [first, first + n) in batches (embedding each batch); returns their primary keys in
    // document order.
    static QList<qint64> populate(MilvusClient &client, EmbeddingProvider &embedder, const QString &name,
                                  const StoreLayout &layout, const TutorialDocuments &docs, qint64 first,
                                  qint64 n, const CallOptions &options);
    static qint64 count(MilvusClient &client, const QString &name, const CallOptions &options);
    // Refuses (InvalidArgument) any name without the scratch prefix: a user's collection is never dropped.
    static void drop(MilvusClient &client, const QString &name, const CallOptions &options);

    // The layout of an existing (user) collection: its vector field and dimension, and whether it has
    // the langchain shape that writes need. Throws when it has no float vector field.
    static StoreLayout describe(MilvusClient &client, const QString &name, const CallOptions &options);
    // Up to `limit` primary keys of a collection (for deletes by key and upserts on a user collection).
    static QList<qint64> primaryKeys(MilvusClient &client, const QString &name, const StoreLayout &layout,
                                     qint64 limit, const CallOptions &options);
};

} // namespace mx
