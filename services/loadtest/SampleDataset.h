#pragma once

#include "CallOptions.h"
#include "EmbeddingProvider.h"

#include <QFuture>

#include <memory>

namespace mx {

class MilvusClient;

struct SampleDatasetRequest
{
    QString collection = QStringLiteral("sample_documents");
    qint64 documents = 200;
    quint64 seed = 42;   // TutorialDocuments' seed: the same documents on every machine
    CallOptions options; // database, per-RPC deadline, cancel token
};

struct SampleDatasetResult
{
    QString collection;
    qint64 rows = 0;
    int dimension = 0;
};

// A first collection to explore and search: the langchain-milvus tutorial's documents ("This is test
// document i ...", metadata id / score / category), embedded by the given provider, in the shape
// langchain-milvus creates (INT64 auto-id "pk", VARCHAR "text", FLOAT_VECTOR "vector" with AUTOINDEX L2,
// Session consistency), flushed, indexed and loaded. Never touches an existing collection: one of that
// name fails with InvalidArgument. Runs on ioPool() with the blocking client; honours the options'
// deadline and cancel token; fails with MilvusException (the provider's or Milvus's error).
QFuture<SampleDatasetResult> loadSampleDataset(std::shared_ptr<MilvusClient> client,
                                               std::shared_ptr<EmbeddingProvider> embeddings,
                                               SampleDatasetRequest request);

} // namespace mx
