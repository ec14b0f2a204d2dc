#pragma once

#include "Document.h"
#include "EmbeddingProvider.h"
#include "MilvusClient.h"
#include "VectorStoreConfig.h"
#include "VectorStoreOptions.h"

#include <QFuture>
#include <QVariantList>

#include <memory>
#include <optional>

namespace mx {

namespace detail {
class VectorStoreState;
}

// langchain-milvus's `Milvus` vector store (0.3.3 semantics, see docs/vectorstore.md) on one collection:
// texts are embedded with an EmbeddingProvider and stored with their metadata; searches return Documents.
//
// Every operation has two forms with the same results. `x()` blocks on the blocking MilvusClient calls and
// the blocking embedding calls (never call it on the GUI thread). `xAsync()` chains the async embedding and
// Milvus calls and returns a QFuture that finishes on a gRPC or pool thread (attach continuations with
// .then(context, ...)); it never throws at the caller. Failures are MilvusException (typed MilvusError:
// InvalidArgument for input the store rejects before sending, else what the embedding provider or Milvus
// reported), never an empty result. The CallOptions of a call (deadline per RPC, cancel token) go to every
// embedding and Milvus call it makes; a cancelled token ends it with ErrorKind::Cancelled.
//
// A VectorStore is a cheap handle: copies share the same state (the collection's layout, read once from
// Milvus). Thread-safe; calls may overlap. The constructor does no I/O: the collection is looked up by the
// first call, or by open(), which also does dropOld as langchain-milvus's constructor.
class VectorStore
{
public:
    using Config = VectorStoreConfig;

    VectorStore(); // a null handle, for containers and QFuture; every call on it throws InvalidArgument
    VectorStore(std::shared_ptr<MilvusClient> client, std::shared_ptr<EmbeddingProvider> embeddings,
                Config config = {});

    bool isNull() const { return !m_state; }
    const Config &config() const;
    // Whether the collection was found or created (known after the first call that needed it).
    bool hasCollection() const;

    // langchain-milvus's constructor: drops the collection when config().dropOld, else attaches to it
    // (creating its vector index when missing, loading it). A missing collection is created by the first add.
    void open(const CallOptions &options = {}) const;
    QFuture<void> openAsync(const CallOptions &options = {}) const;

    // from_texts: a store on config.collectionName (auto ids unless ids are given), opened, with texts added.
    static VectorStore fromTexts(std::shared_ptr<MilvusClient> client,
                                 std::shared_ptr<EmbeddingProvider> embeddings, const QStringList &texts,
                                 const QList<QVariantMap> &metadatas = {}, const QVariantList &ids = {},
                                 Config config = {}, const CallOptions &options = {});
    static QFuture<VectorStore>
    fromTextsAsync(std::shared_ptr<MilvusClient> client, std::shared_ptr<EmbeddingProvider> embeddings,
                   const QStringList &texts, const QList<QVariantMap> &metadatas = {},
                   const QVariantList &ids = {}, Config config = {}, const CallOptions &options = {});

    // add_texts / add_documents / add_embeddings: the primary keys of the new rows, in order (integers for an
    // auto-id collection, the given strings otherwise). The first add creates the collection.
    QVariantList addTexts(const QStringList &texts, const QList<QVariantMap> &metadatas = {},
                          const AddOptions &options = {}) const;
    QFuture<QVariantList> addTextsAsync(const QStringList &texts, const QList<QVariantMap> &metadatas = {},
                                        const AddOptions &options = {}) const;
    QVariantList addDocuments(const QList<Document> &documents, const AddOptions &options = {}) const;
    QFuture<QVariantList> addDocumentsAsync(const QList<Document> &documents,
                                            const AddOptions &options = {}) const;
    QVariantList addEmbeddings(const QStringList &texts, const QList<Embedding> &embeddings,
                               const QList<QVariantMap> &metadatas = {},
                               const AddOptions &options = {}) const;
    QFuture<QVariantList> addEmbeddingsAsync(const QStringList &texts, const QList<Embedding> &embeddings,
                                             const QList<QVariantMap> &metadatas = {},
                                             const AddOptions &options = {}) const;

    // Searches: best first; an empty list when the collection does not exist yet.
    QList<Document> similaritySearch(const QString &query, const SearchOptions &options = {}) const;
    QFuture<QList<Document>> similaritySearchAsync(const QString &query,
                                                   const SearchOptions &options = {}) const;
    QList<Document> similaritySearchByVector(const Embedding &embedding,
                                             const SearchOptions &options = {}) const;
    QFuture<QList<Document>> similaritySearchByVectorAsync(const Embedding &embedding,
                                                           const SearchOptions &options = {}) const;
    QList<ScoredDocument> similaritySearchWithScore(const QString &query,
                                                    const SearchOptions &options = {}) const;
    QFuture<QList<ScoredDocument>> similaritySearchWithScoreAsync(const QString &query,
                                                                  const SearchOptions &options = {}) const;
    QList<ScoredDocument> similaritySearchWithScoreByVector(const Embedding &embedding,
                                                            const SearchOptions &options = {}) const;
    QFuture<QList<ScoredDocument>>
    similaritySearchWithScoreByVectorAsync(const Embedding &embedding,
                                           const SearchOptions &options = {}) const;

    // MMR: fetchK nearest, then re-ranked for diversity on the stored vectors (the async form on a pool
    // thread).
    QList<Document> maxMarginalRelevanceSearch(const QString &query, const MmrOptions &options = {}) const;
    QFuture<QList<Document>> maxMarginalRelevanceSearchAsync(const QString &query,
                                                             const MmrOptions &options = {}) const;
    QList<Document> maxMarginalRelevanceSearchByVector(const Embedding &embedding,
                                                       const MmrOptions &options = {}) const;
    QFuture<QList<Document>> maxMarginalRelevanceSearchByVectorAsync(const Embedding &embedding,
                                                                     const MmrOptions &options = {}) const;

    // delete: by primary keys when `ids` is not empty (then `expr` is ignored), else by the filter `expr`.
    // Returns the delete count Milvus reports.
    qint64 deleteDocuments(const QVariantList &ids, const QString &expr = {},
                           const CallOptions &options = {}) const;
    QFuture<qint64> deleteDocumentsAsync(const QVariantList &ids, const QString &expr = {},
                                         const CallOptions &options = {}) const;

    // upsert: replaces the rows with options.ids (or the documents' own ids) and inserts missing ones;
    // without ids the documents are added as new rows. Returns the primary keys written.
    QVariantList upsert(const QList<Document> &documents, const AddOptions &options = {}) const;
    QFuture<QVariantList> upsertAsync(const QList<Document> &documents, const AddOptions &options = {}) const;

    // search_by_metadata: rows matching the filter, every requested field (all schema fields when none) as
    // the document's metadata.
    QList<Document> searchByMetadata(const QString &expr, const QStringList &fields = {}, qint64 limit = 10,
                                     const CallOptions &options = {}) const;
    QFuture<QList<Document>> searchByMetadataAsync(const QString &expr, const QStringList &fields = {},
                                                   qint64 limit = 10, const CallOptions &options = {}) const;

    // get_pks: primary keys of the rows matching the filter; nullopt when the collection does not exist.
    std::optional<QVariantList> getPks(const QString &expr, const CallOptions &options = {}) const;
    QFuture<std::optional<QVariantList>> getPksAsync(const QString &expr,
                                                     const CallOptions &options = {}) const;

    // langchain-milvus's _select_relevance_score_fn: a [0, 1] relevance for a raw score of `metricType`
    // (L2: 1 - d/4, IP and COSINE: (s + 1)/2); nullopt for other metrics.
    static std::optional<double> relevanceScore(const QString &metricType, double score);

private:
    const std::shared_ptr<detail::VectorStoreState> &state() const; // throws on a null handle

    std::shared_ptr<detail::VectorStoreState> m_state;
};

} // namespace mx
