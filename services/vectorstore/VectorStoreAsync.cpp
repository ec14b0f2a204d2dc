// The async forms: the same steps as VectorStore.cpp, chained with QFuture::then/unwrap on the async
// embedding and MilvusClient calls. Continuations run on the thread that finished the previous step (a gRPC
// or provider thread) and only build requests or read answers; MMR re-ranking hops to the MMR pool
// (maximalMarginalRelevanceAsync). Every continuation holds the shared state, never a VectorStore.

#include "VectorStore.h"

#include "Mmr.h"
#include "StoreCodec.h"
#include "VectorStoreState.h"

namespace mx {

using detail::guarded;
using detail::LayoutPtr;
using detail::readyFuture;
using detail::throwIfCancelled;
using State = std::shared_ptr<detail::VectorStoreState>;

namespace {
const QString kAdd = QStringLiteral("VectorStore add");
const QString kSearch = QStringLiteral("VectorStore search");
const QString kMmr = QStringLiteral("VectorStore MMR");

struct Rows
{
    QStringList texts;
    QList<Embedding> vectors;
    QList<QVariantMap> metadatas;
};
using RowsPtr = std::shared_ptr<const Rows>;

QFuture<QList<Embedding>> embedAllAsync(const State &s, const QStringList &texts, const CallOptions &o)
{
    return guarded<QList<Embedding>>([&] {
        throwIfCancelled(o, kAdd);
        return s->embeddings().embedDocumentsAsync(texts, o).then([texts](const QList<Embedding> &vectors) {
            detail::checkRows(kAdd, texts, vectors, {}, 0);
            return vectors;
        });
    });
}

// Batches one after another, as langchain-milvus awaits each insert before the next.
QFuture<QVariantList> writeBatchesAsync(const State &s, const LayoutPtr &layout, const RowsPtr &rows,
                                        const AddOptions &options, const CallOptions &o, bool withIds,
                                        bool upsert, qsizetype begin, std::shared_ptr<QVariantList> keys)
{
    if (begin >= rows->texts.size())
        return readyFuture(*keys);
    return guarded<QVariantList>([&] {
        throwIfCancelled(o, kAdd);
        const qsizetype end = std::min<qsizetype>(begin + options.batchSize, rows->texts.size());
        InsertRequest r = detail::insertRequest(*layout, s->collection(), rows->texts, rows->vectors,
                                                rows->metadatas, options.ids, begin, end, withIds);
        r.partition = options.partitionName;
        r.options = o;
        auto written = upsert ? s->client().upsertAsync(r) : s->client().insertAsync(r);
        return written
            .then([=](const MutationResult &result) {
                keys->append(detail::idsOf(result.ids));
                return writeBatchesAsync(s, layout, rows, options, o, withIds, upsert, end, keys);
            })
            .unwrap();
    });
}

QFuture<QVariantList> writeRowsAsync(const State &s, const RowsPtr &rows, const AddOptions &options,
                                     bool upsert)
{
    return guarded<QVariantList>([&] {
        const CallOptions o = s->options(options.call);
        detail::checkRows(kAdd, rows->texts, rows->vectors, rows->metadatas, 0);
        if (rows->texts.isEmpty())
            return readyFuture(QVariantList{});
        if (options.batchSize <= 0)
            throwError(ErrorKind::InvalidArgument, kAdd, QStringLiteral("batch size must be at least 1"));
        const bool autoId = s->config().autoId || options.ids.isEmpty();
        return s
            ->ensureCollectionAsync(o, int(rows->vectors.first().size()), rows->metadatas.value(0), autoId)
            .then([=](const LayoutPtr &layout) {
                detail::checkRows(kAdd, rows->texts, rows->vectors, rows->metadatas, layout->dim);
                const bool withIds = upsert || !layout->autoId;
                if (withIds)
                    detail::checkIds(kAdd, *layout, options.ids, rows->texts.size());
                return writeBatchesAsync(s, layout, rows, options, o, withIds, upsert, 0,
                                         std::make_shared<QVariantList>());
            })
            .unwrap();
    });
}

QFuture<QList<ScoredDocument>> searchVectorAsync(const State &s, const Embedding &vector,
                                                 const SearchOptions &options)
{
    const CallOptions o = s->options(options.call);
    return s->attachAsync(o)
        .then([=](const LayoutPtr &layout) {
            if (!layout)
                return readyFuture(QList<ScoredDocument>{});
            detail::checkQueryVector(kSearch, *layout, vector);
            SearchRequest r = detail::searchRequest(*layout, s->collection(), vector, options.k, options.expr,
                                                    options.param);
            r.options = o;
            return s->client().searchAsync(r).then([layout](const SearchResults &results) {
                return detail::documentsFromHits(*layout, results);
            });
        })
        .unwrap();
}

// Attaches, and when the collection exists embeds the query (langchain-milvus returns [] before embedding).
QFuture<std::optional<Embedding>> embedQueryIfCollectionAsync(const State &s, const QString &query,
                                                              const CallOptions &call, const QString &op)
{
    return guarded<std::optional<Embedding>>([&] {
        detail::checkQueryText(op, query);
        const CallOptions o = s->options(call);
        return s->attachAsync(o)
            .then([=](const LayoutPtr &layout) {
                if (!layout)
                    return readyFuture(std::optional<Embedding>{});
                throwIfCancelled(o, op);
                return s->embeddings().embedQueryAsync(query, o).then(
                    [](const Embedding &v) { return std::optional<Embedding>(v); });
            })
            .unwrap();
    });
}
} // namespace

QFuture<void> VectorStore::openAsync(const CallOptions &options) const
{
    return guarded<void>([&] { return state()->openAsync(options); });
}

QFuture<VectorStore> VectorStore::fromTextsAsync(std::shared_ptr<MilvusClient> client,
                                                 std::shared_ptr<EmbeddingProvider> embeddings,
                                                 const QStringList &texts,
                                                 const QList<QVariantMap> &metadatas, const QVariantList &ids,
                                                 Config config, const CallOptions &options)
{
    return guarded<VectorStore>([&] {
        config.autoId = ids.isEmpty();
        const VectorStore store(std::move(client), std::move(embeddings), std::move(config));
        AddOptions add;
        add.ids = ids;
        add.call = options;
        return store.openAsync(options)
            .then([store, texts, metadatas, add] {
                return store.addTextsAsync(texts, metadatas, add).then([store](const QVariantList &) {
                    return store;
                });
            })
            .unwrap();
    });
}

QFuture<QVariantList> VectorStore::addTextsAsync(const QStringList &texts,
                                                 const QList<QVariantMap> &metadatas,
                                                 const AddOptions &options) const
{
    return guarded<QVariantList>([&] {
        const State s = state();
        detail::checkMetadataCount(kAdd, texts, metadatas);
        if (texts.isEmpty())
            return readyFuture(QVariantList{});
        return embedAllAsync(s, texts, s->options(options.call))
            .then([s, texts, metadatas, options](const QList<Embedding> &vectors) {
                return writeRowsAsync(s, std::make_shared<const Rows>(Rows{texts, vectors, metadatas}),
                                      options, false);
            })
            .unwrap();
    });
}

QFuture<QVariantList> VectorStore::addDocumentsAsync(const QList<Document> &documents,
                                                     const AddOptions &options) const
{
    AddOptions o = options;
    if (o.ids.isEmpty())
        o.ids = detail::documentIds(documents);
    return addTextsAsync(detail::textsOf(documents), detail::metadatasOf(documents), o);
}

QFuture<QVariantList> VectorStore::addEmbeddingsAsync(const QStringList &texts,
                                                      const QList<Embedding> &embeddings,
                                                      const QList<QVariantMap> &metadatas,
                                                      const AddOptions &options) const
{
    return guarded<QVariantList>([&] {
        return writeRowsAsync(state(), std::make_shared<const Rows>(Rows{texts, embeddings, metadatas}),
                              options, false);
    });
}

QFuture<QList<Document>> VectorStore::similaritySearchAsync(const QString &query,
                                                            const SearchOptions &options) const
{
    return similaritySearchWithScoreAsync(query, options).then(&detail::withoutScores);
}

QFuture<QList<Document>> VectorStore::similaritySearchByVectorAsync(const Embedding &embedding,
                                                                    const SearchOptions &options) const
{
    return similaritySearchWithScoreByVectorAsync(embedding, options).then(&detail::withoutScores);
}

QFuture<QList<ScoredDocument>> VectorStore::similaritySearchWithScoreAsync(const QString &query,
                                                                           const SearchOptions &options) const
{
    return guarded<QList<ScoredDocument>>([&] {
        const State s = state();
        return embedQueryIfCollectionAsync(s, query, options.call, kSearch)
            .then([s, options](const std::optional<Embedding> &vector) {
                if (!vector)
                    return readyFuture(QList<ScoredDocument>{});
                return searchVectorAsync(s, *vector, options);
            })
            .unwrap();
    });
}

QFuture<QList<ScoredDocument>>
VectorStore::similaritySearchWithScoreByVectorAsync(const Embedding &embedding,
                                                    const SearchOptions &options) const
{
    return guarded<QList<ScoredDocument>>([&] { return searchVectorAsync(state(), embedding, options); });
}

QFuture<QList<Document>> VectorStore::maxMarginalRelevanceSearchAsync(const QString &query,
                                                                      const MmrOptions &options) const
{
    return guarded<QList<Document>>([&] {
        const VectorStore self = *this;
        return embedQueryIfCollectionAsync(state(), query, options.call, kMmr)
            .then([self, options](const std::optional<Embedding> &vector) {
                if (!vector)
                    return readyFuture(QList<Document>{});
                return self.maxMarginalRelevanceSearchByVectorAsync(*vector, options);
            })
            .unwrap();
    });
}

QFuture<QList<Document>> VectorStore::maxMarginalRelevanceSearchByVectorAsync(const Embedding &embedding,
                                                                              const MmrOptions &options) const
{
    return guarded<QList<Document>>([&] {
        const State s = state();
        const CallOptions o = s->options(options.call);
        return s->attachAsync(o)
            .then([=](const LayoutPtr &layout) {
                if (!layout)
                    return readyFuture(QList<Document>{});
                detail::checkQueryVector(kMmr, *layout, embedding);
                SearchRequest r = detail::searchRequest(*layout, s->collection(), embedding, options.fetchK,
                                                        options.expr, options.param);
                r.options = o;
                return s->client()
                    .searchAsync(r)
                    .then([=](const SearchResults &results) {
                        const QList<ScoredDocument> hits = detail::documentsFromHits(*layout, results);
                        if (hits.isEmpty())
                            return readyFuture(QList<Document>{});
                        throwIfCancelled(o, kMmr);
                        const QVariantList ids = detail::idsOf(results);
                        QueryRequest q = storedVectorsQuery(s->collection(), layout->primaryField,
                                                            layout->vectorField, ids);
                        q.options = o;
                        return s->client()
                            .queryAsync(q)
                            .then([=](const QueryResult &rows) {
                                const auto vectors = storedVectorsInOrder(rows, layout->primaryField,
                                                                          layout->vectorField, ids, kMmr);
                                throwIfCancelled(o, kMmr);
                                return maximalMarginalRelevanceAsync({embedding}, {vectors},
                                                                     options.lambdaMult, options.k, o.cancel,
                                                                     kMmr)
                                    .then([hits](const QList<QList<int>> &picks) {
                                        QList<Document> out;
                                        for (int i : picks.value(0))
                                            out.append(hits.at(i).document);
                                        return out;
                                    });
                            })
                            .unwrap();
                    })
                    .unwrap();
            })
            .unwrap();
    });
}

QFuture<qint64> VectorStore::deleteDocumentsAsync(const QVariantList &ids, const QString &expr,
                                                  const CallOptions &options) const
{
    return guarded<qint64>([&] {
        const State s = state();
        DeleteRequest r;
        r.collection = s->collection();
        r.filter = ids.isEmpty() ? expr : detail::idFilter(s->config().primaryField, ids);
        if (r.filter.trimmed().isEmpty())
            throwError(ErrorKind::InvalidArgument, QStringLiteral("VectorStore delete"),
                       QStringLiteral("either ids or an expression must be provided"));
        r.options = s->options(options);
        return s->client().deleteEntitiesAsync(r).then([](const MutationResult &m) { return m.deleteCount; });
    });
}

QFuture<QVariantList> VectorStore::upsertAsync(const QList<Document> &documents,
                                               const AddOptions &options) const
{
    return guarded<QVariantList>([&] {
        const State s = state();
        if (documents.isEmpty())
            return readyFuture(QVariantList{});
        AddOptions o = options;
        if (o.ids.isEmpty())
            o.ids = detail::documentIds(documents);
        if (o.ids.isEmpty())
            return addDocumentsAsync(documents, o);
        const QStringList texts = detail::textsOf(documents);
        const QList<QVariantMap> metadatas = detail::metadatasOf(documents);
        return embedAllAsync(s, texts, s->options(o.call))
            .then([s, texts, metadatas, o](const QList<Embedding> &vectors) {
                return writeRowsAsync(s, std::make_shared<const Rows>(Rows{texts, vectors, metadatas}), o,
                                      true);
            })
            .unwrap();
    });
}

QFuture<QList<Document>> VectorStore::searchByMetadataAsync(const QString &expr, const QStringList &fields,
                                                            qint64 limit, const CallOptions &options) const
{
    return guarded<QList<Document>>([&] {
        const State s = state();
        const CallOptions o = s->options(options);
        return s->attachAsync(o)
            .then([=](const LayoutPtr &layout) {
                if (!layout)
                    return readyFuture(QList<Document>{});
                QueryRequest q;
                q.collection = s->collection();
                q.filter = expr;
                q.outputFields = detail::metadataOutputFields(*layout, fields);
                q.limit = limit;
                q.options = o;
                return s->client().queryAsync(q).then(
                    [layout](const QueryResult &rows) { return detail::documentsFromRows(*layout, rows); });
            })
            .unwrap();
    });
}

QFuture<std::optional<QVariantList>> VectorStore::getPksAsync(const QString &expr,
                                                              const CallOptions &options) const
{
    return guarded<std::optional<QVariantList>>([&] {
        const State s = state();
        const CallOptions o = s->options(options);
        return s->attachAsync(o)
            .then([=](const LayoutPtr &layout) {
                if (!layout)
                    return readyFuture(std::optional<QVariantList>{});
                QueryRequest q;
                q.collection = s->collection();
                q.filter = expr;
                q.outputFields = {layout->primaryField};
                q.options = o;
                return s->client().queryAsync(q).then([layout](const QueryResult &rows) {
                    return std::optional<QVariantList>(detail::primaryKeysFromRows(*layout, rows));
                });
            })
            .unwrap();
    });
}

} // namespace mx
